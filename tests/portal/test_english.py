"""English complete where the portal writes the words (issue 16, point 9, in part):
monitoring's indicators, units, legends and its Excel headers."""

import io
import re

import pytest
from openpyxl import load_workbook

from portal.site.dashboards import LABELS

pytestmark = pytest.mark.django_db
CJK = re.compile(r"[\u4e00-\u9fff]")


def test_monitoring_speaks_english_and_chinese(client):
    client.post("/i18n/setlang/", {"language": "en", "next": "/"})
    page = client.get("/monitoring/").content.decode()
    for label in LABELS.values():
        assert str(label) in page
        assert not CJK.search(str(label))
    sheet = load_workbook(io.BytesIO(client.get("/monitoring/export.xlsx").content)).active
    headers = [c.value for c in sheet[1]][:3]
    assert headers == ["Indicator", "Province", "Province's 2025 target"]
    client.post("/i18n/setlang/", {"language": "zh-hans", "next": "/"})
    chinese = client.get("/monitoring/").content.decode()
    assert "技术合同交易额（亿元）" in chinese and "供需对接·对接申请（件）" in chinese


# --- every word the portal writes has an English form -------------------------

ROOT = __import__("pathlib").Path(__file__).resolve().parents[2]
GETTEXT = {"_", "gettext", "gettext_lazy", "ngettext", "ngettext_lazy", "pgettext", "gettext_noop"}
# Chinese by design, not words of the interface: official documents printed in
# Chinese (certificates, PDFs), the import template whose headings are its
# format, the offices' Excel exports, demo data, reference tables with their
# English beside them, the segmenter's stop words, the brand in settings.
CHINESE_BY_DESIGN = {
    "accounts/demo.py",
    "accounts/regions.py",
    "achievements/demo.py",
    "achievements/imports.py",
    "cases/demo.py",
    "contracts/certificate.py",
    "contracts/demo.py",
    "contracts/exports.py",
    "demands/demo.py",
    "evaluation/pdf.py",
    "events/demo.py",
    "challenges/demo.py",
    "brokers/demo.py",
    "brokers/imports.py",
    "platforms/demo.py",
    "agencies/demo.py",
    "conversions/demo.py",
    "challenges/thresholds.py",
    "experts/demo.py",
    "inquiries/demo.py",
    "market/certificate.py",
    "market/demo.py",
    "market/services/deals.py",
    "portal/core/demo_text.py",
    "portal/core/pdf.py",
    "portal/core/xlsx.py",
    "portal/library/search.py",
    "portal/library/terms.py",
    "portal/settings.py",
    "portal/site/verification.py",
    "portal/site/views.py",
    "scenarios/demo.py",
}
SKIP_DIRS = {".venv", "tests", "bench", "migrations", "locale", "static", ".data", "build"}


def chinese_literals(path):
    """String constants with Chinese characters that are neither a docstring nor
    the argument of a gettext call."""
    import ast

    tree = ast.parse(path.read_text(encoding="utf-8"))
    exempt = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Call):
            name = getattr(node.func, "id", None) or getattr(node.func, "attr", None)
            if name in GETTEXT:
                exempt.update(id(a) for a in node.args)
        body = getattr(node, "body", None)
        if isinstance(body, list) and body and isinstance(body[0], ast.Expr):
            exempt.add(id(body[0].value))
    return [
        node.value
        for node in ast.walk(tree)
        if isinstance(node, ast.Constant)
        and isinstance(node.value, str)
        and CJK.search(node.value)
        and id(node) not in exempt
    ]


def test_no_python_module_writes_chinese_outside_the_catalogue():
    found = {}
    for path in ROOT.rglob("*.py"):
        rel = path.relative_to(ROOT)
        if SKIP_DIRS & set(rel.parts) or rel.parts[0].endswith(".egg-info"):
            continue
        if rel.as_posix() not in CHINESE_BY_DESIGN and (hits := chinese_literals(path)):
            found[rel.as_posix()] = hits[:3]
    assert found == {}


def test_no_template_writes_chinese_outside_translate_tags():
    found = {}
    for path in (ROOT / "templates").rglob("*.html"):
        if path.name in {"500.html", "503.html"}:  # standalone and bilingual
            continue
        text = path.read_text(encoding="utf-8")
        text = re.sub(r"{%\s*(blocktranslate|blocktrans)\b.*?{%\s*end\1\s*%}", "", text, flags=re.S)
        text = re.sub(r"{%.*?%}|{#.*?#}", "", text, flags=re.S)
        if CJK.search(text):
            found[path.name] = CJK.findall(text)[:5]
    assert found == {}


def english(client):
    client.post("/i18n/setlang/", {"language": "en", "next": "/"})
    return client


def test_trl_criteria_and_methods_read_in_english(client):
    from evaluation import methods, trl

    client = english(client)
    page = client.get("/evaluation/").content.decode()
    for method in methods.methods():
        assert method["title"] in page and not CJK.search(method["title"] + method["body"])
        body = client.get(f"/evaluation/methods/{method['slug']}/").content.decode()
        assert method["body"].split("\n")[0][:40] in body
    questions = client.get("/api/v1/evaluation-tools/trl/").json()
    assert len(questions) == len(trl.QUESTIONS)
    assert not any(CJK.search(q["text"]) for q in questions)
    client.post("/i18n/setlang/", {"language": "zh-hans", "next": "/"})
    chinese = client.get("/api/v1/evaluation-tools/trl/").json()
    assert chinese[0]["text"] == "已发现并报告了支撑该技术的基本原理或科学现象。"


def test_markets_and_regions_have_english_names(client):
    from django.utils import translation

    from accounts.models import Market
    from accounts.regions import region_name

    with translation.override("en"):
        assert region_name("420111") == "Hongshan District, Wuhan"
        assert region_name("440305") == "Guangdong"
        assert all(m.name_en and str(m) == m.name_en for m in Market.objects.all())
    with translation.override("zh-hans"):
        assert region_name("420111") == "武汉市洪山区"
        assert str(Market.objects.get(code="xiangyang")) == "襄阳区域技术交易市场"
    page = english(client).get("/monitoring/").content.decode()
    assert "Xiangyang Regional Technology Market" in page
    assert "襄阳区域技术交易市场" not in page
    listing = client.get("/achievements/").content.decode()
    assert "Wuhan" in listing and "武汉市" not in listing
