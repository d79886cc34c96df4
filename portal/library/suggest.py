"""Search as people expect it: 搜索联想 as one types, "did you mean" for a query
without results, and the week's most searched words.

The vocabulary is `SearchTerm`: every title and keyword of the libraries'
published items with the number of items carrying it, rebuilt in one SQL
statement by a periodic job (`terms_rebuild`, every 10 minutes). Suggestions
are its terms starting with what was typed (a prefix index), the most used
first. "Did you mean" looks at terms of about the same length that share the
first or the last character and are one edit away (two for longer words).
What people search is counted per day and query, never per person; the home
page shows the week's most searched queries that are also terms of the
vocabulary, so nobody can put arbitrary words on the home page by searching.
"""

import datetime

from django.db import connection, transaction
from django.db.models import F, Func, Q, Sum
from django.db.models.functions import Length
from django.utils import timezone

from portal.core import registry
from portal.core.models import SearchCount, SearchTerm

SUGGESTIONS_MAX = 8
TERM_MAX_CHARS = 100
COUNTS_KEPT_DAYS = 30


def normalised(q: str) -> str:
    """One line, single spaces, lower-case, at most TERM_MAX_CHARS."""
    return " ".join((q or "").split()).lower()[:TERM_MAX_CHARS]


def _sources() -> list[tuple]:
    """(queryset of one text column named `term`, is_title) per library and field."""
    sources = []
    for lib in registry.libraries():
        if lib.published is None:
            continue
        fields = {f.name for f in lib.model._meta.get_fields()}
        published = lib.published().order_by()
        if "title" in fields and lib.name != "experts":  # an expert's title is 教授, not a topic
            sources.append((published.annotate(term=F("title")).values("term"), True))
        if "keywords" in fields:
            unnest = Func(F("keywords"), function="unnest")
            sources.append((published.annotate(term=unnest).values("term"), False))
    return sources


@transaction.atomic
def terms_rebuild() -> int:
    """Replace the vocabulary with the published items' titles and keywords;
    forget the search counts older than COUNTS_KEPT_DAYS. Returns the terms."""
    parts, params = [], []
    for queryset, is_title in _sources():
        sql, p = queryset.query.sql_with_params()
        # The libraries' own querysets, compiled by Django: nothing typed reaches the SQL.
        parts.append(f"SELECT lower(btrim(t.term)) AS term, %s AS is_title FROM ({sql}) t")  # noqa: S608  # nosec B608
        params.extend([is_title, *p])
    SearchTerm.objects.all().delete()
    if parts:
        union = " UNION ALL ".join(parts)
        with connection.cursor() as cursor:
            cursor.execute(
                "INSERT INTO portal_searchterm (term, reversed_term, items, is_title) "  # noqa: S608  # nosec B608
                "SELECT term, reverse(term), count(*), bool_or(is_title) "
                f"FROM ({union}) AS s "
                "WHERE char_length(term) BETWEEN 2 AND %s GROUP BY term",
                [*params, TERM_MAX_CHARS],
            )
    cutoff = timezone.localdate() - datetime.timedelta(days=COUNTS_KEPT_DAYS)
    SearchCount.objects.filter(day__lt=cutoff).delete()
    return SearchTerm.objects.count()


def suggestions(q: str, limit: int = SUGGESTIONS_MAX) -> list[dict]:
    """Terms starting with what was typed, the most used first."""
    prefix = normalised(q)
    if not prefix:
        return []
    rows = SearchTerm.objects.filter(term__startswith=prefix).order_by("-items", "term")
    return list(rows.values("term", "items")[: max(1, min(limit, 20))])


def _distance(a: str, b: str, ceiling: int) -> int:
    """Levenshtein distance, stopping once it exceeds `ceiling`."""
    if abs(len(a) - len(b)) > ceiling:
        return ceiling + 1
    previous = list(range(len(b) + 1))
    for i, ca in enumerate(a, 1):
        current = [i]
        for j, cb in enumerate(b, 1):
            current.append(min(previous[j] + 1, current[j - 1] + 1, previous[j - 1] + (ca != cb)))
        if min(current) > ceiling:
            return ceiling + 1
        previous = current
    return previous[-1]


def did_you_mean(q: str) -> str | None:
    """A term one edit from the query (two from a query of six or more
    characters) carried by at least two items, the closest and most used."""
    word = normalised(q)
    if not 2 <= len(word) <= 30:
        return None
    ceiling = 2 if len(word) >= 6 else 1
    candidates = (
        SearchTerm.objects.filter(
            Q(term__startswith=word[0]) | Q(reversed_term__startswith=word[-1]), items__gte=2
        )
        .annotate(n=Length("term"))
        .filter(n__gte=len(word) - ceiling, n__lte=len(word) + ceiling)
        .exclude(term=word)
        .order_by("-items")
        .values_list("term", "items")[:500]
    )
    scored = [
        (d, -items, term)
        for term, items in candidates
        if (d := _distance(word, term, ceiling)) <= ceiling
    ]
    return min(scored)[2] if scored else None


def count_search(q: str) -> None:
    """Count one search of the query today (its own statement: a search that
    fails afterwards still counted)."""
    query = normalised(q)
    if not query:
        return
    with connection.cursor() as cursor:
        cursor.execute(
            "INSERT INTO portal_searchcount (day, query, count) VALUES (%s, %s, 1) "
            "ON CONFLICT (day, query) DO UPDATE SET count = portal_searchcount.count + 1",
            [timezone.localdate(), query],
        )


def most_searched(days: int = 7, limit: int = 8) -> list[str]:
    """The most searched queries of the last `days` days that are terms of the vocabulary."""
    since = timezone.localdate() - datetime.timedelta(days=days - 1)
    top = list(
        SearchCount.objects.filter(day__gte=since)
        .values("query")
        .annotate(n=Sum("count"))
        .order_by("-n", "query")
        .values_list("query", flat=True)[:100]
    )
    known = set(SearchTerm.objects.filter(term__in=top).values_list("term", flat=True))
    return [q for q in top if q in known][:limit]
