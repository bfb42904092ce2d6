"""dms2msk advise: per-rule and per-setting report with a fidelity summary; exit 3 when a task is skipped."""

from __future__ import annotations

import dataclasses
import json
from pathlib import Path

from click.testing import CliRunner

from dms2msk.advise import build_advice, format_advice
from dms2msk.cli import cli
from dms2msk.config import Settings
from dms2msk.model import Inventory, dumps
from tests.plan import builders
from tests.support.mapping import estate_inventory


def broken_estate() -> Inventory:
    inventory = estate_inventory()
    region = inventory.regions[0]
    bad = dataclasses.replace(region.tasks[1], table_mappings="{not json")
    return dataclasses.replace(inventory, regions=(dataclasses.replace(region, tasks=(region.tasks[0], bad)),))


def test_every_rule_and_setting_is_reported() -> None:
    report = build_advice(estate_inventory())
    seed = next(t for t in report.tasks if t.task == "simplydemo-products")
    assert seed.status == "mapped" and seed.connectors == ("simplydemo-products-source", "simplydemo-products-sink")
    rule_subjects = {e.subject for e in seed.entries if e.kind == "rule"}
    assert rule_subjects == {"rule 1 (products)", "rule 2 (drop-image)", "rule 3 (to-demosink)", "rule 4 (productinfo)"}
    settings = {e.subject for e in seed.entries if e.kind == "setting"}
    assert "ReplicationTaskSettings.FullLoadSettings.TargetTablePrepMode" in settings
    assert "ReplicationTaskSettings.Logging" in settings
    remove = next(e for e in seed.entries if e.subject == "rule 2 (drop-image)")
    assert remove.became == "column.exclude.list"
    assert seed.summary.rules_total == 4 and seed.summary.rules_carried_over == 4
    assert seed.summary.rules_share == 1.0
    assert sum(seed.summary.counts.values()) == len(seed.entries)


def test_rule_without_equivalent_lowers_fidelity() -> None:
    report = build_advice(estate_inventory(), Settings(debezium_version="2.7.3.Final"))
    shop = next(t for t in report.tasks if t.task == "shop-orders-to-analytics")
    # The lowercase rule has no 2.7 equivalent; the wildcard include is not exact either on 2.7, whose sink names
    # tables from the topic (a table "Order Details" would land as Order_Details).
    assert shop.summary.rules_total == 4 and shop.summary.rules_carried_over == 2
    assert {reason.split(":")[0] for reason in shop.summary.not_carried} == {
        "rule 10 (shop-all)",
        "rule 12 (lowercase-tables)",
    }
    assert shop.summary.worst.value == "warning"


def test_version_changes_the_report() -> None:
    r27 = format_advice(build_advice(estate_inventory(), Settings(debezium_version="2.7.3.Final")), "json")
    r36 = format_advice(build_advice(estate_inventory(), Settings(debezium_version="3.6.3.Final")), "json")
    assert json.loads(r27)["debezium_version"] == "2.7.3.Final"
    assert json.loads(r36)["kafkaconnect_version"] == "3.7.x"


def test_skipped_task_in_report() -> None:
    report = build_advice(broken_estate())
    assert report.partial
    shop = next(t for t in report.tasks if t.task == "shop-orders-to-analytics")
    assert shop.status == "skipped" and shop.reason and shop.summary.counts["blocker"] >= 1
    data = json.loads(format_advice(report, "json"))
    assert data["partial"] is True
    assert {t["status"] for t in data["tasks"]} == {"mapped", "skipped"}
    text = format_advice(report, "text")
    assert "SKIPPED" in text and "1 skipped" in text
    md = format_advice(report, "md")
    assert md.startswith("# dms2msk advice") and "**Skipped:**" in md


def _write(tmp_path: Path, inventory: Inventory) -> Path:
    path = tmp_path / "inventory.json"
    path.write_text(dumps(inventory), encoding="utf-8")
    return path


def test_cli_formats_and_exit_codes(tmp_path: Path) -> None:
    runner = CliRunner()
    good = _write(tmp_path, estate_inventory())
    result = runner.invoke(cli, ["advise", "-i", str(good)])
    assert result.exit_code == 0, result.output
    assert "fidelity:" in result.output and "simplydemo-products" in result.output
    result = runner.invoke(cli, ["advise", "-i", str(good), "--format", "json"])
    assert result.exit_code == 0 and len(json.loads(result.output)["tasks"]) == 2
    result = runner.invoke(cli, ["advise", "-i", str(good), "--format", "md"])
    assert result.exit_code == 0 and "| Task |" in result.output
    bad = tmp_path / "bad" / "inventory.json"
    bad.parent.mkdir()
    bad.write_text(dumps(broken_estate()), encoding="utf-8")
    result = runner.invoke(cli, ["advise", "-i", str(bad), "--format", "json"])
    assert result.exit_code == 3


def test_cli_config_and_bad_inputs(tmp_path: Path) -> None:
    runner = CliRunner()
    good = _write(tmp_path, estate_inventory())
    config = tmp_path / "settings.toml"
    config.write_text('debezium_version = "3.6.3.Final"\n', encoding="utf-8")
    result = runner.invoke(cli, ["advise", "-i", str(good), "--config", str(config), "--format", "json"])
    assert result.exit_code == 0 and json.loads(result.output)["debezium_version"] == "3.6.3.Final"
    missing = runner.invoke(cli, ["advise", "-i", str(tmp_path / "nope.json")])
    assert missing.exit_code == 1 and "does not exist" in missing.output
    config.write_text('debezium_version = "3.3.0.Final"\n', encoding="utf-8")
    unsupported = runner.invoke(cli, ["advise", "-i", str(good), "--config", str(config)])
    assert unsupported.exit_code == 1 and "error:" in unsupported.output


def test_a_rule_without_a_name_is_one_subject_said_once() -> None:
    # DMS requires rule-name; without one, every finding about rule 5 still lands under the same subject, and
    # the label the mapper puts in front of the message is not repeated after the subject.
    rules = {
        "rules": [
            {
                "rule-type": "selection",
                "rule-id": "5",
                "object-locator": {"schema-name": "shop", "table-name": "orders"},
                "rule-action": "include",
            }
        ]
    }
    inventory = builders.inventory(builders.task("orders", "ri-a", "src-orders", "tgt-orders", mappings=rules))
    (task,) = build_advice(inventory).tasks
    rule_entries = [e for e in task.entries if e.kind == "rule"]
    assert {e.subject for e in rule_entries} == {"rule 5 (5)"}
    assert any(e.code == "table-mappings.missing-field" for e in rule_entries)
    assert not any(e.message.startswith("rule ") for e in rule_entries), [e.message for e in rule_entries]
