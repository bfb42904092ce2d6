"""The worker configuration's properties, computed once in Python.

Render passes the computed map to ``modules/worker-config`` (its ``properties`` input),
whose only work is to join the sorted ``key=value`` lines, and records the same map in
``OUT/dms2msk.json`` so ``dms2msk plan`` can diff it property by property. Any change of
these properties replaces the worker configuration and every connector that uses it.
"""

from __future__ import annotations

import re
from typing import Any

from ..config import OFFSETS_TOPIC_PREFIX, Settings, check_worker_settings
from ..model import WorkerConfiguration
from .hcl import Expression

PROVIDER_CLASSES = {
    "secretsmanager": "com.amazonaws.kafka.config.providers.SecretsManagerConfigProvider",
    "ssm": "com.amazonaws.kafka.config.providers.SsmParamStoreConfigProvider",
    "s3import": "com.amazonaws.kafka.config.providers.S3ImportConfigProvider",
}
"""Classes of aws-samples/msk-config-providers, which `dms2msk plugins build` puts into every plugin ZIP."""

DESCRIPTION = "dms2msk: JSON converters and the MSK config providers"

SECRET_NAME_ENDINGS: tuple[tuple[str, ...], ...] = (
    ("password",),
    ("passwd",),
    ("pwd",),
    ("pass",),
    ("passphrase",),
    ("secret",),
    ("token",),
    ("credentials",),
    ("jaas", "config"),  # sasl.jaas.config holds the login module's password
    ("user", "info"),  # basic.auth.user.info is "user:password" for the Schema Registry
    ("private", "key"),
    ("secret", "key"),
    ("access", "key"),
    ("api", "key"),
    ("keystore", "key"),  # ssl.keystore.key: a PEM private key
)
"""Property names ending in these words (split at ``.``, ``_`` and ``-``) hold a secret."""


def is_secret_property(name: str) -> bool:
    """Whether a Kafka/Connect property named ``name`` holds a secret, decided by how its name ends.

    The rule: split the name at ``.``, ``_`` and ``-``; it is a secret when its last words are one of
    :data:`SECRET_NAME_ENDINGS` (``ssl.key.password``, ``x.pwd``, ``schema.registry.basic.auth.user.info``,
    ``sasl.jaas.config``). Only the end counts, because a name says what its value is last:
    ``basic.auth.credentials.source`` names where the credentials come from (``USER_INFO``) and
    ``ssl.keystore.location`` a file path, neither a secret. A secret's value must be a config-provider
    reference (``${secretsmanager:NAME:KEY}``), resolved on the worker and never written as text.
    """
    words = tuple(word for word in re.split(r"[._-]+", name.lower()) if word)
    return any(words[-len(ending) :] == ending for ending in SECRET_NAME_ENDINGS)


def worker_name(settings: Settings) -> str:
    """The worker configuration's name: ``<name_prefix>-workers`` (the root writes ``${var.name_prefix}-workers``)."""
    return f"{settings.name_prefix}-workers"


def offsets_topic(settings: Settings) -> str:
    """The pinned, compacted offsets topic: ``[workers] offset_storage_topic`` or one per name prefix.

    MSK Connect otherwise gives each connector a topic named after its UUID, so a replaced connector
    would start from nothing; Kafka Connect creates the topic compacted on first use.
    """
    return settings.workers.offset_storage_topic or f"{OFFSETS_TOPIC_PREFIX}offsets_{settings.name_prefix}"


def region_keys(providers: tuple[str, ...] | list[str]) -> tuple[str, ...]:
    """The properties that carry the region the config providers read from."""
    return tuple(f"config.providers.{provider}.param.region" for provider in sorted(set(providers)))


def worker_properties(settings: Settings, region: str) -> dict[str, str]:
    """Every worker property, sorted by name; the same rules as the module's typed variables."""
    workers = settings.workers
    providers = sorted(set(workers.config_providers))
    properties: dict[str, str] = {
        "key.converter": workers.key_converter,
        "key.converter.schemas.enable": _terraform_string(workers.schemas_enable),
        "value.converter": workers.value_converter,
        "value.converter.schemas.enable": _terraform_string(workers.schemas_enable),
        "offset.flush.interval.ms": _terraform_string(workers.offset_flush_interval_ms),
        "offset.flush.timeout.ms": _terraform_string(workers.offset_flush_timeout_ms),
        "offset.storage.topic": offsets_topic(settings),
        "task.shutdown.graceful.timeout.ms": _terraform_string(workers.task_shutdown_graceful_timeout_ms),
    }
    if providers:
        properties["config.providers"] = ",".join(providers)
    for provider in providers:
        properties[f"config.providers.{provider}.class"] = PROVIDER_CLASSES[provider]
        properties[f"config.providers.{provider}.param.region"] = region
    if "s3import" in providers:
        properties["config.providers.s3import.param.local.dir"] = workers.s3import_local_dir
    properties.update(workers.extra_properties)
    return dict(sorted(properties.items()))


def properties_file_content(properties: dict[str, str]) -> str:
    """``key=value`` lines sorted by key, each ending in a newline: what the module writes to AWS."""
    return "".join(f"{key}={properties[key]}\n" for key in sorted(properties))


def worker_configuration(settings: Settings, region: str, *, config_file: str = "--config FILE") -> WorkerConfiguration:
    """The worker configuration render declares and records in the manifest (ConfigError for bad settings)."""
    check_worker_settings(settings.workers, config_file=config_file)
    return WorkerConfiguration(
        name=worker_name(settings),
        properties=worker_properties(settings, region),
        description=DESCRIPTION,
        offsets_topic=offsets_topic(settings),
    )


def module_arguments(configuration: WorkerConfiguration, settings: Settings, region: str) -> dict[str, Any]:
    """The ``module "worker_config"`` arguments: the computed map, laid out as HCL.

    The region entries refer to ``var.region`` (whose default is ``region``), so a root whose
    region variable is overridden keeps its config providers in the same region as everything else.
    """
    bound = set(region_keys(settings.workers.config_providers))
    properties: dict[str, Any] = {
        key: Expression("var.region") if key in bound and value == region else value
        for key, value in sorted(configuration.properties.items())
    }
    return {
        "name": Expression('"${var.name_prefix}-workers"'),
        "description": configuration.description or DESCRIPTION,
        "region": Expression("var.region"),
        "properties": properties,
    }


def _terraform_string(value: bool | int) -> str:
    """What Terraform's ``tostring()`` gives for a bool or a whole number."""
    if isinstance(value, bool):
        return "true" if value else "false"
    return str(value)


__all__ = [
    "DESCRIPTION",
    "PROVIDER_CLASSES",
    "is_secret_property",
    "module_arguments",
    "offsets_topic",
    "properties_file_content",
    "region_keys",
    "worker_configuration",
    "worker_name",
    "worker_properties",
]
