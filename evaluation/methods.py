"""The catalogue of evaluation methods: each a readable page, in the reader's language."""

from django.utils.translation import gettext_lazy

# slug, title, summary, paragraphs of the body, the tool that applies it
_METHODS = [
    (
        "trl",
        gettext_lazy("Technology readiness level (GB/T 22900-2022)"),
        gettext_lazy(
            "Judges on nine levels how mature a technology is, from principle to industry."
        ),
        (
            gettext_lazy(
                "The technology readiness level (TRL) divides maturing into nine levels: "
                "1 basic principle, 2 technology concept or scheme, 3 key functions verified "
                "by experiment, 4 components or modules verified in the laboratory, "
                "5 components verified in a relevant environment, 6 system prototype "
                "demonstrated in a relevant environment, 7 prototype tested in the real "
                "environment, 8 finalised and fully verified, 9 in real operation or "
                "industrialised."
            ),
            gettext_lazy(
                "The criteria are checked level by level: a level is reached only when its "
                "criteria and those of every level below are all met. The portal's "
                "self-assessment lists each level's criteria and records the evidence of "
                "those met. A self-assessment does not replace a third-party evaluation."
            ),
        ),
        "trl",
    ),
    (
        "cost",
        gettext_lazy("Cost method (replacement cost)"),
        gettext_lazy(
            "Estimates a technology's value as the cost of developing it again, less the "
            "depreciation of the years it has been used."
        ),
        (
            gettext_lazy(
                "The cost method suits technologies whose income is hard to forecast and "
                "which have no comparable transactions on the market."
            ),
            gettext_lazy(
                "Value = replacement cost × (1 − depreciation rate), the rate being the years "
                "used over the whole economic life, that is: value = replacement cost × "
                "remaining years ÷ (years used + remaining years)."
            ),
            gettext_lazy(
                "The replacement cost covers research staff, materials, equipment, tests, "
                "and filing and maintaining the intellectual property."
            ),
        ),
        "valuation",
    ),
    (
        "income",
        gettext_lazy("Income method (royalty share)"),
        gettext_lazy(
            "Discounts and sums the share of the income the technology brings in each future year."
        ),
        (
            gettext_lazy(
                "The income method suits technologies whose future income can be reasonably "
                "forecast."
            ),
            gettext_lazy(
                "P = Σ Rᵢ ÷ (1 + r)ⁱ, where Rᵢ = profit of year i × profit share (25% by "
                "default), or sales × royalty rate; r is the discount rate, reflecting risk "
                "and the time value of money."
            ),
            gettext_lazy(
                "The income period is usually no longer than the technology's remaining "
                "economic life; the share can follow the industry's practice and "
                "comparable transactions."
            ),
        ),
        "valuation",
    ),
    (
        "market",
        gettext_lazy("Market method (comparable transactions)"),
        gettext_lazy(
            "Estimates the value from the amounts of registered technology contracts of "
            "the same field."
        ),
        (
            gettext_lazy(
                "The market method takes the technology transaction amounts of the "
                "recognised and registered contracts of the same technology field: the "
                "median is the estimate, the middle half (25th to 75th percentile) the "
                "reasonable range, and the number of comparable contracts used is stated."
            ),
            gettext_lazy(
                "The more and the more similar the comparable contracts, the more reliable "
                "the result; with few of them, check it against the cost and income methods."
            ),
        ),
        "valuation",
    ),
    (
        "expert-review",
        gettext_lazy("Expert review"),
        gettext_lazy(
            "Experts of the field score technical advancement, maturity, market prospects "
            "and intellectual property."
        ),
        (
            gettext_lazy(
                "The portal draws at random experts of the matching field with no interest "
                "in the achievement's owner; each scores technical advancement, technical "
                "maturity, market prospects and the state of the intellectual property from "
                "1 to 5 and gives an opinion, and once every expert has scored, the summary "
                "is shown on the achievement's page."
            ),
        ),
        "",
    ),
]


def methods() -> list[dict]:
    """The catalogue in the active language: slug, title, summary, body, tool."""
    return [
        {
            "slug": slug,
            "title": str(title),
            "summary": str(summary),
            "body": "\n\n".join(str(p) for p in body),
            "tool": tool,
        }
        for slug, title, summary, body, tool in _METHODS
    ]


def method(slug: str) -> dict | None:
    return next((m for m in methods() if m["slug"] == slug), None)
