"""The embedded PostgreSQL used when no DATABASE_URL is given.

`pgserver` ships PostgreSQL binaries in its wheel, so `make run` needs nothing
installed. Its own inter-process lock makes concurrent start-ups (runserver
and a Celery worker starting together) safe: the first process initialises and
starts the server, the others find it running and reuse it. The server stops
when the last process that asked for it exits.
"""

import warnings
from pathlib import Path


def embedded_database_url(data_dir: Path) -> str:
    with warnings.catch_warnings():
        # platformdirs warns when XDG_RUNTIME_DIR is unset (containers, CI); harmless.
        warnings.simplefilter("ignore")
        import pgserver
        import platformdirs

        platformdirs.user_runtime_path("python_PostgresServer")

    data_dir.mkdir(parents=True, exist_ok=True)
    server = pgserver.get_server(data_dir, cleanup_mode="stop")
    # The URI names a unix socket: postgresql://postgres:@/postgres?host=/tmp/...
    return server.get_uri()
