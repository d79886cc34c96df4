"""Chinese full-text search over the libraries.

Text is segmented with jieba in search mode (a compound yields its words and
the shorter dictionary words inside it: 锂离子电池 → 锂离子, 离子, 电池, …) and
stored as a PostgreSQL `tsvector` under the `simple` configuration, which
works under every locale. Title and keywords weigh A, summary B, description
C. A query is segmented in accurate mode and every word must match (AND).

Segmentation alone can miss a word that is on the page: 低成本的氢燃料电池催化剂
is indexed as 燃料, 电池, 氢燃料电池 …, while the query 氢燃料 is cut into 氢 +
燃料. So each field's runs of Chinese characters are also indexed as their
character bigrams, in order and with a gap between runs (氢燃 燃料 料电 电池 …),
and a query matches either way: its words (AND), or each of its Chinese runs
as a phrase of adjacent bigrams (氢燃 <-> 燃料) with its Latin and digit runs
as words. Any run of two or more characters of a title, keyword, summary or
description therefore finds its item.

The domain dictionary `dict.txt` (jieba's user-dictionary format: word,
frequency, part of speech) is loaded on first use; deployments add their own
with SEARCH_EXTRA_DICT (a path). After changing either, run
`python manage.py reindex_search`.
"""

import html
import os
import re
import threading
from collections.abc import Iterable
from functools import lru_cache
from pathlib import Path

from django.contrib.postgres.search import (
    SearchQuery,
    SearchRank,
    SearchVector,
    SearchVectorField,
)
from django.db.models import F, Func, Value
from django.utils.safestring import SafeString, mark_safe

from portal.core.limits import SEARCH_MAX_CHARS

DICT_PATH = Path(__file__).with_name("dict.txt")

# Particles and punctuation that carry no meaning for search.
STOPWORDS = frozenset(
    "的 了 和 与 及 或 等 在 对 是 为 用 于 以 及其 一种 一个 基于 方法 技术 系统".split()
)
_TOKEN_OK = re.compile(r"\w", re.UNICODE)

_lock = threading.Lock()
_tokenizer = None


def tokenizer():
    """The process's jieba tokenizer, with the domain dictionary, loaded once."""
    global _tokenizer
    if _tokenizer is None:
        with _lock:
            if _tokenizer is None:
                import logging

                import jieba

                jieba.setLogLevel(logging.WARNING)
                tk = jieba.Tokenizer()
                tk.load_userdict(str(DICT_PATH))
                extra = os.environ.get("SEARCH_EXTRA_DICT")
                if extra:
                    tk.load_userdict(extra)
                _tokenizer = tk
    return _tokenizer


def _clean(tokens: Iterable[str]) -> list[str]:
    out = []
    for token in tokens:
        token = token.strip().lower()
        if token and _TOKEN_OK.search(token) and token not in STOPWORDS:
            out.append(token)
    return out


def index_tokens(text: str) -> str:
    """Space-joined search-mode tokens of a text, ready for to_tsvector('simple')."""
    if not text:
        return ""
    return " ".join(_clean(tokenizer().cut_for_search(text)))


# A search reads the first SEARCH_MAX_CHARS characters of what was typed, and
# at most this many of their words (README, "Limits").
MAX_QUERY_WORDS = 16


def query_words(q: str) -> list[str]:
    """The words of a query (accurate mode), deduplicated, in order."""
    seen: dict[str, None] = {}
    for token in _clean(tokenizer().cut((q or "")[:SEARCH_MAX_CHARS])):
        seen.setdefault(token, None)
    return list(seen)[:MAX_QUERY_WORDS]


# Runs of Chinese characters (CJK unified ideographs, extension A, compatibility).
CJK_RUN = re.compile(r"[\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff]+")
# A query's pieces for the bigram side: Chinese runs, and Latin letters or digits.
_PIECE = re.compile(
    r"[\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff]+|[^\W_\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff]+"
)


def bigram_lexemes(text: str) -> list[tuple[str, int]]:
    """(bigram, position) of the text's Chinese runs: adjacent within a run, a
    gap of one position between runs so that no phrase spans two of them."""
    out, position = [], 0
    for run in CJK_RUN.findall(text or ""):
        if len(run) < 2:
            continue
        for i in range(len(run) - 1):
            position += 1
            out.append((run[i : i + 2], position))
        position += 1
    return out


def _tsvector_literal(fields: list[tuple[str, str]]) -> str:
    """A tsvector literal of the fields' bigrams ('氢燃':1A,7B …), each field's
    positions after the previous one's, with a gap."""
    positions: dict[str, list[str]] = {}
    offset = 0
    for weight, text in fields:
        last = 0
        for bigram, position in bigram_lexemes(text):
            last = position
            positions.setdefault(bigram, []).append(f"{min(offset + position, 16383)}{weight}")
        offset += last + 2
    return " ".join(f"'{lexeme}':{','.join(p[:256])}" for lexeme, p in positions.items())


class _Concat(Func):
    """tsvector || tsvector (the right one's positions follow the left one's)."""

    arg_joiner = " || "
    template = "(%(expressions)s)"
    output_field = SearchVectorField()


def search_vector(*, a: Iterable[str] = (), b: Iterable[str] = (), c: Iterable[str] = ()):
    """A weighted tsvector expression from texts of weight A, B and C: their
    words, then their Chinese bigrams."""
    parts, fields = [], []
    for weight, texts in (("A", a), ("B", b), ("C", c)):
        text = " ".join(t for t in texts if t)
        parts.append(SearchVector(Value(index_tokens(text)), config="simple", weight=weight))
        fields.append((weight, text))
    vector = parts[0]
    for part in parts[1:]:
        vector = vector + part
    bigrams = _tsvector_literal(fields)
    if not bigrams:
        return vector
    return _Concat(vector, Func(Value(bigrams), template="%(expressions)s::tsvector"))


def _quoted(lexeme: str) -> str:
    return "'" + lexeme.replace("\\", "\\\\").replace("'", "''") + "'"


def query_pieces(q: str) -> list[str]:
    """The query's pieces for the bigram side, lowercased: its Chinese runs and
    its Latin or digit runs, without stop words (a Chinese run of two or more
    characters is always kept)."""
    pieces = []
    for piece in _PIECE.findall((q or "")[:SEARCH_MAX_CHARS].lower())[:MAX_QUERY_WORDS]:
        if piece not in STOPWORDS or (CJK_RUN.fullmatch(piece) and len(piece) >= 2):
            pieces.append(piece)
    return pieces


def phrase_query(q: str) -> SearchQuery | None:
    """The bigram side: each Chinese run of two or more characters as a phrase
    of adjacent bigrams, each Latin or digit run (and a lone Chinese
    character) as a word or the start of a bigram; all of them (AND). None when
    nothing is left."""
    terms = []
    for piece in query_pieces(q):
        if CJK_RUN.fullmatch(piece) and len(piece) >= 2:
            bigrams = [piece[i : i + 2] for i in range(len(piece) - 1)]
            terms.append("(" + " <-> ".join(_quoted(b) for b in bigrams) + ")")
        elif CJK_RUN.fullmatch(piece):
            terms.append(f"({_quoted(piece)} | {_quoted(piece)}:*)")
        else:
            terms.append(_quoted(piece))
    if not terms:
        return None
    return SearchQuery(" & ".join(terms), config="simple", search_type="raw")


def search_query(q: str) -> SearchQuery | None:
    """The query's words (AND), or its runs as bigram phrases (phrase_query);
    None when the query has no searchable word."""
    words = query_words(q)
    phrase = phrase_query(q)
    if not words:
        return phrase
    query = SearchQuery(words[0], config="simple", search_type="plain")
    for word in words[1:]:
        query &= SearchQuery(word, config="simple", search_type="plain")
    return query | phrase if phrase is not None else query


# Weights of D, C, B, A: a title or keyword match (A) outweighs a description match (C).
RANK_WEIGHTS = [0.05, 0.2, 0.5, 1.0]


def search_rank(q: str, query: SearchQuery):
    """ts_rank of the match, plus the rank of the query's Chinese written
    together as one phrase when it has several pieces: 燃料 电池 ranks
    车用燃料电池 above 燃料添加剂与电池外壳."""
    rank = SearchRank(F("search_vector"), query, weights=RANK_WEIGHTS)
    runs = CJK_RUN.findall((q or "")[:SEARCH_MAX_CHARS])
    if len(runs) > 1:
        together = phrase_query("".join(runs))
        rank = rank + SearchRank(F("search_vector"), together, weights=RANK_WEIGHTS)
    return rank


@lru_cache(maxsize=1024)
def _highlight_pattern(typed: str) -> re.Pattern | None:
    """What highlight marks for a query, once per query (a page of results
    highlights every title and snippet with it)."""
    terms = (
        set(query_words(typed))
        | set(_clean(tokenizer().cut_for_search(typed)))
        | {run for run in CJK_RUN.findall(typed) if len(run) >= 2}  # what the bigrams matched
    )
    terms = sorted((t for t in terms if t), key=len, reverse=True)
    if not terms:
        return None
    return re.compile("|".join(re.escape(t) for t in terms), re.IGNORECASE)


def highlight(text: str, q: str) -> SafeString:
    """The text, HTML-escaped, with the query's words (and their parts) and its
    Chinese runs in <mark>, the longest first.

    Matches are found in the text as typed, then each piece is escaped: a
    query never matches inside an entity (`&amp;` stays whole when one
    searches for "amp").
    """
    text = text or ""
    pattern = _highlight_pattern((q or "")[:SEARCH_MAX_CHARS])
    if pattern is None:
        return mark_safe(html.escape(text))  # noqa: S308  # nosec B308 B703
    pieces, last = [], 0
    for match in pattern.finditer(text):
        pieces.append(html.escape(text[last : match.start()]))
        pieces.append(f"<mark>{html.escape(match.group(0))}</mark>")
        last = match.end()
    pieces.append(html.escape(text[last:]))
    # Only <mark> is added, around escaped pieces of the text.
    return mark_safe("".join(pieces))  # noqa: S308  # nosec B308 B703


def snippet(text: str, q: str, width: int = 160) -> SafeString:
    """A window of the text around the first word of the query it holds (its
    start when none), highlighted: what a result shows under its title."""
    text = " ".join((text or "").split())
    start = 0
    lowered = text.lower()
    runs = CJK_RUN.findall((q or "")[:SEARCH_MAX_CHARS])
    positions = [lowered.find(w.lower()) for w in [*query_words(q), *runs]]
    found = [p for p in positions if p >= 0]
    if found:
        start = max(0, min(found) - width // 4)
    window = text[start : start + width]
    prefix = "…" if start > 0 else ""
    suffix = "…" if start + width < len(text) else ""
    return mark_safe(prefix + highlight(window, q) + suffix)  # noqa: S308  # nosec B308 B703
