"""Backups: the database with pg_dump, the uploaded files as a tarball, and a
manifest of every table's row count, so a restore can prove it is whole.

    python manage.py backup [--output DIR]      (make backup)
    python manage.py restore DIR [--yes]        (make restore BACKUP=DIR)

A backup is a directory: database.dump (pg_dump's custom format), media.tar.gz
and manifest.json. The pg_dump and pg_restore used are those of the server's
major version (Debian's /usr/lib/postgresql/N/bin, or the embedded server's own).
"""

import json
import shutil
import subprocess  # nosec B404
import tarfile
import warnings
from datetime import UTC, datetime
from pathlib import Path

from django.conf import settings
from django.db import connection, connections
from psycopg2 import sql


class BackupError(Exception):
    pass


def _server_major() -> int:
    with connection.cursor() as cursor:
        cursor.execute("SHOW server_version_num")
        return int(cursor.fetchone()[0]) // 10000


def pg_tool(name: str) -> str:
    """The pg_dump or pg_restore that matches the server's major version."""
    major = _server_major()
    for tool in _candidates(name, major):
        if tool.exists() and _major_of(tool) == major:
            return str(tool)
    raise BackupError(
        f"No {name} for PostgreSQL {major} found (install postgresql-client-{major})."
    )


def _candidates(name: str, major: int):
    yield Path(f"/usr/lib/postgresql/{major}/bin/{name}")
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # platformdirs' XDG_RUNTIME_DIR warning
        import pgserver
    yield Path(pgserver.__file__).parent / "pginstall" / "bin" / name
    on_path = shutil.which(name)
    if on_path:
        yield Path(on_path)


def _run(command: list[str], env: dict | None = None) -> subprocess.CompletedProcess:
    """Run a PostgreSQL client tool: an argument list, never a shell."""
    return subprocess.run(command, capture_output=True, text=True, env=env, check=False)  # noqa: S603  # nosec B603


def _major_of(tool: Path) -> int | None:
    out = _run([str(tool), "--version"])
    try:
        return int(out.stdout.split()[-1].split(".")[0])
    except (IndexError, ValueError):
        return None


def _connection_args(db: dict) -> tuple[list[str], dict]:
    args = ["--no-password"]
    if db.get("HOST"):
        args += ["--host", str(db["HOST"])]
    if db.get("PORT"):
        args += ["--port", str(db["PORT"])]
    if db.get("USER"):
        args += ["--username", str(db["USER"])]
    env = {"PATH": "/usr/bin:/bin"}
    if db.get("PASSWORD"):
        env["PGPASSWORD"] = str(db["PASSWORD"])
    return args, env


def row_counts(alias: str = "default") -> dict[str, int]:
    """Exact row counts of every table of the public schema."""
    with connections[alias].cursor() as cursor:
        cursor.execute(
            "SELECT tablename FROM pg_tables WHERE schemaname = 'public' ORDER BY tablename"
        )
        tables = [row[0] for row in cursor.fetchall()]
        counts = {}
        for table in tables:
            cursor.execute(sql.SQL("SELECT count(*) FROM {}").format(sql.Identifier(table)))
            counts[table] = cursor.fetchone()[0]
    return counts


def backup(output: Path) -> dict:
    """Write database.dump, media.tar.gz and manifest.json into a new directory."""
    output.mkdir(parents=True, exist_ok=False)
    db = connection.settings_dict
    args, env = _connection_args(db)
    dump = output / "database.dump"
    result = _run(
        [pg_tool("pg_dump"), *args, "--format=custom", "--file", str(dump), db["NAME"]], env
    )
    if result.returncode != 0:
        raise BackupError(f"pg_dump failed: {result.stderr.strip()}")
    media = Path(settings.MEDIA_ROOT)
    files = 0
    with tarfile.open(output / "media.tar.gz", "w:gz") as archive:
        if media.exists():
            for path in sorted(media.rglob("*")):
                if path.is_file():
                    archive.add(path, arcname=str(path.relative_to(media)))
                    files += 1
    manifest = {
        "created_at": datetime.now(UTC).isoformat(),
        "database": db["NAME"],
        "rows": row_counts(),
        "media_files": files,
    }
    (output / "manifest.json").write_text(json.dumps(manifest, indent=2, ensure_ascii=False))
    return manifest


def restore(source: Path, *, media_root: Path | None = None) -> dict:
    """Restore a backup over the database and the media directory; return what
    differs from the manifest (empty when the restore is whole)."""
    manifest = json.loads((source / "manifest.json").read_text())
    db = connection.settings_dict
    args, env = _connection_args(db)
    connection.close()
    result = _run(
        [
            pg_tool("pg_restore"),
            *args,
            "--clean",
            "--if-exists",
            "--no-owner",
            "--single-transaction",
            "--dbname",
            db["NAME"],
            str(source / "database.dump"),
        ],
        env,
    )
    if result.returncode != 0:
        raise BackupError(f"pg_restore failed: {result.stderr.strip()}")
    media = Path(media_root or settings.MEDIA_ROOT)
    if media.exists():
        shutil.rmtree(media)
    media.mkdir(parents=True)
    with tarfile.open(source / "media.tar.gz", "r:gz") as archive:
        archive.extractall(media, filter="data")  # the data filter refuses ../ and links
    restored = {
        "rows": row_counts(),
        "media_files": sum(1 for p in media.rglob("*") if p.is_file()),
    }
    differences = {
        table: (count, restored["rows"].get(table))
        for table, count in manifest["rows"].items()
        if restored["rows"].get(table) != count
    }
    if restored["media_files"] != manifest["media_files"]:
        differences["media files"] = (manifest["media_files"], restored["media_files"])
    return differences
