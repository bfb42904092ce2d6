"""The JDBC sink kind: what it owns shows up in the mapped sink connector and in the cut-over plan."""

from __future__ import annotations

import pytest

from dms2msk.engines import TargetKind, find_engine
from dms2msk.plan.migration import target_sink, task_migration
from dms2msk.sinks import find_sink, sink_for
from dms2msk.sinks.jdbc import JdbcSink
from tests.debezium.estate import endpoint, include, inventory, mapped, pipeline_for, task


def _pipeline(target_engine: str = "postgres", migration_type: str = "full-load-and-cdc"):  # type: ignore[no-untyped-def]
    source, target = endpoint("s", "source", "mysql", port=3306), endpoint("t", "target", target_engine, host="tgt")
    rules = [include(1, "shop", "orders", action="explicit"), include(2, "shop", "Order-Lines", action="explicit")]
    inv = inventory([task("jd", source, target, rules, migration_type=migration_type)], [source, target])
    return pipeline_for(mapped(inv), "jd")


@pytest.mark.parametrize("target", ["postgres", "mysql", "oracle", "sqlserver", "db2"])
def test_relational_targets_are_written_by_the_jdbc_sink_kind(target: str) -> None:
    assert isinstance(sink_for(find_engine(target)), JdbcSink)
    pipeline = _pipeline(target)
    assert pipeline.sink is not None
    assert (pipeline.sink.connector_class, pipeline.sink.plugin) == (JdbcSink.CONNECTOR_CLASS, JdbcSink.PLUGIN)
    # DMS's write semantics on a relational target: by primary key, deletes applied.
    assert {k: pipeline.sink.config[k] for k in JdbcSink.DEFAULTS} == JdbcSink.DEFAULTS
    assert isinstance(target_sink(pipeline), JdbcSink)


def test_the_sink_reads_exactly_the_topics_of_the_named_tables() -> None:
    sink = _pipeline().sink
    assert sink is not None
    # Debezium's topic names: the '-' is kept, the prefix is the task's.
    assert sink.reads_topics == ("jd.shop.Order-Lines", "jd.shop.orders")
    assert sink.config["topics"] == "jd.shop.Order-Lines,jd.shop.orders"


def test_table_names_carry_the_schema_unless_a_mysql_family_target_names_its_database() -> None:
    sink = find_sink(TargetKind.JDBC)
    postgres, mysql = find_engine("postgres"), find_engine("mysql")
    assert sink is not None and postgres is not None and mysql is not None
    assert sink.schema_in_table_name(postgres, "app")
    assert not sink.schema_in_table_name(mysql, "app")  # written into the database of connection.url
    assert sink.schema_in_table_name(mysql, None)  # TargetDbType multiple-databases: the schema is the database


def test_the_overlap_cut_over_relies_on_the_sink_kind_s_idempotence(monkeypatch: pytest.MonkeyPatch) -> None:
    pipeline = _pipeline()
    codes = {b.code for b in task_migration(pipeline, None, None, [], "out").blockers}
    assert "cutover.sink-not-idempotent" not in codes
    # A sink kind whose double apply is not harmless blocks the overlap, whatever its properties say.
    monkeypatch.setattr(JdbcSink, "IDEMPOTENT_OVERLAP", False)
    codes = [b.code for b in task_migration(pipeline, None, None, [], "out").blockers]
    assert codes.count("cutover.sink-not-idempotent") == 1
    # A full-load task has no overlap: nothing to block.
    full_load = _pipeline(migration_type="full-load")
    assert "cutover.sink-not-idempotent" not in {
        b.code for b in task_migration(full_load, None, None, [], "out").blockers
    }


@pytest.mark.parametrize(
    ("engine", "extra", "code"),
    [
        ("postgres", {"database": None}, "endpoint.database-name.missing"),
        (
            "mysql",
            {"settings": {"MySQLSettings": {"TargetDbType": "multiple-databases"}}},
            "endpoint.mysql.multiple-databases",
        ),
    ],
)
def test_what_the_target_endpoint_names_is_read_and_reported_once(engine: str, extra: dict, code: str) -> None:
    source, target = endpoint("s", "source", "mysql", port=3306), endpoint("t", "target", engine, host="tgt", **extra)
    inv = inventory([task("once", source, target, [include(1, "shop", "orders")])], [source, target])
    pipeline = pipeline_for(mapped(inv), "once")
    assert [f.code for f in pipeline.findings].count(code) == 1


def test_the_rendered_readme_lists_the_jdbc_sink_kind_s_prerequisites() -> None:
    from dms2msk.render import prerequisites

    assert prerequisites.for_sink(JdbcSink.CONNECTOR_CLASS or "") == JdbcSink.PREREQUISITES
    assert any("SELECT, INSERT, UPDATE, DELETE" in line for line in JdbcSink.PREREQUISITES)
    assert prerequisites.for_sink("org.example.UnknownSinkConnector") == ()


def test_the_catalog_accepts_what_the_jdbc_sink_hands_to_hibernate_and_only_for_it() -> None:
    from dms2msk.catalog import check_properties

    config = {"hibernate.c3p0.max_size": "8"}
    sink_problems = check_properties(JdbcSink.CONNECTOR_CLASS or "", config, "3.6.3.Final")
    assert [p for p in sink_problems if p.key == "hibernate.c3p0.max_size"] == []
    # A source connector hands nothing to Hibernate: the same key is unknown there.
    source_problems = check_properties("io.debezium.connector.mysql.MySqlConnector", config, "3.6.3.Final")
    assert [p.key for p in source_problems if p.severity == "error"] == ["hibernate.c3p0.max_size"]
