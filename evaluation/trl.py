"""Technology readiness self-assessment (GB/T 22900-2022, levels 1–9).

Each level has a few yes/no criteria. The result is the highest level whose
criteria, and those of every level below it, are all met (0 if none).
"""

from dataclasses import dataclass

from django.utils.translation import gettext as _

from portal.core.errors import RuleBroken
from portal.core.reference import TRL

# (id, level, criterion) — the criteria paraphrase GB/T 22900-2022's level descriptions.
QUESTIONS = [
    ("1a", 1, "已发现并报告了支撑该技术的基本原理或科学现象。"),
    ("1b", 1, "已通过文献、理论分析或初步观察证实该原理。"),
    ("2a", 2, "已提出将原理应用于具体用途的技术概念或方案。"),
    ("2b", 2, "已分析该方案的可行性并明确了关键技术问题。"),
    ("3a", 3, "已通过实验或仿真验证了关键功能与特性。"),
    ("3b", 3, "已形成实验数据与分析报告。"),
    ("4a", 4, "已在实验室环境中完成部件或模块的集成与验证。"),
    ("4b", 4, "部件或模块的主要性能指标达到设计要求。"),
    ("5a", 5, "已在接近真实的相关环境中验证部件或模块。"),
    ("5b", 5, "已明确与上下游部件的接口和集成要求。"),
    ("6a", 6, "已在相关环境中完成系统样机或演示系统的试验。"),
    ("6b", 6, "已完成工程化设计并评估了制造可行性。"),
    ("7a", 7, "已在真实使用环境中完成样机或原型系统的试验。"),
    ("7b", 7, "已获得用户或第三方的试用评价。"),
    ("8a", 8, "产品已定型，完成了全部验证或鉴定试验。"),
    ("8b", 8, "已具备批量生产的工艺、质量与供应条件。"),
    ("9a", 9, "产品已在实际运行中稳定使用。"),
    ("9b", 9, "已实现销售或规模化应用。"),
]
BY_ID = {q[0]: q for q in QUESTIONS}


@dataclass
class Assessment:
    level: int
    evidence: list[dict]


def questionnaire() -> list[dict]:
    return [{"id": qid, "level": level, "text": text} for qid, level, text in QUESTIONS]


def assess(answers: dict) -> Assessment:
    """answers: {"<id>": true|false, ...} for every question."""
    if not isinstance(answers, dict):
        raise RuleBroken({"answers": [_("Answer every question with true or false.")]})
    missing = [qid for qid in BY_ID if qid not in answers]
    unknown = [qid for qid in answers if qid not in BY_ID]
    wrong = [qid for qid, value in answers.items() if qid in BY_ID and not isinstance(value, bool)]
    if missing or unknown or wrong:
        problems = []
        if missing:
            problems.append(_("Unanswered: %(ids)s.") % {"ids": ", ".join(missing)})
        if unknown:
            problems.append(_("Unknown questions: %(ids)s.") % {"ids": ", ".join(unknown)})
        if wrong:
            problems.append(_("Answer with true or false: %(ids)s.") % {"ids": ", ".join(wrong)})
        raise RuleBroken({"answers": problems})
    level = 0
    for candidate in range(1, 10):
        if all(answers[qid] for qid, lv, _text in QUESTIONS if lv == candidate):
            level = candidate
        else:
            break
    evidence = [
        {"id": qid, "level": lv, "text": text}
        for qid, lv, text in QUESTIONS
        if lv <= level and answers[qid]
    ]
    return Assessment(level=level, evidence=evidence)


def level_name(level: int) -> str:
    return str(TRL(level).label) if level else _("No level reached")
