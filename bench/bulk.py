"""Bulk path: the Excel import of 10,000 achievements (target ≤ 60 s).

    python bench/bulk.py [--rows 10000]

Writes a workbook of --rows rows in the import template's columns from
achievements bench/generate.py loaded (the texts vary row to row), then runs
the import service (achievements.imports.achievements_import: read, validate
every row, bulk insert, index for search) as a university member, timed,
inside a transaction that is rolled back so the database is unchanged.
"""

import argparse
import io
import os
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "portal.settings")
os.environ.setdefault("DEBUG", "1")

import django  # noqa: E402

django.setup()

from django.core.files.uploadedfile import SimpleUploadedFile  # noqa: E402
from django.db import transaction  # noqa: E402
from openpyxl import Workbook  # noqa: E402

from accounts.models import Organization, User  # noqa: E402
from achievements.imports import HEADERS, achievements_import  # noqa: E402
from achievements.models import Achievement  # noqa: E402
from portal.core.reference import Industry, TechField  # noqa: E402

FIELDS = dict(TechField.choices)
INDUSTRIES = dict(Industry.choices)
MODES = dict(Achievement.TransferMode.choices)
PRICING = dict(Achievement.PricingMode.choices)


def workbook(rows: int) -> bytes:
    source = list(
        Achievement.objects.order_by("id").values(
            "title",
            "summary",
            "description",
            "tech_field",
            "industries",
            "keywords",
            "trl",
            "transfer_modes",
            "pricing_mode",
            "asking_price",
        )[:rows]
    )
    if len(source) < rows:
        raise SystemExit(f"needs {rows:,} achievements: run bench/generate.py first")
    book = Workbook(write_only=True)
    sheet = book.create_sheet()
    sheet.append(HEADERS)
    for n, a in enumerate(source):
        sheet.append(
            [
                f"{a['title']}（批量{n}）",
                a["summary"],
                a["description"],
                str(FIELDS[a["tech_field"]]),
                ", ".join(str(INDUSTRIES[i]) for i in a["industries"]),
                ", ".join(a["keywords"]),
                a["trl"],
                "张三, 李四",
                "",
                ", ".join(str(MODES[m]) for m in a["transfer_modes"]) or str(MODES["transfer"]),
                str(PRICING[a["pricing_mode"]]),
                str(a["asking_price"]) if a["asking_price"] is not None else "",
            ]
        )
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--rows", type=int, default=10_000)
    args = parser.parse_args()
    t = time.perf_counter()
    data = workbook(args.rows)
    written = time.perf_counter() - t
    org = Organization.objects.filter(kind="university").first()
    with transaction.atomic():
        user = User.objects.create(username="bench-importer", organization=org)
        upload = SimpleUploadedFile("成果.xlsx", data)
        t = time.perf_counter()
        saved, report = achievements_import(by=user, upload=upload)
        took = time.perf_counter() - t
        transaction.set_rollback(True)
    if report:
        raise SystemExit(f"rows refused: {report[:3]}")
    print(f"workbook: {args.rows:,} rows, {len(data) / 1e6:.1f} MB, written in {written:.1f} s")
    print(f"{'step':<44} {'result':>10}")
    print(f"{'Excel import (target ≤ 60 s for 10,000)':<44} {took:>8.1f} s")
    print(f"{'rows saved (then rolled back)':<44} {saved:>10,}")
    print(f"{'rate':<44} {saved / took:>6,.0f} rows/s")


if __name__ == "__main__":
    main()
