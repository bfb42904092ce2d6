"""A DMS Kafka target: the MSK topics are the target, so there is no sink connector.

The source routes every data record to the endpoint's topic (as DMS wrote them all there), and the table-mapping
rules that DMS applied on the target side have nothing to apply them now: they are reported as not carried over.
"""

from __future__ import annotations

import dataclasses
from typing import TYPE_CHECKING

from ..engines.engine import TargetKind
from ..mapping.smt import Smt, SmtChain
from ..mapping.transform import java_replacement
from ..model import Connector, Finding, Severity
from .sink import Sink, SinkConnection, SinkRequest

if TYPE_CHECKING:
    from ..mapping.transform import TransformPlan

# What the compiler says about the sink's table naming and SMT chain; a Kafka target has no sink.
_SINK_ONLY_CODES = frozenset(
    {"transformation.target-schema", "transformation.tables-merge", "transformation.topic-clash"}
)
_SINK_SIDE_CODES = frozenset(
    {
        "transformation.schema",
        "transformation.table-name",
        "transformation.column-name",
        "transformation.change-data-type",
        "transformation.add-column",
    }
)


class KafkaTarget(Sink):
    KIND = TargetKind.KAFKA
    # Consumers read the topics: what they see twice during the overlap depends on them, not on a sink.
    IDEMPOTENT_OVERLAP = False

    def source_route(self, request: SinkRequest) -> tuple[SmtChain, str | None]:
        # The endpoint's topic settings are read with the source's context (the target has no connector).
        ctx = dataclasses.replace(request.source_ctx, endpoint=request.target_endpoint, extra={})
        regex, routed_topic = request.target_engine.routing_target(ctx)  # type: ignore[attr-defined]
        route = Smt(
            "dmsTopic",
            "org.apache.kafka.connect.transforms.RegexRouter",
            {"regex": regex, "replacement": java_replacement(routed_topic)},
        )
        return SmtChain((route,)), routed_topic

    def rule_findings(self, findings: tuple[Finding, ...]) -> tuple[Finding, ...]:
        """Sink-only findings dropped, sink-side rules reported as not carried over."""
        kept: list[Finding] = []
        for finding in findings:
            if finding.code in _SINK_ONLY_CODES:
                continue
            claimed = finding.became is not None or finding.severity is Severity.WARNING
            if finding.code in _SINK_SIDE_CODES and claimed and finding.severity is not Severity.BLOCKER:
                rule = f"rule {finding.rule_id} ({finding.rule_name})" if finding.rule_id else "a rule"
                finding = dataclasses.replace(
                    finding,
                    severity=Severity.WARNING,
                    became=None,
                    message=f"{rule} is not carried over: DMS applied it to the records it wrote to the Kafka topic, "
                    "and a Kafka target has no sink connector to apply it (the topic carries source names)",
                    hint="apply the change in the consumers, or ask for a source-side SMT",
                )
            kept.append(finding)
        return tuple(kept)

    def build(
        self, request: SinkRequest, transform: TransformPlan, connection: SinkConnection | None
    ) -> Connector | None:
        request.notes.info(
            "target.kafka",
            f"Kafka target {request.target_endpoint.identifier}: the MSK topics are the target, no sink connector",
            where=f"endpoint {request.target_endpoint.identifier}",
        )
        return None
