"""Task settings: MigrationType, CDC start, LOBs, batch apply, errors, validation, and the real-world corpus."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from dms2msk.config import ConnectorSettings, Settings
from dms2msk.mapping import map_inventory
from dms2msk.mapping.task_settings import KNOWN_SECTIONS, binlog_position
from dms2msk.model import Pipeline
from tests.support.corpus import corpus_files, require_corpus
from tests.support.mapping import make_inventory

CORPUS_FILES = corpus_files("settings", "*.json")


def pipeline(version: str = "2.7.3.Final", settings: Settings | None = None, **kw: object) -> Pipeline:
    result = map_inventory(make_inventory(**kw), settings or Settings(debezium_version=version))  # type: ignore[arg-type]
    (p,) = result.pipelines
    return p


def codes(p: Pipeline) -> set[str]:
    return {f.code for f in p.findings}


@pytest.mark.parametrize(
    ("migration", "mode"), [("full-load-and-cdc", "initial"), ("full-load", "initial_only"), ("cdc", "no_data")]
)
@pytest.mark.parametrize("version", ["2.7.3.Final", "3.6.3.Final"])
def test_migration_type(migration: str, mode: str, version: str) -> None:
    p = pipeline(version, migration_type=migration)
    assert p.source.config["snapshot.mode"] == mode
    finding = next(f for f in p.findings if f.code == "task.migration-type")
    assert finding.became == f"snapshot.mode={mode}"


def test_binlog_positions() -> None:
    assert binlog_position("mysql-bin-changelog.000024:373") == ("mysql-bin-changelog.000024", 373)
    checkpoint = (
        "checkpoint:V1#27#mysql-bin-changelog.157832:1975:-1:2002:677883278264080:"
        "mysql-bin-changelog.157832:1876#0#0#*#0#93"
    )
    assert binlog_position(checkpoint) == ("mysql-bin-changelog.157832", 1876)
    assert binlog_position("2018-03-08T12:12:12") is None


def test_cdc_start_binlog_signal_on_3_6() -> None:
    p = pipeline("3.6.3.Final", migration_type="cdc", task={"cdc_start_position": "mysql-bin-changelog.000024:373"})
    config = p.source.config
    assert config["signal.enabled.channels"] == "source,kafka"
    assert config["signal.kafka.topic"] == "t1-signals"
    assert config["signal.consumer.sasl.mechanism"] == "AWS_MSK_IAM"
    assert "signal.kafka.bootstrap.servers" in p.source.cluster_config_keys
    finding = next(f for f in p.findings if f.code == "task.cdc-start.binlog-signal")
    assert '"binlog_filename":"mysql-bin-changelog.000024"' in (finding.hint or "")
    assert '"binlog_position":373' in (finding.hint or "")


def test_cdc_start_binlog_on_2_7_is_cut_over_advice() -> None:
    p = pipeline("2.7.3.Final", migration_type="cdc", task={"cdc_start_position": "mysql-bin-changelog.000024:373"})
    assert not any(k.startswith("signal.") for k in p.source.config)
    finding = next(f for f in p.findings if f.code == "task.cdc-start.binlog-unsupported-version")
    assert finding.severity.value == "warning" and "stop writes" in (finding.hint or "")


def test_cdc_start_on_postgres_and_by_time() -> None:
    p = pipeline(source_engine="postgres", migration_type="cdc", task={"cdc_start_position": "0/3A2B4C8"})
    assert "task.cdc-start.unsupported" in codes(p)
    p = pipeline(migration_type="cdc", task={"cdc_start_time": "2026-01-01T00:00:00"})
    assert "task.cdc-start.unsupported" in codes(p)
    p = pipeline(migration_type="cdc", task={"cdc_stop_position": "server_time:2026-02-01T00:00:00"})
    assert "task.cdc-stop-position" in codes(p)


def test_target_table_prep_modes() -> None:
    p = pipeline(task_settings={"FullLoadSettings": {"TargetTablePrepMode": "DO_NOTHING"}})
    assert p.sink and p.sink.config["schema.evolution"] == "basic"
    prep = next(f for f in p.findings if f.code == "task-settings.target-table-prep")
    assert prep.severity.value == "info"
    p = pipeline(task_settings={"FullLoadSettings": {"TargetTablePrepMode": "TRUNCATE_BEFORE_LOAD"}})
    prep = next(f for f in p.findings if f.code == "task-settings.target-table-prep")
    assert prep.severity.value == "warning" and "truncate" in (prep.hint or "")


def test_lob_modes() -> None:
    assert "task-settings.lob.limited" in codes(pipeline(task_settings={"TargetMetadata": {"LobMaxSize": 64}}))
    assert "task-settings.lob.full" in codes(pipeline(task_settings={"TargetMetadata": {"FullLobMode": True}}))
    assert "task-settings.lob.not-supported" in codes(
        pipeline(task_settings={"TargetMetadata": {"SupportLobs": False}})
    )


def test_batch_apply() -> None:
    p = pipeline(
        task_settings={
            "TargetMetadata": {"BatchApplyEnabled": True},
            "ChangeProcessingTuning": {"BatchSplitSize": 2000},
        }
    )
    assert p.sink is not None
    assert p.sink.config["use.reduction.buffer"] == "true"
    assert p.sink.config["batch.size"] == "2000"
    assert p.sink.config["consumer.override.max.poll.records"] == "2000"
    assert "use.reduction.buffer" not in (pipeline().sink.config)  # type: ignore[union-attr]


@pytest.mark.parametrize(
    ("policy", "tolerance"),
    [("LOG_ERROR", "all"), ("IGNORE_RECORD", "all"), ("STOP_TASK", "none"), ("SUSPEND_TABLE", "none")],
)
def test_error_behavior(policy: str, tolerance: str) -> None:
    p = pipeline(
        task_settings={
            "ErrorBehavior": {"DataErrorPolicy": policy, "RecoverableErrorCount": 3, "RecoverableErrorInterval": 5}
        }
    )
    config = p.sink.config  # type: ignore[union-attr]
    assert config["errors.tolerance"] == tolerance
    assert ("errors.deadletterqueue.topic.name" in config) == (tolerance == "all")
    if tolerance == "all":
        assert config["errors.deadletterqueue.topic.name"] == "t1-dlq"
        assert config["errors.deadletterqueue.context.headers.enable"] == "true"
        assert "t1-dlq" in p.sink.writes_topics  # type: ignore[union-attr]
    # The version catalog decides whether the JDBC sink knows the retry keys; a dropped key is reported.
    for key, value in (("flush.max.retries", "3"), ("flush.retry.delay.ms", "5000")):
        if key in config:
            assert config[key] == value
        else:
            assert any(f.code.startswith("catalog.") and key in f.message for f in p.findings)


def test_errors_tolerance_setting_overrides() -> None:
    settings = Settings(connectors=ConnectorSettings(errors_tolerance="none"))
    p = pipeline(settings=settings, task_settings={"ErrorBehavior": {"DataErrorPolicy": "LOG_ERROR"}})
    assert p.sink.config["errors.tolerance"] == "none"  # type: ignore[union-attr]


def test_validation_and_unknown_sections() -> None:
    p = pipeline(task_settings={"ValidationSettings": {"EnableValidation": True}, "sFullLoadSettings": {}})
    validation = next(f for f in p.findings if f.code == "task-settings.validation")
    assert validation.severity.value == "warning"
    unknown = next(f for f in p.findings if f.code == "task-settings.unknown-section")
    assert "sFullLoadSettings" in unknown.message and "FullLoadSettings" in (unknown.hint or "")


def test_kafka_target_has_no_sink_settings() -> None:
    p = pipeline(target_engine="kafka", task_settings={"ErrorBehavior": {"DataErrorPolicy": "LOG_ERROR"}})
    assert p.sink is None and "skipped.operations" not in p.source.config


@pytest.mark.parametrize("document", ["[1, 2]", '"text"', '{"ErrorBehavior": []}'])
def test_odd_documents_do_not_crash(document: str) -> None:
    p = pipeline(task_settings=document)
    assert any(f.code.startswith("task-settings.") and f.severity.value == "warning" for f in p.findings)


@pytest.mark.parametrize("path", CORPUS_FILES, ids=lambda p: p.name)
@pytest.mark.parametrize("version", ["2.7.3.Final", "3.6.3.Final"])
def test_corpus_settings_map_or_are_reported(path: Path, version: str) -> None:
    require_corpus()
    text = path.read_text(encoding="utf-8")
    document = json.loads(text)
    p = pipeline(version, task_settings=text, source_engine="oracle", target_engine="postgres")
    wheres = " ".join(f.where or "" for f in p.findings)
    for section in document:
        assert f"ReplicationTaskSettings.{section}" in wheres or section in " ".join(f.message for f in p.findings), (
            f"{path.name}: section {section} is neither mapped nor reported"
        )
        if section not in KNOWN_SECTIONS:
            assert any(f.code == "task-settings.unknown-section" and section in f.message for f in p.findings)
    assert p.sink is not None and p.sink.config["errors.tolerance"] in ("all", "none")


@pytest.mark.parametrize(
    ("source_engine", "replicated"),
    # DMS User Guide source limitations: SQL Server "AWS DMS doesn't capture truncate commands"; PostgreSQL
    # TRUNCATE is not processed during CDC; MySQL and Oracle list only partition truncates as unsupported.
    [("sqlserver", False), ("postgres", False), ("mysql", True), ("oracle", True)],
)
def test_truncate_follows_the_source_limitations_of_the_dms_guide(source_engine: str, replicated: bool) -> None:
    p = pipeline("3.6.3.Final", source_engine=source_engine)
    assert p.sink is not None
    assert p.sink.config["truncate.enabled"] == ("true" if replicated else "false")
    assert p.source.config["skipped.operations"] == ("none" if replicated else "t")
    finding = next(f for f in p.findings if f.code == "task-settings.ddl.truncate")
    assert ("does not process TRUNCATE" in finding.message) is not replicated
