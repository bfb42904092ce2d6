"""Monthly cost of the DMS estate today against the MSK estate that replaces it.

Pure computation: an inventory, a mapping result, settings, a price catalog and
assumptions in; a :class:`CostReport` out. Money is :class:`~decimal.Decimal`
throughout and rounded to the cent only for display, so totals are exact sums.
A price the catalog lacks never becomes zero: the line keeps ``monthly=None``,
the totals say they are incomplete, and ``missing`` says how to supply it.
"""

from __future__ import annotations

import json
import math
from collections import defaultdict
from dataclasses import dataclass, field, fields, replace
from decimal import ROUND_HALF_UP, Decimal

from ..capture import capture_set
from ..config import Settings
from ..errors import InputError
from ..model import Inventory, MappingResult, Pipeline, ReplicationInstance, ReplicationTask
from .catalog import PriceCatalog, PriceFigure

CENT = Decimal("0.01")
TODAY = "today"
PROPOSED = "proposed"

EXPRESS_BROKER_PREFIX = "express."
"""MSK Express broker types (express.m7g.large, ...): billed per GB written and stored, without EBS volumes."""

MSK_CONNECT_INTERNAL_PARTITIONS = 31
"""Partitions of one connector's offsets (25), status (5) and config (1) topics (Kafka Connect defaults)."""


def cents(value: Decimal) -> Decimal:
    return value.quantize(CENT, rounding=ROUND_HALF_UP)


@dataclass(frozen=True)
class Assumptions:
    """Usage figures the estimate needs and the estate cannot tell; each is printed and overridable."""

    hours_per_month: Decimal = Decimal("730")
    connector_log_gb_per_month: Decimal = Decimal("1")
    """CloudWatch Logs written by one MSK Connect connector a month."""
    dms_task_log_gb_per_month: Decimal = Decimal("1")
    """CloudWatch Logs written by one DMS task a month (only tasks with Logging.EnableLogging)."""
    log_retention_days: int | None = None
    """Days connector logs are kept; default: the settings' connectors.log_retention_days."""
    data_gb_per_pipeline_month: Decimal = Decimal("10")
    """Change events one pipeline writes to Kafka a month (MSK Serverless data-in, data-out and storage)."""
    topic_retention_days: int = 7
    """How long topics keep data (Kafka's default log.retention.hours is 168)."""
    partitions_per_topic: int = 1
    topics_per_pipeline: int | None = None
    """Data topics per pipeline; default: the tables counted in the source connector's table.include.list."""
    dms_serverless_dcu: Decimal | None = None
    """DCUs a DMS Serverless replication runs at on average; default: its MinCapacityUnits."""

    @property
    def days_per_month(self) -> Decimal:
        return self.hours_per_month / 24


ASSUMPTION_NAMES: tuple[str, ...] = tuple(f.name for f in fields(Assumptions))


def parse_assumption(assumptions: Assumptions, name: str, text: str) -> Assumptions:
    """Apply ``NAME=VALUE`` from the command line, with a message naming the valid choices."""
    key = name.strip().replace("-", "_")
    if key not in ASSUMPTION_NAMES:
        raise InputError(
            f"unknown assumption {name!r}",
            hint=f"known assumptions: {', '.join(n.replace('_', '-') for n in ASSUMPTION_NAMES)}",
        )
    integer = key in ("log_retention_days", "topic_retention_days", "partitions_per_topic", "topics_per_pipeline")
    try:
        value: Decimal | int = int(text) if integer else Decimal(text)
    except (ValueError, ArithmeticError):
        kind = "a whole number" if integer else "a number"
        raise InputError(f"assumption {name}={text!r} is not {kind}", hint=f"e.g. --assume {name}=2") from None
    if value < 0 or (isinstance(value, Decimal) and not value.is_finite()):
        raise InputError(f"assumption {name}={text!r} must not be negative")
    if key == "hours_per_month" and not 0 < value <= 744:
        raise InputError(f"assumption hours-per-month={text!r} must be between 1 and 744 (31 days)")
    return replace(assumptions, **{key: value})


@dataclass(frozen=True)
class CostLine:
    """One priced item: a quantity of a billed unit, the unit price, the monthly amount."""

    side: str  # "today" | "proposed"
    region: str
    component: str  # what is billed, in words
    quantity: Decimal  # monthly quantity in `unit`
    unit: str
    price_key: str
    unit_price: Decimal | None
    monthly: Decimal | None  # None: the price is unknown
    pipelines: tuple[str, ...] = ()  # task identifiers this line is shared by (empty: the whole region)
    source: str = ""
    verified: bool = False
    read_on: str = ""
    proxied_from: str | None = None
    note: str = ""
    fixed: bool = False  # paid once per cluster, whatever the number of pipelines
    inferred: str = ""  # how the unit price was inferred, when it was not read as labelled

    @property
    def unknown(self) -> bool:
        return self.monthly is None


@dataclass(frozen=True)
class Amount:
    """A sum of lines, and how many of them had no price."""

    known: Decimal = Decimal("0")
    unknown_lines: int = 0

    @property
    def complete(self) -> bool:
        return self.unknown_lines == 0

    def __add__(self, other: Amount) -> Amount:
        return Amount(self.known + other.known, self.unknown_lines + other.unknown_lines)


def _amount(lines: list[CostLine], weight: dict[int, Decimal] | None = None) -> Amount:
    total, unknown = Decimal("0"), 0
    for index, line in enumerate(lines):
        share = weight[index] if weight else Decimal("1")
        if line.monthly is None:
            unknown += 1
        else:
            total += line.monthly * share
    return Amount(total, unknown)


@dataclass(frozen=True)
class PipelineCost:
    task_identifier: str
    region: str
    today: Amount
    proposed: Amount
    migrated: bool  # False: the task was not mapped and stays on DMS

    @property
    def difference(self) -> Decimal:
        return self.proposed.known - self.today.known


@dataclass(frozen=True)
class BreakEven:
    """MSK(n) = fixed + per_pipeline_msk * n against DMS(n) = per_pipeline_dms * n."""

    fixed_msk: Decimal
    per_pipeline_msk: Decimal
    per_pipeline_dms: Decimal
    pipelines_needed: int | None  # smallest n where MSK is cheaper; None: never at this shape
    complete: bool  # False: some figure behind it is unknown
    explanation: str

    def dms_at(self, pipelines: int) -> Decimal:
        return self.per_pipeline_dms * pipelines

    def msk_at(self, pipelines: int) -> Decimal:
        return self.fixed_msk + self.per_pipeline_msk * pipelines


@dataclass(frozen=True)
class MissingFigure:
    region: str
    key: str
    used_by: tuple[str, ...]


@dataclass(frozen=True)
class CostReport:
    catalog_name: str
    catalog_read_on: str
    currency: str
    assumptions: Assumptions
    lines: tuple[CostLine, ...]
    pipelines: tuple[PipelineCost, ...]
    today: Amount
    proposed: Amount
    break_even: BreakEven
    missing: tuple[MissingFigure, ...] = ()
    notes: tuple[str, ...] = ()
    regions: tuple[str, ...] = ()

    @property
    def difference(self) -> Decimal:
        return self.proposed.known - self.today.known

    @property
    def complete(self) -> bool:
        return self.today.complete and self.proposed.complete


@dataclass
class _Builder:
    catalog: PriceCatalog
    assumptions: Assumptions
    lines: list[CostLine] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)

    def add(
        self,
        side: str,
        region: str,
        component: str,
        quantity: Decimal,
        unit: str,
        price_key: str,
        *,
        pipelines: tuple[str, ...] = (),
        note: str = "",
        factor: Decimal = Decimal("1"),
        fixed: bool = False,
    ) -> CostLine:
        """Price ``quantity`` with the catalog's figure; ``factor`` scales a price quoted per another unit."""
        figure: PriceFigure | None = self.catalog.lookup(region, price_key)
        unit_price = None if figure is None or figure.price is None else figure.price * factor
        line = CostLine(
            side=side,
            region=region,
            component=component,
            quantity=quantity,
            unit=unit,
            price_key=price_key,
            unit_price=unit_price,
            monthly=None if unit_price is None else quantity * unit_price,
            pipelines=pipelines,
            source=figure.source if figure else "not in the catalog",
            verified=bool(figure and figure.verified and figure.price is not None),
            read_on=figure.read_on if figure else "",
            proxied_from=figure.proxied_from if figure else None,
            note=note,
            fixed=fixed,
            inferred=(figure.note or "inferred") if figure and figure.inferred and figure.price is not None else "",
        )
        self.lines.append(line)
        return line


def _logging_enabled(task: ReplicationTask) -> bool:
    """Whether the DMS task writes CloudWatch Logs (tolerant of malformed settings: map reports those)."""
    try:
        settings = json.loads(task.task_settings) if task.task_settings else {}
    except json.JSONDecodeError:
        return False
    logging = settings.get("Logging") if isinstance(settings, dict) else None
    return isinstance(logging, dict) and logging.get("EnableLogging") is True


def _count_tables(pipeline: Pipeline) -> int:
    """Data topics of a pipeline: one per captured table, or one per include rule when a rule is a pattern."""
    capture = capture_set(pipeline.source)
    if capture.named_one_by_one:
        return len(capture.tables)
    if capture.includes:
        return capture.includes
    return max(1, len(pipeline.source.topics))


def _today(builder: _Builder, inventory: Inventory, regions: set[str] | None) -> None:
    hours = builder.assumptions.hours_per_month
    for region in inventory.regions:
        if regions is not None and region.region not in regions:
            continue
        tasks_by_instance: dict[str, list[str]] = defaultdict(list)
        for task in region.tasks:
            if task.serverless is None and task.replication_instance_arn:
                tasks_by_instance[task.replication_instance_arn].append(task.identifier)
        instances: dict[str, ReplicationInstance] = {ri.arn: ri for ri in region.replication_instances}
        for instance in region.replication_instances:
            _price_instance(builder, region.region, instance, tuple(tasks_by_instance.get(instance.arn, ())), hours)
        for task in region.tasks:
            if task.serverless is not None:
                _price_serverless(builder, region.region, task, hours)
            elif task.replication_instance_arn not in instances:
                builder.add(
                    TODAY,
                    region.region,
                    f"task {task.identifier}: replication instance not in the inventory",
                    Decimal("0"),
                    "hour",
                    "dms.instance:unknown",
                    pipelines=(task.identifier,),
                    note="re-run `dms2msk scan` so the instance is read too",
                )
            if _logging_enabled(task):
                builder.add(
                    TODAY,
                    region.region,
                    f"CloudWatch Logs ingestion, DMS task {task.identifier}",
                    builder.assumptions.dms_task_log_gb_per_month,
                    "GB",
                    "logs.ingestion",
                    pipelines=(task.identifier,),
                    note="assumption dms-task-log-gb-per-month",
                )


def _price_instance(
    builder: _Builder, region: str, instance: ReplicationInstance, tasks: tuple[str, ...], hours: Decimal
) -> None:
    az = "multi-az" if instance.multi_az else "single-az"
    az_words = "Multi-AZ" if instance.multi_az else "Single-AZ"
    share_note = f"shared by {len(tasks)} task(s)" if tasks else "no task runs on it: idle cost"
    builder.add(
        TODAY,
        region,
        f"DMS instance {instance.identifier} ({instance.instance_class}, {az_words})",
        hours,
        "hour",
        f"dms.instance:{instance.instance_class}:{az}",
        pipelines=tasks,
        note=share_note,
    )
    included = builder.catalog.included_storage_gb(instance.instance_class)
    if included is None:
        builder.add(
            TODAY,
            region,
            f"DMS storage {instance.identifier}: included storage of {instance.instance_class} unknown",
            Decimal(instance.allocated_storage_gb),
            "GB-month",
            f"dms.included-storage:{instance.instance_class}",
            pipelines=tasks,
            note="add the family to dms_included_storage_gb in a --prices FILE",
        )
        return
    provenance = (
        f"the {included.gb} GB of storage a {included.family} DMS instance includes is not in AWS's price files; "
        f"source: {included.source}"
    )
    if provenance not in builder.notes:
        builder.notes.append(provenance)
    extra = max(0, instance.allocated_storage_gb - included.gb)
    if extra:
        builder.add(
            TODAY,
            region,
            f"DMS storage {instance.identifier} beyond the {included.gb} GB included",
            Decimal(extra),
            "GB-month",
            f"dms.storage:{az}",
            pipelines=tasks,
            note=f"{instance.allocated_storage_gb} GB allocated"
            + ("" if included.verified else "; included storage unverified"),
        )


def _price_serverless(builder: _Builder, region: str, task: ReplicationTask, hours: Decimal) -> None:
    compute = task.serverless
    assert compute is not None
    low = compute.min_capacity_units or 1  # 1 DCU is the smallest DMS Serverless capacity
    high = compute.max_capacity_units or low
    dcu = builder.assumptions.dms_serverless_dcu
    dcu = Decimal(low) if dcu is None else dcu
    factor = Decimal("2") if compute.multi_az else Decimal("1")
    note = f"DCU range {low}-{high}; priced at {dcu} DCU (assumption dms-serverless-dcu)"
    if compute.multi_az:
        note += "; Multi-AZ priced 2x the Single-AZ DCU-hour, like provisioned DMS (unconfirmed by AWS's documentation)"
    builder.add(
        TODAY,
        region,
        f"DMS Serverless {task.identifier} ({low}-{high} DCU{', Multi-AZ' if compute.multi_az else ''})",
        dcu * hours,
        "DCU-hour",
        "dms.serverless.dcu",
        pipelines=(task.identifier,),
        note=note,
        factor=factor,
    )


def _broker_count(settings: Settings, pipelines: list[Pipeline]) -> tuple[int, str]:
    if settings.cluster.broker_count:
        return settings.cluster.broker_count, "cluster.broker_count"
    subnets = len(settings.network.subnet_ids) or max((len(p.network.subnet_ids) for p in pipelines), default=0)
    return max(2, subnets), f"one per subnet ({subnets} subnet(s)), at least 2"


def _proposed(builder: _Builder, result: MappingResult, settings: Settings, regions: set[str] | None) -> None:
    a = builder.assumptions
    hours = a.hours_per_month
    by_region: dict[str, list[Pipeline]] = defaultdict(list)
    for pipeline in result.pipelines:
        if regions is None or pipeline.region in regions:
            by_region[pipeline.region].append(pipeline)
    retention = a.log_retention_days if a.log_retention_days is not None else settings.connectors.log_retention_days
    for region, pipelines in sorted(by_region.items()):
        keys = tuple(p.task_identifier for p in pipelines)
        cluster = settings.cluster
        if cluster.mode == "existing":
            builder.notes.append(
                f"{region}: the existing MSK cluster {cluster.existing_cluster_arn or '(ARN not set)'} is priced as"
                " zero;"
                " its cost does not change if the connectors are added to it (check its broker load and storage)."
            )
        elif cluster.mode == "serverless":
            builder.add(
                PROPOSED,
                region,
                f"MSK Serverless cluster {cluster.name}",
                hours,
                "cluster-hour",
                "msk.serverless.cluster",
                pipelines=keys,
                fixed=True,
            )
            partitions = 0
            for p in pipelines:
                topics = a.topics_per_pipeline if a.topics_per_pipeline is not None else _count_tables(p)
                # data topics + the schema history topic + each connector's Connect internal topics
                partitions += topics * a.partitions_per_topic + 1 + MSK_CONNECT_INTERNAL_PARTITIONS * len(p.connectors)
            builder.add(
                PROPOSED,
                region,
                f"MSK Serverless partitions ({partitions})",
                Decimal(partitions) * hours,
                "partition-hour",
                "msk.serverless.partition",
                pipelines=keys,
                note="data topics x partitions-per-topic + 1 schema-history + 31 Connect-internal per connector",
            )
            data_in = a.data_gb_per_pipeline_month * len(pipelines)
            readers = sum(1 for p in pipelines if p.sink is not None)
            builder.add(
                PROPOSED,
                region,
                "MSK Serverless data in",
                data_in,
                "GB",
                "msk.serverless.data-in",
                pipelines=keys,
                note="assumption data-gb-per-pipeline-month",
            )
            if readers:
                builder.add(
                    PROPOSED,
                    region,
                    "MSK Serverless data out (sinks)",
                    a.data_gb_per_pipeline_month * readers,
                    "GB",
                    "msk.serverless.data-out",
                    pipelines=keys,
                    note="each sink reads its pipeline's data once",
                )
            stored = data_in * Decimal(a.topic_retention_days) / a.days_per_month
            builder.add(
                PROPOSED,
                region,
                "MSK Serverless storage",
                stored,
                "GB-month",
                "msk.serverless.storage",
                pipelines=keys,
                note=f"topics keep {a.topic_retention_days} days (assumption)",
            )
        else:
            brokers, why = _broker_count(settings, pipelines)
            broker_type = cluster.broker_instance_type
            builder.add(
                PROPOSED,
                region,
                f"MSK brokers {brokers} x {broker_type}",
                Decimal(brokers) * hours,
                "broker-hour",
                f"msk.broker:{broker_type}",
                pipelines=keys,
                note=f"broker count: {why}",
                fixed=True,
            )
            if broker_type.startswith(EXPRESS_BROKER_PREFIX):
                _price_express_data(builder, region, keys, len(pipelines))
            else:
                builder.add(
                    PROPOSED,
                    region,
                    f"MSK storage {brokers} x {cluster.ebs_volume_size_gb} GB",
                    Decimal(brokers * cluster.ebs_volume_size_gb),
                    "GB-month",
                    "msk.storage",
                    pipelines=keys,
                    fixed=True,
                )
        for pipeline in pipelines:
            _price_pipeline(builder, region, pipeline, settings, retention)


def _price_express_data(builder: _Builder, region: str, keys: tuple[str, ...], pipelines: int) -> None:
    """Express brokers bill data written and data stored, not provisioned volumes (no EBS line)."""
    a = builder.assumptions
    data_in = a.data_gb_per_pipeline_month * pipelines
    builder.add(
        PROPOSED,
        region,
        "MSK Express data in",
        data_in,
        "GB",
        "msk.express.data-in",
        pipelines=keys,
        note="assumption data-gb-per-pipeline-month",
    )
    builder.add(
        PROPOSED,
        region,
        "MSK Express storage",
        data_in * Decimal(a.topic_retention_days) / a.days_per_month,
        "GB-month",
        "msk.express.storage",
        pipelines=keys,
        note=f"topics keep {a.topic_retention_days} days (assumption)",
    )


def _price_pipeline(builder: _Builder, region: str, pipeline: Pipeline, settings: Settings, retention: int) -> None:
    a = builder.assumptions
    owner = (pipeline.task_identifier,)
    workers, mcus = settings.connectors.worker_count, settings.connectors.mcu_count
    new_secrets: dict[str, str] = {}
    for connector in pipeline.connectors:
        builder.add(
            PROPOSED,
            region,
            f"MSK Connect {connector.name} ({workers} worker x {mcus} MCU)",
            Decimal(workers * mcus) * a.hours_per_month,
            "MCU-hour",
            "mskconnect.mcu",
            pipelines=owner,
        )
        builder.add(
            PROPOSED,
            region,
            f"CloudWatch Logs ingestion, {connector.name}",
            a.connector_log_gb_per_month,
            "GB",
            "logs.ingestion",
            pipelines=owner,
            note="assumption connector-log-gb-per-month",
        )
        stored = a.connector_log_gb_per_month * Decimal(retention) / a.days_per_month
        builder.add(
            PROPOSED,
            region,
            f"CloudWatch Logs storage, {connector.name}",
            stored,
            "GB-month",
            "logs.storage",
            pipelines=owner,
            note=f"steady state with {retention}-day retention",
        )
        for secret in connector.secrets:
            if not secret.existing:
                new_secrets.setdefault(secret.key, secret.name)
    for name in sorted(new_secrets.values()):
        builder.add(
            PROPOSED,
            region,
            f"Secrets Manager secret {name}",
            Decimal("1"),
            "secret-month",
            "secretsmanager.secret",
            pipelines=owner,
            note="new secret; existing DMS secrets cost the same today",
        )


def _attribute(lines: list[CostLine], side: str) -> dict[tuple[str, str], Amount]:
    """Split each shared line evenly among the pipelines (tasks) it serves."""
    shares: dict[tuple[str, str], Amount] = defaultdict(Amount)
    for line in lines:
        if line.side != side or not line.pipelines:
            continue
        part = Amount(Decimal("0"), 1) if line.monthly is None else Amount(line.monthly / len(line.pipelines), 0)
        for task in line.pipelines:
            shares[(line.region, task)] = shares[(line.region, task)] + part
    return shares


def _break_even(pipelines: list[PipelineCost], lines: list[CostLine], complete: bool) -> BreakEven:
    migrated = [p for p in pipelines if p.migrated]
    count = len(migrated)
    if not count:
        return BreakEven(
            Decimal("0"),
            Decimal("0"),
            Decimal("0"),
            None,
            complete,
            "no pipeline was mapped, so there is no MSK shape to compare",
        )
    migrated_keys = {(p.region, p.task_identifier) for p in migrated}
    per_pipeline_dms = sum((p.today.known for p in migrated), Decimal("0")) / count
    fixed = Decimal("0")
    variable = Decimal("0")
    for line in lines:
        if line.side != PROPOSED or line.monthly is None or not line.pipelines:
            continue
        if not all((line.region, task) in migrated_keys for task in line.pipelines):
            continue  # DMS tasks that stay are not part of the MSK shape
        if line.fixed:
            fixed += line.monthly
        else:
            variable += line.monthly
    per_pipeline_msk = variable / count
    if not complete:
        # A verdict from partial sums (say, logs priced but brokers unknown) would mislead.
        return BreakEven(
            fixed,
            per_pipeline_msk,
            per_pipeline_dms,
            None,
            complete,
            "no break-even: some figures are unknown (see the marked lines); supply them and run again",
        )
    if per_pipeline_dms > per_pipeline_msk:
        needed = math.floor(fixed / (per_pipeline_dms - per_pipeline_msk)) + 1
        text = (
            f"MSK is cheaper from {needed} pipeline(s) of this estate's average shape: "
            f"{cents(fixed)} fixed + {cents(per_pipeline_msk)} per pipeline against {cents(per_pipeline_dms)} on DMS"
        )
    else:
        needed = None
        text = (
            f"MSK is never cheaper at this shape: each pipeline costs {cents(per_pipeline_msk)} on MSK Connect "
            f"against {cents(per_pipeline_dms)} on DMS, on top of {cents(fixed)} fixed for the cluster"
        )
    return BreakEven(fixed, per_pipeline_msk, per_pipeline_dms, needed, complete, text)


def estimate(
    inventory: Inventory,
    result: MappingResult,
    settings: Settings,
    catalog: PriceCatalog,
    assumptions: Assumptions | None = None,
    *,
    regions: tuple[str, ...] | None = None,
) -> CostReport:
    """Price today's DMS estate and the proposed MSK estate, per pipeline and in total."""
    assumptions = assumptions or Assumptions()
    wanted = set(regions) if regions else None
    builder = _Builder(catalog, assumptions)
    _today(builder, inventory, wanted)
    _proposed(builder, result, settings, wanted)

    mapped = {(p.region, p.task_identifier) for p in result.pipelines}
    today_shares = _attribute(builder.lines, TODAY)
    # A task that was not mapped stays on DMS: its share is part of the proposed bill too.
    for region, task in inventory.iter_tasks():
        if (wanted is None or region.region in wanted) and (region.region, task.identifier) not in mapped:
            for line in [ln for ln in builder.lines if ln.side == TODAY and task.identifier in ln.pipelines]:
                if line.region != region.region:
                    continue
                share = Decimal(1) / len(line.pipelines)
                builder.lines.append(
                    replace(
                        line,
                        side=PROPOSED,
                        component=f"stays on DMS: {line.component}"
                        + (f" (share of {task.identifier})" if len(line.pipelines) > 1 else ""),
                        quantity=line.quantity * share,
                        monthly=None if line.monthly is None else line.monthly * share,
                        pipelines=(task.identifier,),
                        note="task not mapped (see the findings); it keeps running on DMS",
                    )
                )
    proposed_shares = _attribute(builder.lines, PROPOSED)
    pipeline_costs: list[PipelineCost] = []
    for region, task in inventory.iter_tasks():
        if wanted is not None and region.region not in wanted:
            continue
        key = (region.region, task.identifier)
        pipeline_costs.append(
            PipelineCost(
                task.identifier,
                region.region,
                today_shares.get(key, Amount()),
                proposed_shares.get(key, Amount()),
                key in mapped,
            )
        )
    today_total = _amount([ln for ln in builder.lines if ln.side == TODAY])
    proposed_total = _amount([ln for ln in builder.lines if ln.side == PROPOSED])
    complete = today_total.complete and proposed_total.complete
    break_even = _break_even(pipeline_costs, builder.lines, complete)

    used: dict[tuple[str, str], set[str]] = defaultdict(set)
    for line in builder.lines:
        if line.unknown:
            used[(line.region, line.price_key)].add(line.component)
    missing = tuple(MissingFigure(r, k, tuple(sorted(c))) for (r, k), c in sorted(used.items()))
    notes = list(builder.notes)
    if inventory.partial:
        notes.append("the inventory is partial (scan could not read everything); the today side may be low")
    if missing:
        notes.append(
            "unknown figures are left out of the totals; supply them with --prices live (AWS Price List API) "
            "or --prices FILE (today's AWS pricing-page file of the service, or a catalog JSON like the bundled "
            "one), or --fallback-region us-east-1 to use another region's figures as a stand-in"
        )
    inferred = sorted({(ln.price_key, ln.region, ln.inferred) for ln in builder.lines if ln.inferred})
    notes += [f"{key} ({region}) is an inferred figure: {how}" for key, region, how in inferred]
    if any(line.proxied_from for line in builder.lines):
        notes.append("figures marked ~ are another region's prices standing in (--fallback-region)")
    notes.append(
        "not priced: data transfer, KMS keys, the S3 plugin objects, Secrets Manager API calls and DMS endpoints "
        "(free); existing DMS secrets cost the same before and after"
    )
    return CostReport(
        catalog_name=catalog.name,
        catalog_read_on=catalog.read_on,
        currency=catalog.currency,
        assumptions=replace(
            assumptions,
            log_retention_days=(
                assumptions.log_retention_days
                if assumptions.log_retention_days is not None
                else settings.connectors.log_retention_days
            ),
        ),
        lines=tuple(builder.lines),
        pipelines=tuple(pipeline_costs),
        today=today_total,
        proposed=proposed_total,
        break_even=break_even,
        missing=missing,
        notes=tuple(list(catalog.notes) + notes),
        regions=tuple(sorted({ln.region for ln in builder.lines})),
    )
