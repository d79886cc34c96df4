"""The embedded PostgreSQL starts safely when two processes ask at once."""

import subprocess
import sys
import textwrap
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]

CHILD = textwrap.dedent("""
    import sys
    import psycopg2
    from portal.core.embedded_pg import embedded_database_url
    url = embedded_database_url(__import__("pathlib").Path(sys.argv[1]))
    with psycopg2.connect(url) as conn, conn.cursor() as cur:
        cur.execute("SELECT version()")
        print(cur.fetchone()[0].split()[1])
""")


def test_two_processes_starting_together_share_one_server(tmp_path):
    data = tmp_path / "pg"
    procs = [
        subprocess.Popen(
            [sys.executable, "-c", CHILD, str(data)],
            cwd=ROOT,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )
        for _ in range(2)
    ]
    results = [p.communicate(timeout=120) for p in procs]
    for proc, (out, err) in zip(procs, results, strict=True):
        assert proc.returncode == 0, err
        assert out.strip().startswith("16.")
    assert (data / "PG_VERSION").read_text().strip() == "16"
