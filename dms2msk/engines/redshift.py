"""Amazon Redshift: DMS cannot read from Redshift.

The Debezium JDBC sink has no Redshift dialect.
"""

from __future__ import annotations

from .engine import Engine, EngineName


class Redshift(Engine):
    name = EngineName.REDSHIFT
    DISPLAY_NAME = "Amazon Redshift"
    SETTINGS_OBJECTS = ("RedshiftSettings",)
    """Where DMS keeps the endpoint's ``SecretsManagerSecretId`` (the emulator seeding puts it there)."""
    NO_SOURCE_REASON = "DMS cannot read from Redshift"
    TARGET_ALTERNATIVES = (
        "the Debezium JDBC sink has no Redshift dialect; use Redshift streaming ingestion from the MSK "
        "topics, or the Amazon Redshift sink connector, or S3 + COPY"
    )


class RedshiftServerless(Redshift):
    """Redshift Serverless: as Redshift."""

    name = EngineName.REDSHIFT_SERVERLESS
    DISPLAY_NAME = "Amazon Redshift Serverless"
