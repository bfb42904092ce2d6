"""What `dms2msk plan` prints names things as the user knows them: no None, no nested or upper-cased placeholder,
no generated Debezium regex where the DMS rule would be understood (issue 15, item 9)."""

from __future__ import annotations

import json
import os
import re
import shlex
import shutil
import subprocess
from pathlib import Path

import pytest

from dms2msk.advise import build_advice
from dms2msk.config import NetworkSettings, Settings
from dms2msk.engines import Placeholder, SourceFacts, find_engine
from dms2msk.mapping import map_inventory
from dms2msk.model import Inventory, Pipeline, SecretMetadata
from dms2msk.plan import plan, summary, to_json, to_markdown
from dms2msk.plan.migration import task_migration
from dms2msk.plan.types import Step, TaskMigration
from dms2msk.render import render
from tests.support.mapping import estate_inventory, make_inventory

from . import builders

SECRET_ARN = "arn:aws:secretsmanager:eu-west-1:123456789012:secret:dms/src-AbCdEf"
FROM_SECRET = {
    "server_name": None,
    "port": None,
    "username": None,
    "secrets_manager_secret_id": SECRET_ARN,
    "secret": SecretMetadata(arn=SECRET_ARN, name="dms/src"),
}
WILDCARD_WITH_EXCLUDE = {
    "rules": [
        {
            "rule-type": "selection",
            "rule-id": "1",
            "rule-name": "all-sales",
            "object-locator": {"schema-name": "SALES", "table-name": "%"},
            "rule-action": "include",
        },
        {
            "rule-type": "selection",
            "rule-id": "2",
            "rule-name": "no-tmp",
            "object-locator": {"schema-name": "SALES", "table-name": "TMP_%"},
            "rule-action": "exclude",
        },
    ]
}
# What a generated include regex looks like in text: a case guard or lookahead, an escaped dot, a ".*".
DEBEZIUM_REGEX = re.compile(r"\(\?[-!=:]|\\\.|\w\.\*")


def _migration(inventory: Inventory) -> tuple[Pipeline, TaskMigration]:
    pipeline = map_inventory(inventory, Settings()).pipelines[0]
    region = inventory.regions[0]
    return pipeline, task_migration(pipeline, region, region.tasks[0], [], "out")


def _step(migration: TaskMigration, phase: str, title_part: str = "") -> Step:
    return next(s for s in migration.steps if s.phase == phase and title_part in s.title)


def _text(step: Step) -> str:
    return "\n".join((step.title, *step.commands, *step.checks, *step.notes))


def _run_jq_of(command: str, secret_string: dict) -> str:
    """Run the JSON-reader half of a printed ``aws secretsmanager ... | jq ...`` command on a secret's value."""
    if shutil.which("jq") is None:
        pytest.skip("jq is not installed")
    reader = command.split("#", 1)[0].split("|", 1)[1]
    done = subprocess.run(
        shlex.split(reader), input=json.dumps(secret_string), capture_output=True, text=True, check=True
    )
    return done.stdout.strip()


# --------------------------------------------------------------------------- #
# 1. The network step when the host comes from the endpoint's secret           #
# --------------------------------------------------------------------------- #


@pytest.mark.parametrize("engine", ["mysql", "oracle", "postgres"])
def test_the_network_step_reads_a_host_kept_in_a_secret_from_that_secret(engine: str) -> None:
    _pipeline, migration = _migration(make_inventory(source_engine=engine, source=FROM_SECRET))
    network = _step(migration, "network")
    text = _text(network)
    assert "None" not in text
    lookup = network.commands[0]
    assert lookup.startswith("aws secretsmanager get-secret-value --region eu-west-1 --secret-id dms/src ")
    assert "--query SecretString --output text" in lookup and "endpoint src" in lookup
    # The printed reader prints the host and port only, never the password next to them.
    secret_value = {"host": "db.internal", "port": 1521, "username": "u", "password": "pw-secret"}
    assert _run_jq_of(lookup, secret_value) == "db.internal 1521"
    security_group = network.commands[1]
    assert "Values=<security group of the host in secret dms/src>" in security_group
    assert "must allow the TCP port in secret dms/src" in security_group


def test_the_network_step_keeps_a_literal_host_and_port() -> None:
    _pipeline, migration = _migration(make_inventory(source_engine="mysql"))
    network = _step(migration, "network")
    assert network.commands[0].endswith(
        "Values=<security group of src.example.internal>  # must allow TCP 3306 from the connector security group"
    )
    assert not any("secretsmanager" in command for command in network.commands)


@pytest.mark.parametrize("engine", ["mysql", "aurora-postgresql"])
def test_prerequisites_name_the_secret_of_the_host_without_nesting_placeholders(engine: str) -> None:
    _pipeline, migration = _migration(make_inventory(source_engine=engine, source=FROM_SECRET))
    logs = migration.steps[0]
    assert "<parameter group of the host in secret dms/src>" in logs.commands[0]
    assert "<parameter group of <" not in _text(logs)
    lookup = next(note for note in logs.notes if "<the host in secret dms/src>" in note)
    command = lookup.split("`")[1]
    assert _run_jq_of(command, {"host": "db.internal", "password": "pw-secret"}) == "db.internal"


# --------------------------------------------------------------------------- #
# 3. A user from a secret: a placeholder that is never upper-cased or quoted   #
# --------------------------------------------------------------------------- #


@pytest.mark.parametrize("engine", ["oracle", "db2"])
def test_a_user_from_a_secret_stays_a_lower_case_unquoted_placeholder_on_upper_casing_engines(engine: str) -> None:
    _pipeline, migration = _migration(make_inventory(source_engine=engine, source=FROM_SECRET))
    grants = _step(migration, "source prerequisites", "rants for")
    text = _text(grants)
    assert grants.title.endswith("<the username in secret dms/src>")
    assert "<THE" not in text and "SECRETSMANAGER" not in text and "${" not in text
    assert '"<the username' not in text  # not a quoted (case-sensitive) identifier
    assert any(
        command.endswith("TO <the username in secret dms/src>;") or " TO USER <the username" in command
        for command in grants.commands
    )
    assert any("upper case" in note for note in grants.notes)  # how the catalog stores the name
    assert any("jq -r .username" in note for note in grants.notes)  # and where to read it


def test_a_placeholder_has_no_case_to_fold() -> None:
    user = Placeholder("<the username in secret dms/src>")
    assert user.upper() is user and user.casefold() is user and user.title() is user
    for engine in ("oracle", "db2"):
        found = find_engine(engine)
        assert found is not None and found.catalog_user(user) == "<the username in secret dms/src>"
    # A plain name still folds as Oracle stores it.
    oracle = find_engine("oracle")
    assert oracle is not None
    grants = oracle.source_prerequisites(SourceFacts(user="dms_user"))[1]
    assert grants.checks == ("SELECT privilege FROM dba_sys_privs WHERE grantee = 'DMS_USER';",)
    assert not grants.notes


# --------------------------------------------------------------------------- #
# 2. Blockers name the DMS rules, not the include regex                        #
# --------------------------------------------------------------------------- #


def test_the_primary_key_blocker_names_the_dms_patterns_and_rules() -> None:
    _pipeline, migration = _migration(make_inventory(source_engine="oracle", table_mappings=WILDCARD_WITH_EXCLUDE))
    blocker = next(b for b in migration.blockers if b.code == "cutover.primary-key")
    listed = blocker.message.split("not confirmed for: ", 1)[1].split(". Run this", 1)[0]
    assert listed == "SALES.% (rule 1 all-sales) except SALES.TMP_% (rule 2 no-tmp) (unverified)"
    assert migration.primary_keys is not None
    assert migration.primary_keys.unverified == ("SALES.% (rule 1 all-sales) except SALES.TMP_% (rule 2 no-tmp)",)


def test_a_table_named_by_its_rule_is_listed_by_its_name() -> None:
    _pipeline, migration = _migration(make_inventory(source_engine="mysql"))
    blocker = next(b for b in migration.blockers if b.code == "cutover.primary-key")
    assert "not confirmed for: sales.orders (unverified)" in blocker.message


def test_advise_warnings_and_blockers_name_dms_patterns() -> None:
    for inventory in (estate_inventory(), make_inventory(table_mappings=WILDCARD_WITH_EXCLUDE)):
        report = build_advice(inventory, Settings())
        for task in report.tasks:
            for entry in task.entries:
                if entry.severity.value in ("warning", "blocker"):
                    assert not DEBEZIUM_REGEX.search(f"{entry.message} {entry.hint or ''}"), entry


# --------------------------------------------------------------------------- #
# 4. The whole plan of the example estate, as `dms2msk demo` renders it         #
# --------------------------------------------------------------------------- #


def test_the_example_estates_plan_prints_no_none_repr_regex_or_nested_placeholder(tmp_path: Path) -> None:
    inventory = estate_inventory()
    network = NetworkSettings(vpc_id="vpc-0a1b", subnet_ids=("subnet-1", "subnet-2"), security_group_ids=("sg-1",))
    settings = Settings(network=network)
    out = tmp_path / "out"
    render(map_inventory(inventory, settings), settings, out)
    result = plan(out, inventory=inventory)  # read back from the manifest, as the CLI does
    printed = to_markdown(result) + "\n" + summary(result)
    for line in printed.splitlines():
        if "AS dms_task" in line:
            continue  # the primary-key query: SQL, where NULL is a keyword
        assert "None" not in line and "null" not in line, line
        assert not DEBEZIUM_REGEX.search(line), line
        assert not re.search(r"<[^<>]*<", line), line  # a placeholder inside a placeholder
        assert not re.search(r"\w+\(\w+=", line), line  # a dataclass repr
    assert "shop.% (rule 10 shop-all) except shop.tmp\\_% (rule 11 no-temp) (unverified)" in printed
    assert "demosrc.products (unverified)" in printed
    unverified = {
        m["task_identifier"]: m["primary_keys"]["unverified"] for m in json.loads(to_json(result))["migrations"]
    }
    assert unverified["simplydemo-products"] == ["demosrc.products"]


def test_a_new_secret_names_the_dms_endpoints_user_it_is_to_hold() -> None:
    # The endpoint keeps its password in DMS: the connector gets a new secret, which the provision step fills
    # with the endpoint's Username; the grants name that user (Oracle stores it upper-cased).
    for engine, expected in (("mysql", "TO 'reader'@'%';"), ("oracle", "grantee = 'READER';")):
        _pipeline, migration = _migration(make_inventory(source_engine=engine))
        grants = _step(migration, "source prerequisites", "rants for")
        assert grants.title.endswith(" reader")
        assert any(line.endswith(expected) for line in (*grants.commands, *grants.checks))


def test_without_an_inventory_a_new_secrets_user_is_not_read_before_the_secret_exists() -> None:
    inventory = make_inventory(source_engine="postgres")
    pipeline = map_inventory(inventory, Settings()).pipelines[0]
    migration = task_migration(pipeline, None, None, [], "out")
    grants = _step(migration, "source prerequisites", "rants for")
    assert grants.title == "Grants for <the username in secret dms2msk/t1/source>"
    assert grants.notes[-1] == (
        "Fill in <the username in secret dms2msk/t1/source> with the username the provision step puts into that secret."
    )
    assert "get-secret-value" not in _text(grants)  # the secret is created by a later step


def test_the_reason_no_sink_writes_the_target_ends_its_sentence() -> None:
    _pipeline, migration = _migration(make_inventory(target_engine="s3"))
    before, _after = migration.cutover.split(" t1-source only fills the MSK topics", 1)
    assert before.endswith("."), migration.cutover


def test_a_manifest_without_the_dms_rules_counts_its_patterns_instead_of_printing_them(tmp_path: Path) -> None:
    # Manifests of older dms2msk versions carry no Connector.selection: only the include list.
    pipeline = builders.with_tables(
        builders.pipeline("orders"), r"(?-i:shop\.orders),(?-i:(?!(?:shop\.tmp_.*)$)(?:shop\..*))"
    )
    out = builders.write_out(tmp_path / "out", pipeline)
    blocker = next(b for b in plan(out).blockers if b.code == "cutover.primary-key")
    listed = blocker.message.split("not confirmed for: ", 1)[1].split(". Run this", 1)[0]
    assert listed == (
        "shop.orders (unverified), the tables matched by 1 include-list pattern (render again with this dms2msk to "
        "name their DMS rules) (unverified)"
    )


@pytest.mark.real
@pytest.mark.skipif(shutil.which("aws") is None or shutil.which("jq") is None, reason="aws CLI or jq missing")
def test_the_printed_secret_lookup_runs_against_secrets_manager(moto_endpoint: str) -> None:
    """The network step's first command, run as printed by bash with the AWS CLI, on a secret in moto_server."""
    import boto3

    client = boto3.client("secretsmanager", region_name="eu-west-1", endpoint_url=moto_endpoint)
    value = {"username": "dms_user", "password": "pw-not-printed", "host": "db.internal", "port": 1521}
    client.create_secret(Name="dms/src", SecretString=json.dumps(value))
    _pipeline, migration = _migration(make_inventory(source_engine="oracle", source=FROM_SECRET))
    lookup = _step(migration, "network").commands[0]
    environment = {**os.environ, "AWS_ENDPOINT_URL": moto_endpoint}
    done = subprocess.run(["bash", "-c", lookup], capture_output=True, text=True, env=environment, timeout=120)
    assert done.returncode == 0, done.stderr
    assert done.stdout.strip() == "db.internal 1521"
    grants = _step(migration, "source prerequisites", "rants for")
    user_lookup = next(note for note in grants.notes if "jq -r .username" in note).split("`")[1]
    done = subprocess.run(["bash", "-c", user_lookup], capture_output=True, text=True, env=environment, timeout=120)
    assert done.returncode == 0 and done.stdout.strip() == "dms_user", done.stderr


@pytest.mark.parametrize("engine", ["mysql", "oracle", "postgres", "sqlserver", "db2", "mongodb", "aurora"])
@pytest.mark.parametrize("source", [{}, FROM_SECRET], ids=["endpoint-user", "secret"])
def test_no_step_prints_a_config_provider_reference_none_or_nested_placeholder(engine: str, source: dict) -> None:
    _pipeline, migration = _migration(make_inventory(source_engine=engine, source=source))
    for step in migration.steps:
        text = _text(step)
        assert "${" not in text and "None" not in text, text
        assert not re.search(r"<[^<>]*<", text), text
    grants = next(s for s in migration.steps if s.phase == "source prerequisites" and " for " in s.title)
    # The endpoint's user (Db2 prints it as the catalog stores it, upper-cased and quoted), or the secret's.
    assert grants.title.lower().endswith("<the username in secret dms/src>" if source else ("reader", '"reader"'))


@pytest.mark.parametrize(
    ("engine", "expected"), [("postgres", 'GRANT USAGE ON SCHEMA "my_shop"'), ("mongodb", "db: 'my_shop'")]
)
def test_a_schema_with_an_underscore_is_named_not_left_as_a_placeholder(engine: str, expected: str) -> None:
    # DMS's _ matches any one character, so the include regex is my[^.]shop; the rule itself names my_shop.
    rules = {
        "rules": [
            {
                "rule-type": "selection",
                "rule-id": "1",
                "rule-name": "all-shop",
                "object-locator": {"schema-name": "my_shop", "table-name": "%"},
                "rule-action": "include",
            }
        ]
    }
    _pipeline, migration = _migration(make_inventory(source_engine=engine, table_mappings=rules))
    text = "\n".join(_text(step) for step in migration.steps if step.phase == "source prerequisites")
    assert expected in text and "<schema>" not in text and "<database>" not in text
