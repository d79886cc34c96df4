"""Chinese full-text search over the libraries.

Text is segmented with jieba in search mode (a compound yields its words and
the shorter dictionary words inside it: 锂离子电池 → 锂离子, 离子, 电池, …) and
stored as a PostgreSQL `tsvector` under the `simple` configuration, which
works under every locale. Title and keywords weigh A, summary B, description
C. A query is segmented in accurate mode and every word must match (AND).

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
from pathlib import Path

from django.contrib.postgres.search import SearchQuery, SearchVector
from django.db.models import Value
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


def search_vector(*, a: Iterable[str] = (), b: Iterable[str] = (), c: Iterable[str] = ()):
    """A weighted tsvector expression from texts of weight A, B and C."""
    parts = []
    for weight, texts in (("A", a), ("B", b), ("C", c)):
        tokens = index_tokens(" ".join(t for t in texts if t))
        parts.append(SearchVector(Value(tokens), config="simple", weight=weight))
    vector = parts[0]
    for part in parts[1:]:
        vector = vector + part
    return vector


def search_query(q: str) -> SearchQuery | None:
    """AND of the query's words; None when the query has no searchable word."""
    words = query_words(q)
    if not words:
        return None
    query = SearchQuery(words[0], config="simple", search_type="plain")
    for word in words[1:]:
        query &= SearchQuery(word, config="simple", search_type="plain")
    return query


def highlight(text: str, q: str) -> SafeString:
    """The text, HTML-escaped, with the query's words (and their parts) in <mark>.

    Matches are found in the text as typed, then each piece is escaped: a
    query never matches inside an entity (`&amp;` stays whole when one
    searches for "amp").
    """
    text = text or ""
    terms = set(query_words(q)) | set(
        _clean(tokenizer().cut_for_search((q or "")[:SEARCH_MAX_CHARS]))
    )
    terms = sorted((t for t in terms if t), key=len, reverse=True)
    if not terms:
        return mark_safe(html.escape(text))  # noqa: S308  # nosec B308 B703
    pattern = re.compile("|".join(re.escape(t) for t in terms), re.IGNORECASE)
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
    positions = [lowered.find(w.lower()) for w in query_words(q)]
    found = [p for p in positions if p >= 0]
    if found:
        start = max(0, min(found) - width // 4)
    window = text[start : start + width]
    prefix = "…" if start > 0 else ""
    suffix = "…" if start + width < len(text) else ""
    return mark_safe(prefix + highlight(window, q) + suffix)  # noqa: S308  # nosec B308 B703
