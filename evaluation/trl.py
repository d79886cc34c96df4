"""Technology readiness self-assessment (GB/T 22900-2022, levels 1–9).

Each level has a few yes/no criteria. The result is the highest level whose
criteria, and those of every level below it, are all met (0 if none).
"""

from dataclasses import dataclass

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from portal.core.errors import RuleBroken
from portal.core.reference import TRL

# (id, level, criterion) — the criteria paraphrase GB/T 22900-2022's level descriptions.
QUESTIONS = [
    (
        "1a",
        1,
        gettext_lazy(
            "The basic principle or scientific phenomenon behind the technology has been found "
            "and reported."
        ),
    ),
    (
        "1b",
        1,
        gettext_lazy(
            "The principle has been confirmed by literature, theoretical analysis or first "
            "observations."
        ),
    ),
    (
        "2a",
        2,
        gettext_lazy(
            "A technology concept or scheme applying the principle to a concrete use has been "
            "proposed."
        ),
    ),
    (
        "2b",
        2,
        gettext_lazy(
            "The scheme's feasibility has been analysed and its key technical problems identified."
        ),
    ),
    (
        "3a",
        3,
        gettext_lazy(
            "The key functions and properties have been verified by experiment or simulation."
        ),
    ),
    ("3b", 3, gettext_lazy("Experimental data and an analysis report exist.")),
    (
        "4a",
        4,
        gettext_lazy("Components or modules have been integrated and verified in the laboratory."),
    ),
    (
        "4b",
        4,
        gettext_lazy(
            "The main performance indicators of the components or modules meet the design."
        ),
    ),
    (
        "5a",
        5,
        gettext_lazy(
            "Components or modules have been verified in a relevant environment close to the "
            "real one."
        ),
    ),
    (
        "5b",
        5,
        gettext_lazy(
            "The interfaces with upstream and downstream components and the integration "
            "requirements are defined."
        ),
    ),
    (
        "6a",
        6,
        gettext_lazy(
            "A system prototype or demonstration system has been tested in a relevant environment."
        ),
    ),
    (
        "6b",
        6,
        gettext_lazy(
            "The engineering design is complete and manufacturing feasibility has been assessed."
        ),
    ),
    (
        "7a",
        7,
        gettext_lazy(
            "A prototype or prototype system has been tested in the real environment of use."
        ),
    ),
    ("7b", 7, gettext_lazy("Users or a third party have evaluated it in trial use.")),
    (
        "8a",
        8,
        gettext_lazy(
            "The product is finalised and has passed every verification or qualification test."
        ),
    ),
    (
        "8b",
        8,
        gettext_lazy(
            "The process, quality and supply conditions for volume production are in place."
        ),
    ),
    ("9a", 9, gettext_lazy("The product is in stable use in real operation.")),
    ("9b", 9, gettext_lazy("It has been sold or applied at scale.")),
]
BY_ID = {q[0]: q for q in QUESTIONS}


@dataclass
class Assessment:
    level: int
    evidence: list[dict]


def questionnaire() -> list[dict]:
    return [{"id": qid, "level": level, "text": str(text)} for qid, level, text in QUESTIONS]


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
        {"id": qid, "level": lv, "text": str(text)}
        for qid, lv, text in QUESTIONS
        if lv <= level and answers[qid]
    ]
    return Assessment(level=level, evidence=evidence)


def level_name(level: int) -> str:
    return str(TRL(level).label) if level else _("No level reached")
