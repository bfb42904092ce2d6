"""Target naming the mapper derives without a database: topic subscriptions and reported naming limits."""

from __future__ import annotations

from dms2msk.config import Settings
from dms2msk.model import Severity
from tests.debezium.estate import endpoint, include, inventory, mapped, pipeline_for, task

V3 = Settings(debezium_version="3.6.3.Final")


def _pipeline(rules: list[dict[str, object]], settings: Settings = V3):  # type: ignore[no-untyped-def]
    source, target = endpoint("s", "source", "postgres"), endpoint("t", "target", "postgres", host="tgt")
    return pipeline_for(mapped(inventory([task("nm", source, target, rules)], [source, target]), settings), "nm")


def test_sink_topics_are_the_names_debezium_writes() -> None:
    pipeline = _pipeline([include(1, "shop", "Order Details", action="explicit"), include(2, "shop", "a,b")])
    assert pipeline.sink is not None
    assert pipeline.sink.config["topics"].split(",") == ["nm.shop.Order_Details", "nm.shop.a_b"]


def test_two_tables_sharing_a_topic_are_a_blocker_naming_both() -> None:
    pipeline = _pipeline([include(1, "shop", "a b", action="explicit"), include(2, "shop", "a_b", action="explicit")])
    blockers = [f.message for f in pipeline.findings if f.severity is Severity.BLOCKER]
    assert any("shop.a b" in m and "shop.a_b" in m for m in blockers), blockers


def test_same_table_in_two_schemas_on_27_is_a_blocker_naming_both() -> None:
    rules = [include(1, "sales", "orders", action="explicit"), include(2, "sales_eu", "orders", action="explicit")]
    blockers = [
        f.message
        for f in _pipeline(rules, Settings(debezium_version="2.7.3.Final")).findings
        if f.severity is Severity.BLOCKER
    ]
    assert any("sales.orders" in m and "sales_eu.orders" in m for m in blockers), blockers
    # Debezium 3.x keeps them apart: no blocker.
    assert not [f for f in _pipeline(rules).findings if f.code == "transformation.tables-merge"]


def _kafka_pipeline():  # type: ignore[no-untyped-def]
    source = endpoint("s", "source", "postgres")
    kafka_settings = {
        "Topic": "cdc-all",
        "MessageFormat": "json-unformatted",
        "IncludeTransactionDetails": True,
        "PartitionIncludeSchemaTable": True,
    }
    target = endpoint("k", "target", "kafka", host="b-1", port=9092, settings={"KafkaSettings": kafka_settings})
    rules = [
        include(1, "sales%", "orders"),
        include(2, "hr", "staff", action="explicit"),
        {
            "rule-type": "transformation",
            "rule-id": "3",
            "rule-name": "ren",
            "rule-target": "table",
            "rule-action": "rename",
            "object-locator": {"schema-name": "hr", "table-name": "staff"},
            "value": "people",
        },
    ]
    return pipeline_for(mapped(inventory([task("kt", source, target, rules)], [source, target])), "kt")


def test_kafka_target_reports_what_dms_wrote_and_no_sink_naming() -> None:
    pipeline = _kafka_pipeline()
    by_code = {f.code: f for f in pipeline.findings}
    assert "transformation.target-schema" not in by_code  # no "default schema" warning: there is no sink
    rename = next(f for f in pipeline.findings if f.rule_id == "3")
    assert rename.severity is Severity.WARNING and rename.became is None and "not carried over" in rename.message
    assert "json-unformatted" in by_code["target.kafka.format"].message
    assert "target.kafka.transaction-details" in by_code
    assert "schema.table" in by_code["target.kafka.partitioning"].message


def test_kafka_target_plan_moves_consumers_without_key_blocker_or_row_counts() -> None:
    from dms2msk.plan.migration import task_migration

    migration = task_migration(_kafka_pipeline(), None, None, [], "out")
    assert not [b for b in migration.blockers if b.code == "cutover.primary-key"]
    phases = [step.phase for step in migration.steps]
    assert "consumers" in phases and "row counts" not in phases and "primary keys" not in phases


def test_fidelity_counts_only_exact_rules_and_says_why() -> None:
    from dms2msk.advise import build_advice

    source, target = endpoint("s", "source", "postgres"), endpoint("t", "target", "postgres", host="tgt")
    rules = [
        include(1, "sales", "orders", action="explicit"),
        include(2, "sales_eu", "orders", action="explicit"),
        {
            "rule-type": "transformation",
            "rule-id": "3",
            "rule-name": "mask",
            "rule-target": "column",
            "rule-action": "data-masking-digits-mask",
            "object-locator": {"schema-name": "sales", "table-name": "orders", "column-name": "card"},
            "value": "#",
        },
    ]
    inv = inventory([task("fid", source, target, rules)], [source, target])
    summary = build_advice(inv, Settings(debezium_version="2.7.3.Final")).tasks[0].summary
    # Both tables land in one target table (blocker) and masking is approximate (warning): nothing is exact.
    assert summary.rules_carried_over == 0, summary
    assert any(r.startswith("rule 1 (sel1): the selected tables land elsewhere") for r in summary.not_carried)
    assert any(r.startswith("rule 3 (mask): warning transformation.masking") for r in summary.not_carried)
    # On Debezium 3.x the tables keep their schemas: the selection rules are exact, masking still is not.
    exact = build_advice(inv, V3).tasks[0].summary
    assert exact.rules_carried_over == 2 and len(exact.not_carried) == 1, exact


def test_kafka_target_has_no_table_merge_blockers() -> None:
    """DMS wrote every table to one topic anyway: tables that share a Debezium topic block nothing there."""
    source = endpoint("s", "source", "postgres")
    target = endpoint("k", "target", "kafka", host="b-1", port=9092, settings={"KafkaSettings": {"Topic": "t"}})
    rules = [include(1, "shop", "a b", action="explicit"), include(2, "shop", "a_b", action="explicit")]
    pipeline = pipeline_for(mapped(inventory([task("kc", source, target, rules)], [source, target])), "kc")
    assert not [f for f in pipeline.findings if f.severity is Severity.BLOCKER], pipeline.findings
