"""Fill the zh_Hans catalogue from locale/zh_hans.tsv and compile both catalogues.

The TSV (English msgid, TAB, Chinese) is the reviewable list of translations;
`make messages` extracts the msgids, then runs this. It needs no GNU gettext:
polib writes the .mo files, so the catalogues can be rebuilt on any machine.
"""

import csv
import sys
from pathlib import Path

import polib

HERE = Path(__file__).resolve().parent


def load_table() -> dict[str, str]:
    with open(HERE / "zh_hans.tsv", encoding="utf-8", newline="") as fh:
        rows = csv.reader(fh, delimiter="\t", quoting=csv.QUOTE_NONE)
        return {row[0].replace("\\n", "\n"): row[1].replace("\\n", "\n") for row in rows if row}


def main() -> int:
    table = load_table()
    po_path = HERE / "zh_Hans" / "LC_MESSAGES" / "django.po"
    po = polib.pofile(str(po_path))
    missing = []
    for entry in po:
        if entry.msgid in table:
            if entry.msgid_plural:  # Chinese has one plural form
                entry.msgstr_plural = {0: table[entry.msgid]}
            else:
                entry.msgstr = table[entry.msgid]
            if "fuzzy" in entry.flags:
                entry.flags.remove("fuzzy")
        else:
            missing.append(entry.msgid)
    po.metadata["Language"] = "zh_Hans"
    po.metadata["Content-Type"] = "text/plain; charset=UTF-8"
    po.metadata["Plural-Forms"] = "nplurals=1; plural=0;"
    po.save(str(po_path))
    po.save_as_mofile(str(po_path.with_suffix(".mo")))
    en_path = HERE / "en" / "LC_MESSAGES" / "django.po"
    if en_path.exists():
        polib.pofile(str(en_path)).save_as_mofile(str(en_path.with_suffix(".mo")))
    for msgid in missing:
        print(f"untranslated: {msgid!r}", file=sys.stderr)
    return 1 if missing else 0


if __name__ == "__main__":
    sys.exit(main())
