"""Why a pair matches, stored as data and said in the reader's language.

A reason is a small dict, e.g. {"code": "terms", "terms": ["石墨烯", "散热"]};
`say()` turns a list of them into sentences such as
"关键词重合：石墨烯、散热；同属新材料及其应用领域；报价在预算内".
"""

from django.utils.translation import gettext as _

from portal.core.reference import Industry, TechField
from portal.library.terms import group_words

MAX_TERMS = 5


def explain(
    *,
    mine: set[str],
    theirs: set[str],
    weight,
    signals: dict,
    tech_field: str,
    clusters: list[str],
    trl: int | None,
    market: str,
    text: float,
    semantic: list[str] | None = None,
) -> list[dict]:
    """The reasons for one hit, strongest first. `mine` and `theirs` are the two
    items' terms; `weight(term)` orders the shared ones (rarest first)."""
    reasons: list[dict] = []
    shared = [t for t in mine & theirs if not t.startswith("~")]
    # Longer words first, then the rarer: 固态电池 says more than 固态 and 电池.
    shared.sort(key=lambda t: (-len(t), -weight(t), t))
    shown: list[str] = []
    for term in shared:
        if not any(term in longer for longer in shown):
            shown.append(term)
    shown.sort(key=lambda t: (-weight(t), t))
    if shown:
        reasons.append({"code": "terms", "terms": shown[:MAX_TERMS]})
    synonyms = []
    for group in sorted(t for t in mine & theirs if t.startswith("~")):
        words = set(group_words().get(group, []))
        ours, others = sorted(words & mine), sorted(words & theirs)
        if ours and others and not set(ours) & set(others):
            synonyms.append(f"{ours[0]}≈{others[0]}")
    if synonyms:
        reasons.append({"code": "synonyms", "pairs": synonyms[:3]})
    if semantic:
        reasons.append({"code": "semantic", "sentences": semantic})
    if not shared and not synonyms and not semantic and text == 0:
        reasons.append({"code": "no_text"})
    if signals.get("field") == 1:
        reasons.append({"code": "field", "field": tech_field})
    if clusters and signals.get("cluster", 0) > 0:
        reasons.append({"code": "clusters", "clusters": clusters})
    maturity = signals.get("maturity", 0)
    if trl:
        code = "maturity_fit" if maturity >= 1 else "maturity_low"
        reasons.append({"code": code, "trl": trl})
    price = signals.get("price")
    if price == 1:
        reasons.append({"code": "price_fit"})
    elif price is not None and price < 0.5:
        reasons.append({"code": "price_over"})
    if signals.get("region") == 1 and market:
        reasons.append({"code": "region", "market": market})
    return reasons


def say(reasons: list[dict]) -> list[str]:
    """The reasons as sentences in the active language."""
    out = []
    for r in reasons:
        code = r.get("code")
        if code == "terms":
            out.append(_("Shared keywords: %(terms)s") % {"terms": "、".join(r["terms"])})
        elif code == "synonyms":
            out.append(_("Related terms: %(pairs)s") % {"pairs": "、".join(r["pairs"])})
        elif code == "semantic":
            out.append(
                _("Close in meaning: “%(mine)s” ≈ “%(theirs)s”")
                % {"mine": r["sentences"][0], "theirs": r["sentences"][1]}
            )
        elif code == "no_text":
            out.append(_("No words in common; matched on field and conditions"))
        elif code == "field":
            out.append(_("Both in the field of %(field)s") % {"field": TechField(r["field"]).label})
        elif code == "clusters":
            out.append(
                _("Same industry cluster: %(clusters)s")
                % {"clusters": "、".join(str(Industry(c).label) for c in r["clusters"])}
            )
        elif code == "maturity_fit":
            out.append(_("Mature enough (TRL %(trl)s)") % {"trl": r["trl"]})
        elif code == "maturity_low":
            out.append(_("Less mature than wanted (TRL %(trl)s)") % {"trl": r["trl"]})
        elif code == "price_fit":
            out.append(_("Asking price within the budget"))
        elif code == "price_over":
            out.append(_("Asking price above the budget"))
        elif code == "region":
            out.append(_("Same market: %(market)s") % {"market": r["market"]})
    return out
