"""SAP ASE (Sybase): Debezium has no SAP ASE connector.

As a source the task stays on DMS; as a target the Debezium JDBC sink has no ASE dialect.
"""

from __future__ import annotations

from .engine import Engine, EngineName


class Sybase(Engine):
    name = EngineName.SYBASE
    DISPLAY_NAME = "SAP ASE (Sybase)"
    SETTINGS_OBJECTS = ("SybaseSettings",)
    """Where DMS keeps the endpoint's ``SecretsManagerSecretId`` (the emulator seeding puts it there)."""
    NO_SOURCE_REASON = "Debezium has no SAP ASE connector"
    TARGET_ALTERNATIVES = (
        "the Debezium JDBC sink has no SAP ASE dialect; keep this target on DMS or use a generic JDBC "
        "sink with the jConnect driver"
    )
