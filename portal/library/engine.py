"""The search engine: an embedded tantivy index per library, PostgreSQL the truth.

Ranking every match in PostgreSQL reads every matching row (~4.6 µs a match:
~800 ms for a common word at 1,000,000 achievements, docs/benchmarks.md). An
inverted index with BM25 answers the same query's top 1,000 with its exact
count in a few milliseconds, so the libraries' searches go through it:

- **What is indexed** is what PostgreSQL already computed: each item's
  `search_vector` (its jieba words and Chinese bigrams, by weight A/B/C, at
  their positions), its facets (status, field, industries, organisation,
  market, region prefixes, and the library's own: `SEARCH_FACETS`) and its
  numbers (`SEARCH_NUMBERS`). Any status is indexed; a search asks only for
  what the account may see (portal.library.selectors.visible_facets).
- **Kept in step** by PostgreSQL itself: triggers mark a changed row in
  `portal_searchpending` in the same transaction (portal migration 0010);
  `sync` writes the marked rows into the index and clears the marks. A search
  syncs first when anything is marked, and the `search_sync` job runs every
  minute, so a write is searchable by the next search. A rolled-back write
  leaves no mark.
- **Checked against PostgreSQL**: the engine returns ids; the list then reads
  those rows through the same visibility and filters as ever, so a stale or
  extra engine entry can cost a result, never show one that should not be
  shown. Up to EXACT_COUNT_LIMIT results the count is PostgreSQL's, exact;
  above it the engine's count is shown as an estimate, and the first
  EXACT_COUNT_LIMIT results can be paged through.
- **Rebuilt** from PostgreSQL by `manage.py search_rebuild` into a new
  generation beside the live one (batches, a progress bar, resumes after an
  interruption), switched to when complete. Until a library has an index its
  searches run in PostgreSQL as before.

Files live under SEARCH_INDEX_DIR/<app.model>/<generation>/; the file CURRENT
names the live generation. One writer at a time, by a PostgreSQL advisory lock.
"""

import json
import re
import shutil
import threading
import time
import zlib
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import datetime
from decimal import Decimal
from functools import lru_cache
from pathlib import Path

import tantivy
from django.conf import settings
from django.db import DEFAULT_DB_ALIAS, connections, models, transaction

from portal.core import registry
from portal.core.models import SearchPending
from portal.core.paginator import EXACT_COUNT_LIMIT
from portal.library import search

FIELDS = ("a", "b", "c")
# A title or keyword match outweighs a summary match, which outweighs a
# description match (as search.RANK_WEIGHTS does in PostgreSQL).
BOOST = {"a": 1.0, "b": 0.5, "c": 0.2}
WEIGHT_FIELD = {"A": "a", "B": "b", "C": "c", "D": "c"}
HIDDEN = "hidden=true"  # the facet of every item not published
WRITER_HEAP = 50_000_000
BATCH = 20_000

# 'lexeme':1A,5,7B in PostgreSQL's text form of a tsvector ('' is a quote).
_LEXEME = re.compile(r"'((?:[^']|'')*)'(?::([0-9A-D,]+))?")


@dataclass(frozen=True)
class Facet:
    """A filter that asks the engine for one facet value."""

    name: str
    attr: str = ""  # read this attribute of the filter's value (a Market's code)

    def query(self, schema, value) -> tantivy.Query:
        if self.attr:
            value = getattr(value, self.attr)
        return tantivy.Query.term_query(schema, "f", f"{self.name}={facet_text(value)}")


@dataclass(frozen=True)
class Range:
    """A filter that asks the engine for a number at least / at most its value."""

    name: str
    at_least: bool

    def query(self, schema, value) -> tantivy.Query:
        bounds = (float(value), None) if self.at_least else (None, float(value))
        return tantivy.Query.range_query(schema, f"n_{self.name}", tantivy.FieldType.Float, *bounds)


@dataclass
class Hits:
    """The engine's answer: the best ids in order and how many matched."""

    pks: list[int]
    total: int


def facet_text(value) -> str:
    """A facet value as the index holds it: true/false, 5 (for 5, 5.0 or "5")."""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, Decimal | float) and value == int(value):
        return str(int(value))
    return str(value)


def _schema(model: type[models.Model]) -> tantivy.Schema:
    builder = tantivy.SchemaBuilder()
    builder.add_unsigned_field("pk", indexed=True, fast=True)
    builder.add_integer_field("published", indexed=True, fast=True)
    for field in FIELDS:
        builder.add_text_field(field, tokenizer_name="whitespace", index_option="position")
    builder.add_text_field("f", tokenizer_name="raw", index_option="basic")
    for name in model.SEARCH_NUMBERS:
        builder.add_float_field(f"n_{name}", indexed=True, fast=True)
    return builder.build()


# -- where the index lives -------------------------------------------------


def _root(model: type[models.Model]) -> Path:
    return Path(settings.SEARCH_INDEX_DIR) / model._meta.label_lower


def _current(model: type[models.Model]) -> str | None:
    try:
        return (_root(model) / "CURRENT").read_text().strip() or None
    except FileNotFoundError:
        return None


@dataclass
class _Open:
    generation: str
    index: tantivy.Index
    schema: tantivy.Schema


_lock = threading.Lock()
_open: dict[str, _Open] = {}


def _handle(model: type[models.Model]) -> _Open | None:
    """The live generation of the model's index, opened once per process and
    reopened when a rebuild switched generations."""
    generation = _current(model)
    if generation is None:
        return None
    key = f"{settings.SEARCH_INDEX_DIR}:{model._meta.label_lower}"
    with _lock:
        handle = _open.get(key)
        if handle is None or handle.generation != generation:
            index = tantivy.Index.open(str(_root(model) / generation))
            handle = _Open(generation, index, index.schema)
            _open[key] = handle
    return handle


def models_indexed() -> list[type[models.Model]]:
    """The registered libraries' models that the engine indexes: library items
    whose tables carry the search triggers (portal migration 0010). Another
    library searches in PostgreSQL: without the triggers nothing would keep
    an index in step."""
    with connections[DEFAULT_DB_ALIAS].cursor() as cursor:
        cursor.execute(
            "SELECT tgrelid::regclass::text FROM pg_trigger WHERE tgname LIKE %s",
            ["%\\_search\\_update"],
        )
        marked = {table for (table,) in cursor.fetchall()}
    return [
        lib.model
        for lib in registry.libraries()
        if hasattr(lib.model, "SEARCH_FACETS") and lib.model._meta.db_table in marked
    ]


def ready(model: type[models.Model]) -> bool:
    """Whether the model has an engine index (after its first rebuild)."""
    return hasattr(model, "SEARCH_FACETS") and _current(model) is not None


# -- documents -------------------------------------------------------------


def _values(model: type[models.Model]) -> list[str]:
    paths = {"id", "published_at", "search_vector"}
    paths |= set(model.SEARCH_FACETS.values())
    paths |= {path for path, _missing in model.SEARCH_NUMBERS.values()}
    return sorted(paths)


def _runs(vector: str) -> dict[str, list[str]]:
    """The tsvector's lexemes by field, each field as runs of consecutive
    positions (a gap between runs, so that no phrase spans two of them)."""
    by_field: dict[str, list[tuple[int, str]]] = {f: [] for f in FIELDS}
    for lexeme, positions in _LEXEME.findall(vector or ""):
        lexeme = lexeme.replace("''", "'").replace("\\\\", "\\")
        for position in (positions or "1D").split(","):
            weight = position[-1] if position[-1] in "ABCD" else "D"
            number = int(position.rstrip("ABCD"))
            by_field[WEIGHT_FIELD[weight]].append((number, lexeme))
    out: dict[str, list[str]] = {}
    for field, tokens in by_field.items():
        tokens.sort()
        runs, run, last = [], [], None
        for number, lexeme in tokens:
            if last is not None and number > last + 1 and run:
                runs.append(" ".join(run))
                run = []
            run.append(lexeme)
            last = number
        if run:
            runs.append(" ".join(run))
        out[field] = runs
    return out


def _document(model: type[models.Model], row: dict) -> tantivy.Document:
    doc = tantivy.Document()
    doc.add_unsigned("pk", row["id"])
    published = row["published_at"]
    doc.add_integer("published", int(published.timestamp()) if published else 0)
    for field, runs in _runs(row["search_vector"]).items():
        for run in runs:
            doc.add_text(field, run)
    if row["status"] != model.PUBLISHED:
        doc.add_text("f", HIDDEN)  # few: excluding them is cheaper than intersecting the rest
    for name, path in model.SEARCH_FACETS.items():
        value = row[path]
        values = value if isinstance(value, list | tuple) else [value]
        for value in values:
            if value is None or value == "":
                continue
            if name == "region":  # a prefix filter: every prefix is a term
                for end in range(1, len(value) + 1):
                    doc.add_text("f", f"region={value[:end]}")
            else:
                doc.add_text("f", f"{name}={facet_text(value)}")
    for name, (path, missing) in model.SEARCH_NUMBERS.items():
        value = row[path]
        if value is None:
            value = missing
        if value is not None:
            doc.add_float(f"n_{name}", float(value))
    return doc


def _rows(model: type[models.Model], queryset) -> Iterable[dict]:
    return queryset.using(DEFAULT_DB_ALIAS).values(*_values(model))


# -- writing -----------------------------------------------------------------


def _lock_key(model: type[models.Model], what: str) -> int:
    return zlib.crc32(f"search:{what}:{model._meta.label_lower}".encode())


def _try_lock(model: type[models.Model], what: str) -> bool:
    """A transaction-scoped advisory lock: one writer of the model's index at a time."""
    with connections[DEFAULT_DB_ALIAS].cursor() as cursor:
        cursor.execute("SELECT pg_try_advisory_xact_lock(%s)", [_lock_key(model, what)])
        return cursor.fetchone()[0]


def _replace(index: tantivy.Index, model, pks: list[int], rows: Iterable[dict]) -> None:
    writer = index.writer(WRITER_HEAP, 1)
    try:
        if pks:
            writer.delete_documents_by_query(tantivy.Query.term_set_query(index.schema, "pk", pks))
        for row in rows:
            writer.add_document(_document(model, row))
        writer.commit()
    except BaseException:
        writer.rollback()
        raise
    writer.wait_merging_threads()
    index.reload()


def pending(model: type[models.Model]) -> bool:
    return (
        SearchPending.objects.using(DEFAULT_DB_ALIAS)
        .filter(table_name=model._meta.db_table)
        .exists()
    )


def sync(model: type[models.Model], *, limit: int = 5000) -> int:
    """Write the model's marked rows into its index and clear their marks
    (deleted rows leave it); how many rows it wrote. Another process syncing
    the same index: 0, without waiting."""
    handle = _handle(model)
    if handle is None:
        return 0
    table = model._meta.db_table
    with transaction.atomic(using=DEFAULT_DB_ALIAS):
        if not _try_lock(model, "write"):
            return 0
        marks = list(
            SearchPending.objects.using(DEFAULT_DB_ALIAS)
            .filter(table_name=table)
            .order_by("id")
            .values_list("id", "item_id")[:limit]
        )
        if not marks:
            return 0
        pks = [item_id for _mark, item_id in marks]
        rows = _rows(model, model.objects.filter(pk__in=pks))
        _replace(handle.index, model, pks, rows)
        SearchPending.objects.using(DEFAULT_DB_ALIAS).filter(
            id__in=[mark for mark, _item in marks]
        ).delete()
    return len(marks)


def sync_all(model: type[models.Model]) -> int:
    total = 0
    while written := sync(model):
        total += written
    return total


def rebuild(
    model: type[models.Model],
    *,
    batch: int = BATCH,
    progress: Callable[[int, int], None] | None = None,
) -> int:
    """Index every row of the model into a new generation and switch to it.
    Each batch is committed with its last id: interrupted and started again, it
    resumes there. Returns the number of rows indexed."""
    with connections[DEFAULT_DB_ALIAS].cursor() as cursor:
        cursor.execute("SELECT pg_try_advisory_lock(%s)", [_lock_key(model, "rebuild")])
        if not cursor.fetchone()[0]:
            raise RuntimeError(f"A rebuild of {model._meta.label}'s search index is running.")
    try:
        return _rebuild(model, batch=batch, progress=progress)
    finally:
        with connections[DEFAULT_DB_ALIAS].cursor() as cursor:
            cursor.execute("SELECT pg_advisory_unlock(%s)", [_lock_key(model, "rebuild")])


def _rebuild(model: type[models.Model], *, batch: int, progress) -> int:
    root = _root(model)
    root.mkdir(parents=True, exist_ok=True)
    state_file = root / "REBUILD"
    state = json.loads(state_file.read_text()) if state_file.exists() else None
    if state is None or not (root / state["generation"]).exists():
        with connections[DEFAULT_DB_ALIAS].cursor() as cursor:
            cursor.execute("SELECT now()")
            started = cursor.fetchone()[0]
        generation = f"g{time.time_ns()}"
        (root / generation).mkdir()
        index = tantivy.Index(_schema(model), path=str(root / generation))
        state = {"generation": generation, "last_pk": 0, "started": started.isoformat()}
        state_file.write_text(json.dumps(state))
    else:
        index = tantivy.Index.open(str(root / state["generation"]))
        # A batch written after the last saved id is written again: drop it first.
        writer = index.writer(WRITER_HEAP, 1)
        writer.delete_documents_by_query(
            tantivy.Query.range_query(
                index.schema, "pk", tantivy.FieldType.Unsigned, state["last_pk"] + 1, None
            )
        )
        writer.commit()
        writer.wait_merging_threads()
    everything = model.objects.order_by("pk")
    total = everything.using(DEFAULT_DB_ALIAS).count()
    done = everything.using(DEFAULT_DB_ALIAS).filter(pk__lte=state["last_pk"]).count()
    while True:
        rows = list(_rows(model, everything.filter(pk__gt=state["last_pk"]))[:batch])
        if not rows:
            break
        _replace(index, model, [], rows)
        state["last_pk"] = rows[-1]["id"]
        state_file.write_text(json.dumps(state))
        done += len(rows)
        if progress:
            progress(done, total)
    if progress and not total:
        progress(0, 0)
    _switch(model, state["generation"], datetime.fromisoformat(state["started"]))
    state_file.unlink()
    return done


def _switch(model: type[models.Model], generation: str, started: datetime) -> None:
    """Make the generation live; rows changed since the rebuild started are
    marked again (the rebuild may have read them before the change); older
    marks are covered by the rebuild."""
    root = _root(model)
    with transaction.atomic(using=DEFAULT_DB_ALIAS):
        table = model._meta.db_table
        SearchPending.objects.using(DEFAULT_DB_ALIAS).filter(
            table_name=table, queued_at__lt=started
        ).delete()
        with connections[DEFAULT_DB_ALIAS].cursor() as cursor:
            cursor.execute(
                f"INSERT INTO portal_searchpending (table_name, item_id, queued_at) "  # noqa: S608  # nosec B608
                f"SELECT %s, id, now() FROM {table} WHERE updated_at >= %s "
                f"ON CONFLICT (table_name, item_id) DO NOTHING",
                [table, started],
            )
        tmp = root / "CURRENT.tmp"
        tmp.write_text(generation)
        tmp.replace(root / "CURRENT")
    for old in root.iterdir():
        if old.is_dir() and old.name != generation:
            shutil.rmtree(old, ignore_errors=True)  # open readers keep their files
    sync_all(model)


# -- searching ---------------------------------------------------------------


@lru_cache(maxsize=4096)
def _lexemes(words: tuple[str, ...]) -> list[list[str]]:
    """Each query word as PostgreSQL's `simple` parser splits it (the lexemes
    the index holds): 'w/m·k' → ['w', 'm', 'k']. The parser never changes, so
    a process asks once per query (the search page asks for five libraries)."""
    if not words:
        return []
    with connections[DEFAULT_DB_ALIAS].cursor() as cursor:
        cursor.execute(
            "SELECT w.ord, tsvector_to_array(to_tsvector('simple', w.word)) "
            "FROM unnest(%s::text[]) WITH ORDINALITY AS w(word, ord) ORDER BY w.ord",
            [list(words)],
        )
        return [lexemes for _ord, lexemes in cursor.fetchall() if lexemes]


def _any_field(schema, build: Callable[[str], tantivy.Query]) -> tantivy.Query:
    return tantivy.Query.boolean_query(
        [(tantivy.Occur.Should, tantivy.Query.boost_query(build(f), BOOST[f])) for f in FIELDS]
    )


def _all(queries: list[tantivy.Query]) -> tantivy.Query:
    return tantivy.Query.boolean_query([(tantivy.Occur.Must, q) for q in queries])


def _phrase(schema, run: str) -> tantivy.Query:
    """A Chinese run as adjacent bigrams in one field; a lone character as a
    word or the start of one."""
    if len(run) == 1:
        pattern = re.escape(run) + ".*"
        return _any_field(schema, lambda f: tantivy.Query.regex_query(schema, f, pattern))
    bigrams = [run[i : i + 2] for i in range(len(run) - 1)]
    if len(bigrams) == 1:
        return _term(schema, bigrams[0])
    return _any_field(schema, lambda f: tantivy.Query.phrase_query(schema, f, bigrams))


def _term(schema, text: str) -> tantivy.Query:
    """One term, in any field."""
    return _any_field(schema, lambda f: tantivy.Query.term_query(schema, f, text))


def text_query(schema, q: str) -> tantivy.Query | None:
    """The same match as search.search_query in PostgreSQL: the query's words
    (AND), or its pieces with each Chinese run as a bigram phrase (AND); plus
    a bonus when its Chinese runs occur written together."""
    words = _lexemes(tuple(search.query_words(q)))
    pieces = search.query_pieces(q)
    sides = []
    if words:
        sides.append(_all([_all([_term(schema, x) for x in lexemes]) for lexemes in words]))
    same_terms = [[p] for p in pieces] == words and all(
        len(p) == 2 or not search.CJK_RUN.fullmatch(p) for p in pieces
    )
    if pieces and not same_terms:  # (检测, 5g: the word side says it all)
        sides.append(
            _all(
                [
                    _phrase(schema, p) if search.CJK_RUN.fullmatch(p) else _term(schema, p)
                    for p in pieces
                ]
            )
        )
    if not sides:
        return None
    match = tantivy.Query.boolean_query([(tantivy.Occur.Should, side) for side in sides])
    runs = search.CJK_RUN.findall((q or "")[: search.SEARCH_MAX_CHARS])
    if len(runs) > 1:
        together = _phrase(schema, "".join(runs))
        return tantivy.Query.boolean_query(
            [(tantivy.Occur.Must, match), (tantivy.Occur.Should, together)]
        )
    return match


def _visibility(model, schema, visible: list[str]) -> tuple:
    """A clause for "one of these facets": when the published status is one of
    them, as "not hidden, unless of the other facets" (the hidden items are few)."""
    published = f"status={model.PUBLISHED}"
    if published not in visible:
        allowed = tantivy.Query.term_set_query(schema, "f", visible)
        return (tantivy.Occur.Must, tantivy.Query.const_score_query(allowed, 0.0))
    hidden = [(tantivy.Occur.Must, tantivy.Query.term_query(schema, "f", HIDDEN))]
    hidden += [
        (tantivy.Occur.MustNot, tantivy.Query.term_query(schema, "f", facet))
        for facet in visible
        if facet != published
    ]
    return (tantivy.Occur.MustNot, tantivy.Query.boolean_query(hidden))


def search_hits(
    model: type[models.Model],
    q: str,
    *,
    conditions: list[tuple[Facet | Range, object]],
    visible: list[str] | None,
    published_since: datetime | None = None,
    limit: int = EXACT_COUNT_LIMIT,
    depth: int = EXACT_COUNT_LIMIT,
) -> Hits | None:
    """The best ids of the model's items matching the query, the conditions
    and (when not None) one of the visibility facets, best first (BM25; the
    newest first among equal scores), and how many matched: the best `depth`,
    or all of them when no more than `limit` matched. With
    `published_since`: only those published then or later, newest first. None
    when the query has no searchable word or the model has no index."""
    if pending(model):
        sync_all(model)
    handle = _handle(model)
    if handle is None:
        return None
    schema = handle.schema
    match = text_query(schema, q)
    if match is None:
        return None
    clauses = [(tantivy.Occur.Must, match)]
    zero = 0.0
    for condition, value in conditions:
        clauses.append(
            (
                tantivy.Occur.Must,
                tantivy.Query.const_score_query(condition.query(schema, value), zero),
            )
        )
    if visible is not None:
        clauses.append(_visibility(model, schema, visible))
    order = {}
    if published_since is not None:
        since = tantivy.Query.range_query(
            schema, "published", tantivy.FieldType.Integer, int(published_since.timestamp()), None
        )
        clauses.append((tantivy.Occur.Must, since))
        order = {"order_by_field": "published"}
    searcher = handle.index.searcher()
    query = tantivy.Query.boolean_query(clauses)
    # The caller's depth first; all `limit` when they are few enough to be counted.
    result = searcher.search(query, min(depth, limit), count=True, **order)
    if len(result.hits) < result.count <= limit:
        result = searcher.search(query, limit, count=True, **order)
    addresses = [address for _score, address in result.hits]
    pks = searcher.fast_field_values("pk", addresses)
    published = searcher.fast_field_values("published", addresses)
    scores = [0.0 if order else score for score, _address in result.hits]
    ranked = sorted(
        zip(scores, published, pks, strict=True),
        key=lambda hit: (-round(hit[0], 4), -(hit[1] or 0), -hit[2]),
    )
    return Hits(pks=[pk for _score, _published, pk in ranked], total=result.count)


def size(model: type[models.Model]) -> int | None:
    """How many documents the live index holds (None without one)."""
    handle = _handle(model)
    return None if handle is None else handle.index.searcher().num_docs
