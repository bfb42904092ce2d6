"""Known cases computed by hand, compared to the cent."""

from __future__ import annotations

import dataclasses
from decimal import Decimal

from dms2msk.config import ClusterSettings, ConnectorSettings, Settings
from dms2msk.cost import Assumptions, estimate, parse_assumption
from dms2msk.cost.estimate import PROPOSED, TODAY, cents
from dms2msk.model import MappingResult, ServerlessCompute, SkippedTask

from .estate import catalog, instance, inventory, mapping, pipeline, task

THREE_BROKERS = Settings(cluster=ClusterSettings(broker_count=3))


def monthly(report, side: str, startswith: str) -> Decimal:
    lines = [ln for ln in report.lines if ln.side == side and ln.component.startswith(startswith)]
    assert lines, f"no {side} line starts with {startswith!r}"
    return cents(sum((ln.monthly for ln in lines), Decimal("0")))


def reference_case(cat=None, **kw):
    ri = instance("ri-1", "dms.r5.large", multi_az=True, storage=200)
    inv = inventory("us-east-1", (ri,), (task("orders", ri),))
    return estimate(inv, mapping(pipeline("orders")), THREE_BROKERS, cat or catalog(), **kw)


def test_multi_az_r5_large_200gb_against_three_m5_large_and_two_connectors():
    report = reference_case()
    # DMS: 0.384/h x 730 h = 280.32; (200 - 100 included) GB x 0.23 = 23.00
    assert monthly(report, TODAY, "DMS instance ri-1") == Decimal("280.32")
    assert monthly(report, TODAY, "DMS storage ri-1") == Decimal("23.00")
    assert cents(report.today.known) == Decimal("303.32")
    # MSK: 3 x 0.21 x 730 = 459.90; 3 x 100 GB x 0.10 = 30.00; 2 connectors x 1 MCU x 0.11 x 730 = 160.60
    assert monthly(report, PROPOSED, "MSK brokers 3 x kafka.m5.large") == Decimal("459.90")
    assert monthly(report, PROPOSED, "MSK storage") == Decimal("30.00")
    assert monthly(report, PROPOSED, "MSK Connect") == Decimal("160.60")
    # logs: 2 x (1 GB x 0.50 + 1 GB x 365/(730/24) days x 0.03 = 0.36) = 1.72; the DMS secret is reused (no line)
    assert monthly(report, PROPOSED, "CloudWatch Logs") == Decimal("1.72")
    assert not [ln for ln in report.lines if ln.component.startswith("Secrets Manager")]
    assert cents(report.proposed.known) == Decimal("652.22")
    assert cents(report.difference) == Decimal("348.90")
    assert report.complete and not report.missing
    (orders,) = report.pipelines
    assert cents(orders.today.known) == Decimal("303.32") and cents(orders.proposed.known) == Decimal("652.22")


def test_break_even_by_hand():
    be = reference_case().break_even
    # fixed 489.90 (cluster); per pipeline MSK 162.32, DMS 303.32: 489.90 / 141.00 = 3.47 -> 4 pipelines
    assert (cents(be.fixed_msk), cents(be.per_pipeline_msk), cents(be.per_pipeline_dms)) == (
        Decimal("489.90"),
        Decimal("162.32"),
        Decimal("303.32"),
    )
    assert be.pipelines_needed == 4
    assert be.msk_at(4) < be.dms_at(4) and be.msk_at(3) > be.dms_at(3)


def test_never_cheaper_when_a_pipeline_costs_more_on_msk_connect():
    ri = instance("ri-small", "dms.t3.medium", storage=50)
    settings = dataclasses.replace(THREE_BROKERS, connectors=ConnectorSettings(mcu_count=2))
    report = estimate(inventory("us-east-1", (ri,), (task("t", ri),)), mapping(pipeline("t")), settings, catalog())
    # DMS 0.073 x 730 = 53.29 per pipeline; MSK Connect alone 2 x 2 MCU x 0.11 x 730 = 321.20
    assert cents(report.break_even.per_pipeline_dms) == Decimal("53.29")
    assert report.break_even.pipelines_needed is None
    assert "never cheaper" in report.break_even.explanation


def test_single_az_is_half_and_storage_within_the_included_amount_is_free():
    ri = instance("ri-1", "dms.r5.large", multi_az=False, storage=100)
    report = estimate(inventory("us-east-1", (ri,), (task("a", ri),)), mapping(pipeline("a")), THREE_BROKERS, catalog())
    assert cents(report.today.known) == Decimal("140.16")  # 0.192 x 730, no storage line
    assert not [ln for ln in report.lines if ln.component.startswith("DMS storage")]


def test_tasks_share_their_instance_and_new_secrets_are_priced():
    ri = instance("ri-t3", "dms.t3.medium", storage=60)  # 10 GB beyond the 50 included
    inv = inventory("us-east-1", (ri,), (task("a", ri), task("b", ri)))
    result = mapping(pipeline("a", new_secret=True), pipeline("b", new_secret=True))
    report = estimate(inv, result, THREE_BROKERS, catalog())
    # 0.073 x 730 = 53.29 + 10 GB x 0.115 = 1.15 -> 54.44, half each
    assert cents(report.today.known) == Decimal("54.44")
    assert [cents(p.today.known) for p in report.pipelines] == [Decimal("27.22"), Decimal("27.22")]
    assert monthly(report, PROPOSED, "Secrets Manager") == Decimal("0.80")


def test_dms_serverless_priced_by_dcu_and_unknown_without_a_price():
    compute = ServerlessCompute(min_capacity_units=2, max_capacity_units=16, multi_az=False)
    inv = inventory("us-east-1", (), (task("sls", serverless=compute),))
    unknown = estimate(inv, mapping(pipeline("sls")), THREE_BROKERS, catalog())
    assert not unknown.today.complete and ("us-east-1", "dms.serverless.dcu") in {
        (m.region, m.key) for m in unknown.missing
    }
    priced = estimate(inv, mapping(pipeline("sls")), THREE_BROKERS, catalog(extra={"dms.serverless.dcu": "0.25"}))
    assert cents(priced.today.known) == Decimal("365.00")  # 2 DCU (the minimum) x 730 h x 0.25
    bigger = estimate(
        inv,
        mapping(pipeline("sls")),
        THREE_BROKERS,
        catalog(extra={"dms.serverless.dcu": "0.25"}),
        parse_assumption(Assumptions(), "dms-serverless-dcu", "4"),
    )
    assert cents(bigger.today.known) == Decimal("730.00")


def test_unknown_instance_class_is_marked_not_zeroed():
    ri = instance("ri-x", "dms.x9.huge", storage=500)
    report = estimate(inventory("us-east-1", (ri,), (task("x", ri),)), mapping(pipeline("x")), THREE_BROKERS, catalog())
    keys = {m.key for m in report.missing}
    assert {"dms.instance:dms.x9.huge:single-az", "dms.included-storage:dms.x9.huge"} <= keys
    assert report.today.unknown_lines == 2 and report.today.known == 0
    assert report.proposed.complete  # the MSK side is still priced
    assert any("--prices FILE" in note for note in report.notes)


def test_existing_cluster_is_zero_with_a_note_and_serverless_by_hand():
    ri = instance("ri-1", "dms.r5.large", multi_az=True, storage=200)
    inv = inventory("us-east-1", (ri,), (task("orders", ri),))
    existing = Settings(cluster=ClusterSettings(mode="existing", existing_cluster_arn="arn:aws:kafka:x:cluster/c/1"))
    report = estimate(inv, mapping(pipeline("orders")), existing, catalog())
    assert not [ln for ln in report.lines if ln.price_key.startswith("msk.")]
    assert any("priced as zero" in n for n in report.notes)
    serverless = Settings(cluster=ClusterSettings(mode="serverless"))
    report = estimate(inv, mapping(pipeline("orders")), serverless, catalog())
    # cluster 0.75 x 730 = 547.50
    # partitions (2 tables x 1 + 1 history + 31 x 2 connectors = 65) x 730 x 0.0015 = 71.175
    assert monthly(report, PROPOSED, "MSK Serverless cluster") == Decimal("547.50")
    assert monthly(report, PROPOSED, "MSK Serverless partitions (65)") == Decimal("71.18")
    # data in 10 GB x 0.10 = 1.00; out 10 GB x 0.05 = 0.50; storage 10 x 7 / (730/24) GB x 0.10 = 0.23
    assert monthly(report, PROPOSED, "MSK Serverless data in") == Decimal("1.00")
    assert monthly(report, PROPOSED, "MSK Serverless data out") == Decimal("0.50")
    assert monthly(report, PROPOSED, "MSK Serverless storage") == Decimal("0.23")


def test_unmapped_task_stays_on_dms_in_the_proposal():
    ri = instance("ri-1", "dms.r5.large", multi_az=True, storage=200)
    inv = inventory("us-east-1", (ri,), (task("orders", ri), task("legacy", ri)))
    result = MappingResult(pipelines=(pipeline("orders"),), skipped=(SkippedTask("legacy", "us-east-1", "bad"),))
    report = estimate(inv, result, THREE_BROKERS, catalog())
    legacy = next(p for p in report.pipelines if p.task_identifier == "legacy")
    assert not legacy.migrated
    assert cents(legacy.today.known) == cents(legacy.proposed.known) == Decimal("151.66")  # 303.32 / 2


def test_dms_task_logging_counts_only_when_enabled_and_hours_override():
    ri = instance("ri-1", "dms.r5.large", storage=100)
    logged = task("a", ri, task_settings='{"Logging": {"EnableLogging": true}}')
    inv = inventory("us-east-1", (ri,), (logged, task("b", ri, task_settings="{not json")))
    report = estimate(
        inv,
        mapping(pipeline("a"), pipeline("b")),
        THREE_BROKERS,
        catalog(),
        parse_assumption(Assumptions(), "hours-per-month", "720"),
    )
    assert monthly(report, TODAY, "CloudWatch Logs ingestion, DMS task a") == Decimal("0.50")
    assert not [ln for ln in report.lines if ln.component.endswith("DMS task b")]
    assert monthly(report, TODAY, "DMS instance") == Decimal("138.24")  # 0.192 x 720


def test_bad_assumptions_are_explained():
    import pytest

    from dms2msk.errors import InputError

    for name, value, words in (
        ("nope", "1", "unknown assumption"),
        ("hours-per-month", "abc", "not a number"),
        ("hours-per-month", "0", "between 1 and 744"),
        ("topic-retention-days", "1.5", "whole"),
        ("data-gb-per-pipeline-month", "-1", "negative"),
    ):
        with pytest.raises(InputError, match=words):
            parse_assumption(Assumptions(), name, value)
