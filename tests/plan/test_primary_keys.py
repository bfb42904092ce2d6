"""Primary-key reports: parsing each format, matching the include regexes, tasks the plan lacks, bad files.

The queries themselves run against real PostgreSQL and MariaDB in test_primary_keys_real.py; the SQL
Server, Oracle and Db2 texts are checked here for shape and labelling only (no such servers here).
"""

from __future__ import annotations

import json
import re
from dataclasses import replace
from pathlib import Path

import pytest
from click.testing import CliRunner

from dms2msk.cli.plan import cli
from dms2msk.engines import all_engines, find_engine
from dms2msk.errors import InputError
from dms2msk.legacy_manifest import legacy_capture_set
from dms2msk.model import dumps, from_jsonable
from dms2msk.plan import load_primary_key_reports, plan, summary, to_json, to_markdown
from dms2msk.plan.keys import parse_primary_key_report, task_label
from dms2msk.plan.report import exit_code
from dms2msk.plan.types import MigrationPlan

from . import builders

WILDCARD = r"(?!(?:shop\.tmp_.*)$)shop\..*,sales\.orders"


def _rows(text: str, name: str = "pk.txt") -> list[tuple[str, str, str]]:
    return [(r.task, r.schema, r.table) for r in parse_primary_key_report(text, name)]


# --------------------------------------------------------------------------- #
# Formats                                                                      #
# --------------------------------------------------------------------------- #

EXPECTED = [("orders", "", ""), ("orders", "shop", "events"), ("orders", "sales", "orders")]


@pytest.mark.parametrize(
    "text",
    [
        pytest.param("orders,,\norders,shop,events\norders,sales,orders\n", id="psql -A -F, -t"),
        pytest.param(
            "dms_task,table_schema,table_name\norders,,\norders,shop,events\norders,sales,orders\n", id="psql --csv"
        ),
        pytest.param(
            "dms_task|table_schema|table_name\norders||\norders|shop|events\norders|sales|orders\n(3 rows)\n",
            id="psql -A (default separator, header and footer)",
        ),
        pytest.param(
            "dms_task\ttable_schema\ttable_name\norders\t\t\norders\tshop\tevents\norders\tsales\torders\n",
            id="mysql -B",
        ),
        pytest.param(
            '\ufeff"dms_task","schema","table"\r\n"orders","",""\r\n"orders","shop","events"\r\n'
            '"orders","sales","orders"\r\n',
            id="spreadsheet CSV (BOM stripped by the loader, quotes, CRLF)",
        ),
        pytest.param(
            "orders,,\n\norders,shop,events\n(2 rows affected)\norders,sales,orders\n",
            id="sqlcmd footer and blank lines",
        ),
        pytest.param(
            "dms_task;schema;table\norders;;\norders;shop;events\norders;sales;orders\n", id="semicolon export"
        ),
    ],
)
def test_delimited_formats(text: str) -> None:
    assert _rows(text.lstrip("\ufeff")) == EXPECTED


def test_json_format_with_aliases_and_null_marker() -> None:
    text = json.dumps(
        [
            {"dms_task": "orders", "schema": None, "table": None},
            {"dms_task": "orders", "schema": "shop", "table": "events"},
            {"dms_task": "orders", "table_schema": "sales", "table_name": "orders"},
        ]
    )
    assert _rows(text) == EXPECTED


def test_loader_reads_many_files_and_strips_the_byte_order_mark(tmp_path: Path) -> None:
    first = tmp_path / "a.csv"
    first.write_bytes("\ufeffdms_task,schema,table\norders,shop,events\n".encode())
    second = tmp_path / "b.json"
    second.write_text('[{"dms_task": "billing", "schema": "", "table": ""}]')
    report = load_primary_key_reports([first, second])
    assert report.tasks() == {"orders", "billing"}
    assert report.covers("ORDERS") and report.sources_for("billing") == (str(second),)
    assert [r.name for r in report.rows_for("orders")] == ["shop.events"]
    assert report.rows_for("billing") == []  # the marker row alone: checked, nothing missing


def test_repeated_headers_of_concatenated_outputs_are_skipped() -> None:
    text = "dms_task\tschema\ttable\norders\tshop\tevents\ndms_task\tschema\ttable\nbilling\t\t\n"
    assert _rows(text) == [("orders", "shop", "events"), ("billing", "", "")]


# --------------------------------------------------------------------------- #
# Bad files                                                                    #
# --------------------------------------------------------------------------- #


@pytest.mark.parametrize(
    ("text", "where", "what"),
    [
        ("orders,shop,events\norders,shop\n", "pk.txt:2", "2 columns, expected 3"),
        ("orders,shop,events,extra\n", "pk.txt:1", "4 columns"),
        ("just-one-column\n", "pk.txt:1", "1 column"),
        ("orders,shop,\n", "pk.txt:1", "both are set"),
        (",shop,events\n", "pk.txt:1", "dms_task is empty"),
        ('[{"dms_task": "orders",\n "schema": "shop" "table": "x"}]', "pk.txt:2", "not valid JSON"),
        ('{"dms_task": "orders"}', "pk.txt:1", "must be a list"),
        ('[{"dms_task": "orders", "schema": "shop"}]', "pk.txt", "item 1 has no table or table_name"),
        ('[["orders", "shop", "events"]]', "pk.txt", "item 1 is list"),
        ('[{"dms_task": "orders", "schema": ["s"], "table": "t"}]', "pk.txt:1", "schema is list"),
    ],
)
def test_bad_reports_name_file_and_line(text: str, where: str, what: str) -> None:
    with pytest.raises(InputError) as error:
        parse_primary_key_report(text, "pk.txt")
    assert f"primary-key report {where}:" in error.value.message and what in error.value.message
    assert error.value.hint


def test_unreadable_and_non_utf8_files(tmp_path: Path) -> None:
    with pytest.raises(InputError, match=r"nowhere\.csv: cannot be read"):
        load_primary_key_reports([tmp_path / "nowhere.csv"])
    latin = tmp_path / "latin.csv"
    latin.write_bytes(b"orders,shop,events\norders,shop,caf\xe9\n")
    with pytest.raises(InputError, match=r"latin.csv:2: is not UTF-8"):
        load_primary_key_reports([latin])


# --------------------------------------------------------------------------- #
# Matching the connector's selection                                           #
# --------------------------------------------------------------------------- #


def test_older_manifests_are_matched_by_their_include_regexes_as_debezium_does() -> None:
    def captures(config: dict[str, str], schema: str, table: str) -> bool:
        return legacy_capture_set(config).selects(schema, table)

    config = {"database.include.list": "shop,sales", "table.include.list": WILDCARD}
    assert captures(config, "shop", "events") and captures(config, "SHOP", "Events")  # case-insensitive
    assert not captures(config, "shop", "tmp_scratch")  # the folded exclude
    assert captures(config, "sales", "orders") and not captures(config, "sales", "refunds")
    assert not captures(config, "other", "orders")
    assert captures({"schema.include.list": "shop"}, "shop", "anything")  # schema list alone
    assert not captures({"schema.include.list": "shop"}, "sales", "orders")
    named = legacy_capture_set({"table.include.list": r"shop\.orders,sales\.order\x2Citems"})
    assert named.named_one_by_one and named.tables == (("shop", "orders"), ("sales", "order,items"))
    assert not legacy_capture_set({"table.include.list": WILDCARD}).named_one_by_one


def _plan_with(tmp_path: Path, report_text: str, *pipelines, suffix: str = ".csv", task=None):  # type: ignore[no-untyped-def]
    pipelines = pipelines or (builders.with_tables(builders.pipeline("orders"), WILDCARD),)
    out = builders.write_out(tmp_path / "out", *pipelines)
    report = tmp_path / f"pk{suffix}"
    report.write_text(report_text, encoding="utf-8")
    tasks = task or [builders.task(p.task_identifier, "ri-a", "src-orders", "tgt-orders") for p in pipelines]
    return plan(out, inventory=builders.inventory(*tasks), primary_key_reports=[report]), report


def _key_blocker(result, task: str = "orders"):  # type: ignore[no-untyped-def]
    found = [b for b in result.blockers if b.code == "cutover.primary-key" and b.task_identifier == task]
    return found[0] if found else None


def test_report_blocker_names_exactly_the_captured_keyless_tables(tmp_path: Path) -> None:
    text = "orders,,\norders,shop,events\norders,shop,tmp_scratch\norders,sales,refunds\norders,other,x\n"
    text += "orders,sales,orders\n"
    result, report = _plan_with(tmp_path, text)
    blocker = _key_blocker(result)
    assert blocker is not None and len(blocker.options) == 4
    assert "lists 2 captured tables without one: sales.orders, shop.events." in blocker.message
    assert str(report) in blocker.message and "tmp_scratch" not in blocker.message
    (step,) = [s for s in result.migrations[0].steps if s.phase == "primary keys"]
    assert step.commands == (find_engine("mysql").no_primary_key_query("orders"),)  # type: ignore[union-attr]
    assert not result.problems


def test_report_with_no_captured_keyless_table_confirms_the_task(tmp_path: Path) -> None:
    result, report = _plan_with(tmp_path, "orders,,\norders,shop,tmp_scratch\norders,other,x\n")
    assert _key_blocker(result) is None
    (step,) = [s for s in result.migrations[0].steps if s.phase == "primary keys"]
    assert step.notes == (
        f"Checked: primary keys confirmed by {report} for every table matching the 2 include patterns.",
    )
    literal = builders.pipeline("orders", tables=r"shop\.orders,shop\.items")
    result, report = _plan_with(tmp_path / "literal", "orders,,\n", literal)
    (step,) = [s for s in result.migrations[0].steps if s.phase == "primary keys"]
    assert step.notes == (f"Checked: primary keys confirmed by {report} for 2 captured tables.",)


def test_message_key_columns_give_a_listed_table_its_key(tmp_path: Path) -> None:
    pipeline = builders.with_tables(builders.pipeline("orders"), WILDCARD)
    pipeline = replace(
        pipeline,
        source=replace(pipeline.source, config={**pipeline.source.config, "message.key.columns": r"shop\.events:id"}),
    )
    result, _ = _plan_with(tmp_path, "orders,shop,events\n", pipeline)
    assert _key_blocker(result) is None
    (step,) = [s for s in result.migrations[0].steps if s.phase == "primary keys"]
    assert "shop.events" in step.notes[1]


def test_uncovered_task_keeps_the_unverified_blocker_with_its_query(tmp_path: Path) -> None:
    orders = builders.with_tables(builders.pipeline("orders"), WILDCARD)
    billing = builders.pipeline("billing", tables=r"shop\.invoices")
    result, _ = _plan_with(tmp_path, "orders,,\n", orders, billing)
    assert _key_blocker(result) is None
    blocker = _key_blocker(result, "billing")
    assert blocker is not None and "shop.invoices (unverified)" in blocker.message
    query = find_engine("mysql").no_primary_key_query("billing")  # type: ignore[union-attr]
    assert query in blocker.message and "--primary-key-report FILE" in blocker.message


def test_rows_of_a_task_the_plan_lacks_warn_and_the_rest_still_counts(tmp_path: Path) -> None:
    result, report = _plan_with(tmp_path, "orders,,\nghost,shop,x\nghost,shop,y\n")
    (problem,) = result.problems
    assert problem.source == "primary-key-report" and problem.where == f"{report}:2"
    assert "'ghost'" in problem.message and problem.hint
    assert _key_blocker(result) is None  # orders is still confirmed


def test_mongodb_needs_no_key_check(tmp_path: Path) -> None:
    mongo = replace(builders.pipeline("orders"), source_engine="mongodb")
    result, _ = _plan_with(tmp_path, "orders,,\n", mongo)
    assert _key_blocker(result) is None
    assert not [s for s in result.migrations[0].steps if s.phase == "primary keys"]


def test_task_label_is_region_qualified_only_when_the_identifier_repeats() -> None:
    one = builders.pipeline("orders")
    other = replace(one, key="orders_eu", region="eu-west-1")
    assert task_label(one, [one]) == "orders"
    assert task_label(other, [one, other]) == "eu-west-1/orders"


# --------------------------------------------------------------------------- #
# The queries of the engines that cannot run here                              #
# --------------------------------------------------------------------------- #


def test_every_relational_source_engine_prints_a_labelled_well_formed_query() -> None:
    for name, cls in all_engines().items():
        engine = cls()
        if not engine.is_source_supported:
            continue
        query = engine.no_primary_key_query("it's-task")
        if name in ("mongodb", "docdb"):
            assert query is None, name  # records are keyed by _id
            continue
        assert query is not None, name
        assert query.startswith("SELECT 'it''s-task' AS dms_task, "), name  # quote doubled
        assert re.search(r"AS table_schema\b.*AS table_name\b", query), name
        assert re.search(r"UNION ALL SELECT 'it''s-task', '', ''( FROM \w+(\.\w+)?)? ORDER BY 2, 3;$", query), name
        assert query.count("(") == query.count(")"), name
        assert query.replace("''", "").count("'") % 2 == 0, name
        assert query.count(";") == 1 and "--" not in query, name  # one statement, safe on one line
    assert "FROM dual" in find_engine("oracle").no_primary_key_query("t")  # type: ignore[operator]
    assert "sysibm.sysdummy1" in find_engine("db2").no_primary_key_query("t")  # type: ignore[operator]
    assert "keycolumns = 0" in find_engine("db2-zos").no_primary_key_query("t")  # type: ignore[operator]
    assert "sys.key_constraints" in find_engine("sqlserver").no_primary_key_query("t")  # type: ignore[operator]


# --------------------------------------------------------------------------- #
# CLI                                                                          #
# --------------------------------------------------------------------------- #


def test_cli_takes_repeated_reports_and_rejects_a_bad_one(tmp_path: Path) -> None:
    orders = builders.with_tables(builders.pipeline("orders"), WILDCARD)
    billing = builders.pipeline("billing", tables=r"shop\.invoices")
    out = builders.write_out(tmp_path / "out", orders, billing)
    inventory = tmp_path / "inv.json"
    tasks = [builders.task(n, "ri-a", "src-orders", "tgt-orders") for n in ("orders", "billing")]
    inventory.write_text(dumps(builders.inventory(*tasks)))
    first, second = tmp_path / "a.tsv", tmp_path / "b.json"
    first.write_text("dms_task\ttable_schema\ttable_name\norders\t\t\n")
    second.write_text('[{"dms_task": "billing", "schema": "shop", "table": "invoices"}]')
    runner = CliRunner()
    run = runner.invoke(
        cli, [str(out), "-i", str(inventory), "--primary-key-report", str(first), "--primary-key-report", str(second)]
    )
    assert run.exit_code == 4, run.output
    assert "primary keys confirmed by" in run.stdout and f"{second} lists 1 captured table without one" in run.stdout
    bad = tmp_path / "bad.csv"
    bad.write_text("orders,shop\n")
    run = runner.invoke(cli, [str(out), "-i", str(inventory), "--primary-key-report", str(bad)])
    assert run.exit_code == 1 and f"primary-key report {bad}:1: 2 columns" in run.stderr and "hint:" in run.stderr


# --------------------------------------------------------------------------- #
# The structured check in the plan's JSON; unknown tasks are warnings          #
# --------------------------------------------------------------------------- #


def _json_keys(result) -> dict:  # type: ignore[no-untyped-def]
    return json.loads(to_json(result))["migrations"][0]["primary_keys"]


def test_json_carries_the_check_of_a_task_with_keyless_tables(tmp_path: Path) -> None:
    result, report = _plan_with(tmp_path, "orders,,\norders,shop,events\norders,other,x\n")
    keys = _json_keys(result)
    assert keys["status"] == "missing" and keys["without_key"] == ["shop.events"]
    assert keys["sources"] == [str(report)] and keys["label"] == "orders"
    assert keys["query"] == find_engine("mysql").no_primary_key_query("orders")  # type: ignore[union-attr]
    assert keys["outside_selection"] == 1  # other.x is not captured
    blocker = _key_blocker(result)
    assert blocker is not None and all(table in blocker.message for table in keys["without_key"])


def test_json_carries_confirmed_and_unverified_checks(tmp_path: Path) -> None:
    orders = builders.with_tables(builders.pipeline("orders"), WILDCARD)
    billing = builders.pipeline("billing", tables=r"shop\.invoices")
    result, report = _plan_with(tmp_path, "orders,,\n", orders, billing)
    by_task = {m.task_identifier: m.primary_keys for m in result.migrations}
    confirmed, unverified = by_task["orders"], by_task["billing"]
    assert confirmed is not None and confirmed.status == "confirmed" and confirmed.sources == (str(report),)
    assert confirmed.without_key == () and confirmed.include_patterns == 2
    assert unverified is not None and unverified.status == "unverified"
    assert unverified.unverified == ("shop.invoices",) and unverified.captured_tables == ("shop.invoices",)
    assert unverified.query and "'billing'" in unverified.query
    # The JSON reads back into the same plan (automation can load it with the model's converter).
    assert from_jsonable(MigrationPlan, json.loads(to_json(result))) == result


def test_mongodb_check_is_not_needed_and_has_no_query(tmp_path: Path) -> None:
    mongo = replace(builders.pipeline("orders"), source_engine="mongodb")
    result, _ = _plan_with(tmp_path, "orders,,\n", mongo)
    keys = _json_keys(result)
    assert keys["status"] == "not-needed" and keys["query"] is None


def test_unknown_task_rows_are_warnings_that_leave_the_plan_complete(tmp_path: Path) -> None:
    result, report = _plan_with(tmp_path, "orders,,\nghost,shop,x\n")
    (problem,) = result.problems
    assert problem.severity == "warning" and problem.is_warning and result.warnings == (problem,)
    assert not result.partial and exit_code(result) == 4  # changes to apply, not partial
    data = json.loads(to_json(result))
    assert data["partial"] is False and data["problems"][0]["severity"] == "warning"
    markdown = to_markdown(result)
    assert "Partial plan" not in markdown
    assert f"- [primary-key-report, warning] ({report}:2) " in markdown
    text = summary(result)
    assert "PARTIAL" not in text and "warnings (1, the plan is complete):" in text and "'ghost'" in text


def test_cli_exit_code_ignores_unknown_task_rows(tmp_path: Path) -> None:
    orders = builders.with_tables(builders.pipeline("orders"), WILDCARD)
    out = builders.write_out(tmp_path / "out", orders)
    inventory = tmp_path / "inv.json"
    inventory.write_text(dumps(builders.inventory(builders.task("orders", "ri-a", "src-orders", "tgt-orders"))))
    report = tmp_path / "pk.csv"
    report.write_text("orders,,\nghost,shop,x\n")
    run = CliRunner().invoke(cli, [str(out), "-i", str(inventory), "--primary-key-report", str(report)])
    assert run.exit_code == 4, run.output
    assert "names DMS task 'ghost'" in run.stdout and "PARTIAL" not in run.stderr
    help_text = " ".join(CliRunner().invoke(cli, ["--help"]).output.split())  # click rewraps the docstring
    assert "warnings" in help_text and "3: partial (something could not be read)" in help_text


def test_captured_tables_are_the_names_the_include_list_stands_for(tmp_path: Path) -> None:
    # The mapper escapes '-' and writes a comma inside a name as \x2C; the check names the tables themselves.
    billing = builders.pipeline("billing", tables=r"shop\-eu\.invoices,sales\.order\x2Citems")
    result, _report = _plan_with(tmp_path, "orders,,\n", billing)
    (check,) = [m.primary_keys for m in result.migrations]
    assert check is not None and check.captured_tables == ("shop-eu.invoices", "sales.order,items")


def test_case_clash_check_and_warning_follow_the_engine() -> None:
    """Column names keep their case on PostgreSQL, Oracle and SQL Server (quoted or case-sensitive collation):
    the mapping warns and the engine has a catalog query; MySQL column names never differ only in case."""
    from dms2msk.engines import find_engine
    from dms2msk.mapping import map_inventory
    from tests.support.mapping import make_inventory

    for engine_name, has_check in (("postgres", True), ("oracle", True), ("sqlserver", True), ("mysql", False)):
        engine = find_engine(engine_name)
        assert engine is not None
        query = engine.case_clash_columns_query("t1")
        assert (query is not None) == has_check, engine_name
        (pipeline,) = map_inventory(make_inventory(source_engine=engine_name)).pipelines
        warned = [f for f in pipeline.findings if f.code == "source.case-clash-columns"]
        assert bool(warned) == has_check, engine_name
        if query is not None:
            assert query.startswith("SELECT 't1' AS dms_task") and "HAVING" in query.upper()
            assert warned[0].severity.value == "warning"


def test_plan_lists_where_target_tables_are_named_otherwise_than_dms() -> None:
    """A wildcard selection renamed by a rule: the mapping's topic-sanitized warning becomes a plan step to accept."""
    from dms2msk.mapping import map_inventory
    from dms2msk.plan.migration import naming_difference_step
    from tests.support.mapping import make_inventory

    def rules(*extra: dict) -> dict:
        include = {"rule-type": "selection", "rule-id": "1", "rule-name": "all", "rule-action": "include",
                   "object-locator": {"schema-name": "shop", "table-name": "%"}}  # fmt: skip
        return {"rules": [include, *extra]}

    prefix = {"rule-type": "transformation", "rule-id": "2", "rule-name": "pre", "rule-target": "table",
              "rule-action": "add-prefix", "value": "x_",
              "object-locator": {"schema-name": "shop", "table-name": "%"}}  # fmt: skip
    (plain,) = map_inventory(make_inventory(source_engine="postgres", table_mappings=rules())).pipelines
    assert naming_difference_step(plain) == []
    (renamed,) = map_inventory(make_inventory(source_engine="postgres", table_mappings=rules(prefix))).pipelines
    (step,) = naming_difference_step(renamed)
    assert step.phase == "pre-apply checks"
    assert any("shop.%" in note and "Order_Details" in note for note in step.notes)
