"""The thresholds the rules forbid in a challenge's eligibility (MARKET.md §3.4,
"英雄不问出处"): eligibility may ask for capability evidence, never for a title,
an age, a degree or years since registration. The patterns are Chinese because
the texts they read are."""

import re

THRESHOLDS = [
    ("title", re.compile(r"(正高|副高|高级|中级)职称|职称|教授|研究员|院士")),
    ("age", re.compile(r"\d+\s*(周)?岁|年龄|年龄不超过|青年")),
    ("degree", re.compile(r"博士|硕士|学士|本科|学历|学位")),
    (
        "registration_years",
        re.compile(r"成立(满|不少于|超过)?\s*\d+\s*年|注册(满|时间|资本)|成立时间"),
    ),
]


def threshold_flags(text: str) -> list[dict]:
    """The forbidden thresholds an eligibility text seems to set: [{kind, text}]."""
    found = []
    for kind, pattern in THRESHOLDS:
        match = pattern.search(text or "")
        if match:
            found.append({"kind": kind, "text": match.group(0)})
    return found
