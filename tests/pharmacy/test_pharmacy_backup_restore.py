"""Backups (issue 15 item 6): pg_dump of the database, pg_restore into a fresh one, and the
stock card and its audit history come back intact (README, "Backups")."""

import re
import shutil
import subprocess
from pathlib import Path

import psycopg
import pytest
from django.db import connection

from pharmacy import services
from tests.pharmacy.conftest import prescribe, receive

pytestmark = pytest.mark.django_db(transaction=True)

STOCK_CARD = (
    "SELECT store_id, medicine_id, lot_id, date, movement, quantity_in, quantity_out, "
    "balance_after FROM pharmacy_stockcardline ORDER BY id"
)
STOCK_HISTORY = (
    "SELECT pgh_label, pgh_obj_id, balance_after, pgh_context_id IS NOT NULL "
    "FROM pharmacy_stockcardlineevent ORDER BY pgh_id"
)
PATIENT_HISTORY = "SELECT pgh_label, pgh_obj_id, name FROM patients_patientevent ORDER BY pgh_id"


def _tool(name: str, server_major: int) -> str:
    """The machine's client of the server's major version, else one at least as new."""
    candidates = [Path(f"/usr/lib/postgresql/{server_major}/bin/{name}")]
    try:
        from prb.embedded_db import _bin_dir

        candidates.append(_bin_dir() / name)
    except Exception:  # the embedded server is a dev dependency; it may be absent
        pass
    if found := shutil.which(name):
        candidates.append(Path(found))
    for candidate in candidates:
        if candidate.exists():
            version = subprocess.run([candidate, "--version"], capture_output=True, text=True)
            major = int(re.search(r"\(PostgreSQL\) (\d+)", version.stdout)[1])
            if major >= server_major:
                return str(candidate)
    pytest.fail(f"no {name} of PostgreSQL {server_major} or newer on this machine")


def _conninfo(name: str) -> str:
    params = connection.get_connection_params()
    return psycopg.conninfo.make_conninfo(
        host=params.get("host") or "",
        port=params.get("port") or "",
        user=params.get("user") or "",
        password=params.get("password") or "",
        dbname=name,
    )


def _rows(conninfo: str, query: str) -> list[tuple]:
    with psycopg.connect(conninfo) as db:
        return db.execute(query).fetchall()


def test_a_dump_restored_into_a_fresh_database_keeps_stock_card_and_audit(
    world, store1, metformin, tmp_path
) -> None:
    receive(store1, metformin, 120, user=world.farmasi1)
    services.stock_dispense(
        actor=world.farmasi1, prescription=prescribe(world, world.patient1, metformin, 30)
    )
    world.patient1.name = "Nama Baru"
    world.patient1.save()

    source = connection.settings_dict["NAME"]
    restored = f"{source}_restored"
    live = _conninfo(source)
    stock_card, stock_history = _rows(live, STOCK_CARD), _rows(live, STOCK_HISTORY)
    patient_history = _rows(live, PATIENT_HISTORY)
    assert len(stock_card) == 2 and stock_card[-1][-1] == 90
    assert len(stock_history) >= 2
    assert [row[0] for row in patient_history if row[1] == world.patient1.pk] == [
        "insert",
        "update",
    ]

    major = connection.cursor().connection.info.server_version // 10000
    dump = tmp_path / "prb.dump"
    subprocess.run(
        [_tool("pg_dump", major), "--format=custom", "--no-owner", "--file", dump, live],
        check=True,
        timeout=300,
    )
    admin = _conninfo("postgres")
    with psycopg.connect(admin, autocommit=True) as db:
        db.execute(f'DROP DATABASE IF EXISTS "{restored}"')
        db.execute(f'CREATE DATABASE "{restored}"')
    try:
        subprocess.run(
            [
                _tool("pg_restore", major),
                "--no-owner",
                "--exit-on-error",
                "--dbname",
                _conninfo(restored),
                dump,
            ],
            check=True,
            timeout=300,
        )
        copy = _conninfo(restored)
        assert _rows(copy, STOCK_CARD) == stock_card
        assert _rows(copy, STOCK_HISTORY) == stock_history
        assert _rows(copy, PATIENT_HISTORY) == patient_history
        # The restored ledger is still protected: its triggers came back with it.
        with psycopg.connect(copy) as db, pytest.raises(psycopg.errors.RaiseException):
            db.execute("DELETE FROM pharmacy_stockcardline")
    finally:
        with psycopg.connect(admin, autocommit=True) as db:
            db.execute(f'DROP DATABASE IF EXISTS "{restored}"')
