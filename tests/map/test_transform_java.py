"""change-data-type's Cast, run through the real Kafka Connect 4.3 class: what the finding states is what happens."""

from __future__ import annotations

from typing import Any

import pytest

from dms2msk.model import Severity

from .test_transform import compile_all, sel, tr

pytestmark = pytest.mark.real


def _record_with_amount(amount: str) -> Any:
    from jpype import JClass, JInt

    schema_builder = JClass("org.apache.kafka.connect.data.SchemaBuilder")
    schema_class = JClass("org.apache.kafka.connect.data.Schema")
    decimal = JClass("org.apache.kafka.connect.data.Decimal")
    schema = schema_builder.struct().field("id", schema_class.INT32_SCHEMA).field("amount", decimal.schema(2)).build()
    value = JClass("org.apache.kafka.connect.data.Struct")(schema)
    value.put("id", JInt(1)).put("amount", JClass("java.math.BigDecimal")(amount))
    return JClass("org.apache.kafka.connect.source.SourceRecord")(None, None, "t", None, None, schema, value)


def test_numeric_to_integer_cast_drops_the_fraction_as_the_finding_says(jvm: None) -> None:
    from dms2msk.verify.engine import TransformChain

    plan = compile_all(
        sel(1, "s", "t"),
        tr(2, "column", "change-data-type", {"schema-name": "s", "table-name": "t", "column-name": "amount"},
           **{"data-type": {"type": "int4"}}),
    )  # fmt: skip
    (finding,) = [f for f in plan.findings if f.code == "transformation.change-data-type"]
    assert finding.severity is Severity.WARNING and "2.7 -> 2, -2.7 -> -2" in finding.message
    props = plan.sink_properties_all
    chain = TransformChain(
        {"transforms": "dmscast2", **{k: v for k, v in props.items() if k.startswith("transforms.dmscast2.")}}
    )
    # The predicate scopes the Cast to the table's topic; the record here is that table's row.
    chain.steps = [(alias, transformation, None, False) for alias, transformation, _p, _n in chain.steps]
    for amount, expected in (("2.70", 2), ("-2.70", -2)):
        assert int(chain.apply(_record_with_amount(amount)).value().get("amount")) == expected
