"""Throughput of the achievements list and detail next to a trivial JSON view.

    python bench/throughput.py [--duration 60] [--connections 8]

Serves the portal with gunicorn (2 sync workers, the production command of
the README) with one extra URL, /bench/trivial, a JSON view behind the same
middleware; then drives each URL in turn with wrk (installed with apt-get when
missing) for --duration seconds and prints requests/s, p50, p95, errors, and
the ratio of each to the trivial view. Uses the database DATABASE_URL names:
fill it first with bench/generate.py. Target: list ≥ 50% of trivial, no error.
"""

import argparse
import os
import re
import shutil
import signal
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "portal.settings")
os.environ.setdefault("DEBUG", "0")
os.environ.setdefault("SECRET_KEY", "bench-only-secret-key-not-for-production-use-0123456789")
os.environ.setdefault("ALLOWED_HOSTS", "127.0.0.1")
os.environ.setdefault("SECURE_SSL_REDIRECT", "0")  # plain HTTP on the loopback

# wrk reports p50/p90/p99 by default; this prints the figures we want.
REPORT = """
done = function(summary, latency, requests)
  local errors = summary.errors.connect + summary.errors.read + summary.errors.write
    + summary.errors.status + summary.errors.timeout
  io.write(string.format("RESULT %d %.3f %.3f %.3f %d\\n", summary.requests,
    summary.duration / 1e6, latency:percentile(50) / 1e3, latency:percentile(95) / 1e3,
    errors))
end
"""

URLCONF = """
from django.http import JsonResponse
from django.urls import include, path


def trivial(request):
    return JsonResponse({"ok": True})


urlpatterns = [path("bench/trivial", trivial), path("", include("portal.site.urls"))]
"""


def ensure_wrk() -> str:
    found = shutil.which("wrk")
    if found:
        return found
    subprocess.run(
        ["apt-get", "install", "-y", "-qq", "wrk"],
        check=True,
        env={**os.environ, "DEBIAN_FRONTEND": "noninteractive"},
    )
    return shutil.which("wrk")


def wait_until_up(url: str, seconds: float = 30) -> None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        try:
            urllib.request.urlopen(url, timeout=2).read()  # nosec B310
            return
        except OSError:
            time.sleep(0.3)
    raise SystemExit(f"gunicorn did not answer {url}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--duration", type=int, default=60)
    parser.add_argument("--connections", type=int, default=8)
    parser.add_argument("--port", type=int, default=8765)
    args = parser.parse_args()
    wrk = ensure_wrk()

    import django

    django.setup()
    from achievements.models import Achievement

    detail_pk = Achievement.objects.filter(status="published").values_list("pk", flat=True)[:1]
    if not detail_pk:
        raise SystemExit("no published achievement: run bench/generate.py first")
    published = Achievement.objects.filter(status="published").count()

    work = Path(tempfile.mkdtemp(prefix="bench-throughput-"))
    (work / "bench_urls.py").write_text(URLCONF)
    (work / "bench_settings.py").write_text(
        "from portal.settings import *  # noqa: F403\nROOT_URLCONF = 'bench_urls'\n"
    )
    (work / "report.lua").write_text(REPORT)
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "bench_settings",
        "PYTHONPATH": f"{work}{os.pathsep}{ROOT}",
    }
    base = f"http://127.0.0.1:{args.port}"
    server = subprocess.Popen(
        [
            str(Path(sys.executable).parent / "gunicorn"),
            "portal.wsgi",
            "--workers",
            "2",
            "--bind",
            f"127.0.0.1:{args.port}",
            "--log-level",
            "warning",
        ],
        cwd=ROOT,
        env=env,
        start_new_session=True,
    )
    try:
        wait_until_up(f"{base}/bench/trivial")
        targets = [
            ("trivial JSON view", "/bench/trivial"),
            ("achievements list", "/api/v1/achievements/"),
            ("achievement detail", f"/api/v1/achievements/{detail_pk[0]}/"),
        ]
        rows = []
        for name, path in targets:
            urllib.request.urlopen(base + path, timeout=10).read()  # nosec B310
            out = subprocess.run(
                [
                    wrk,
                    "-t",
                    "2",
                    "-c",
                    str(args.connections),
                    "-d",
                    f"{args.duration}s",
                    "--timeout",
                    "10s",
                    "-s",
                    str(work / "report.lua"),
                    base + path,
                ],
                capture_output=True,
                text=True,
                check=True,
            ).stdout
            requests, seconds, p50, p95, errors = re.search(
                r"RESULT (\d+) ([\d.]+) ([\d.]+) ([\d.]+) (\d+)", out
            ).groups()
            rows.append((name, int(requests) / float(seconds), float(p50), float(p95), int(errors)))
    finally:
        os.killpg(server.pid, signal.SIGTERM)
        server.wait(timeout=30)
        shutil.rmtree(work, ignore_errors=True)

    trivial = rows[0][1]
    print(
        f"data: {published:,} published achievements; gunicorn 2 sync workers; "
        f"wrk 2 threads, {args.connections} connections, {args.duration} s per URL"
    )
    print(f"{'URL':<22} {'req/s':>8} {'p50 ms':>8} {'p95 ms':>8} {'errors':>7} {'vs trivial':>11}")
    for name, rate, p50, p95, errors in rows:
        print(
            f"{name:<22} {rate:>8.0f} {p50:>8.1f} {p95:>8.1f} {errors:>7} {rate / trivial:>10.0%}"
        )


if __name__ == "__main__":
    main()
