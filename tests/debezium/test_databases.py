"""The database fixtures start real servers configured for CDC."""

from __future__ import annotations

import pytest


@pytest.mark.real
def test_postgres_is_ready_for_logical_decoding(postgres_db) -> None:  # type: ignore[no-untyped-def]
    with postgres_db.connect() as conn:
        assert conn.execute("show wal_level").fetchone() == ("logical",)
        assert int(conn.execute("show max_replication_slots").fetchone()[0]) >= 10


@pytest.mark.real
def test_mariadb_has_a_row_binlog(mariadb_server) -> None:  # type: ignore[no-untyped-def]
    with mariadb_server.connect() as conn, conn.cursor() as cursor:
        cursor.execute("SELECT @@log_bin, @@binlog_format")
        assert cursor.fetchone() == (1, "ROW")
