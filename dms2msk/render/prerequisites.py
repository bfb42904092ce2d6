"""What each source database must allow before its Debezium connector can stream.

The rendered README lists these per source, so the DMS-to-Debezium switch does not
stall on a missing grant or a binlog retention shorter than the cut-over.
"""

from __future__ import annotations

_MYSQL = (
    "Binary log in row format: `binlog_format = ROW`, `binlog_row_image = FULL` "
    "(on RDS/Aurora, in the DB parameter group; Aurora needs a cluster parameter group).",
    "Keep the binlog long enough to cover a connector outage: "
    "`CALL mysql.rds_set_configuration('binlog retention hours', 72);` on RDS/Aurora.",
    "GTIDs recommended: `gtid_mode = ON`, `enforce_gtid_consistency = ON`.",
    "Grants for the connector user: `GRANT SELECT, RELOAD, SHOW DATABASES, REPLICATION SLAVE, "
    "REPLICATION CLIENT, LOCK TABLES ON *.* TO '<user>'@'%';`.",
)

PREREQUISITES: dict[str, tuple[str, ...]] = {
    "mysql": _MYSQL,
    "mariadb": (
        *_MYSQL[:2],
        "Grants for the connector user: `GRANT SELECT, RELOAD, SHOW DATABASES, REPLICATION SLAVE, "
        "BINLOG MONITOR, LOCK TABLES ON *.* TO '<user>'@'%';`.",
    ),
    "postgres": (
        "Logical decoding: `wal_level = logical` (on RDS/Aurora: `rds.logical_replication = 1` in the parameter group, "
        "then reboot).",
        "Room for one replication slot per connector: `max_replication_slots` and `max_wal_senders` above the slots "
        "in use. An idle slot keeps WAL: watch `pg_replication_slots` and set `max_slot_wal_keep_size`.",
        "A publication for the captured tables, or `publication.autocreate.mode` allowed to create it "
        "(needs table ownership).",
        "Grants: `GRANT rds_replication TO <user>;` on RDS/Aurora (elsewhere `ALTER ROLE <user> REPLICATION;`), "
        "plus `SELECT` on the captured tables.",
    ),
    "sqlserver": (
        "CDC on the database: `EXEC msdb.dbo.rds_cdc_enable_db '<db>';` on RDS (elsewhere `sys.sp_cdc_enable_db`).",
        "CDC on each captured table: `EXEC sys.sp_cdc_enable_table @source_schema = '<schema>', "
        "@source_name = '<table>', @role_name = NULL;`.",
        "SQL Server Agent running; CDC retention (`sys.sp_cdc_change_job @job_type = 'cleanup', @retention = ...`) "
        "longer than a connector outage.",
        "Grants: `SELECT` on the captured tables and the `cdc` schema, `VIEW DATABASE STATE`.",
    ),
    "oracle": (
        "ARCHIVELOG mode and supplemental logging: `ALTER DATABASE ADD SUPPLEMENTAL LOG DATA;` and "
        "`ALTER TABLE <t> ADD SUPPLEMENTAL LOG DATA (ALL) COLUMNS;` (on RDS: `rdsadmin.rdsadmin_util` procedures).",
        "Archived logs kept long enough to cover a connector outage (RDS: `archivelog retention hours`).",
        "The LogMiner grants of the Debezium Oracle documentation for the connector user.",
    ),
    "db2": (
        "The Db2 ASN capture agent and the Debezium management UDFs installed; capture tables for each captured table.",
        "Grants: `SELECT` on the captured tables and the ASN control tables.",
    ),
    "mongodb": (
        "A replica set or sharded cluster (change streams need one).",
        "Oplog large enough to cover a connector outage.",
        "Roles for the connector user: `read` on the captured databases and `read` on `local`/`config` as the "
        "Debezium MongoDB documentation lists.",
    ),
}

SINK_PREREQUISITES = (
    "The target tables exist (the sink runs with `auto.create = false`, like the DMS task with its target prep mode), "
    "with a primary key matching the source key for upserts and deletes.",
    "Grants for the sink user: `SELECT, INSERT, UPDATE, DELETE` on the target tables.",
)


def engine_kind(dms_engine: str) -> str:
    """The Debezium connector family of a DMS engine name."""
    name = dms_engine.lower()
    if name in ("aurora", "mysql"):
        return "mysql"
    if "postgres" in name:
        return "postgres"
    if name in ("docdb", "mongodb"):
        return "mongodb"
    return name


def for_source(dms_engine: str) -> tuple[str, ...]:
    return PREREQUISITES.get(
        engine_kind(dms_engine),
        ("See the Debezium documentation of this connector for the database settings and grants it needs.",),
    )
