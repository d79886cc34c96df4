"""The architecture holds (issue 14, docs/architecture.md): a library is one app
plus one registration; every table the registry names is reindexed and
cached as it says; status words live in their models; no import cycle."""

import ast
import re
from pathlib import Path

import grimp
import pytest
from django.apps import apps
from django.conf import settings
from django.core.management import call_command
from django.db import connection
from django.utils import timezone

from portal.core import registry
from portal.core.errors import RuleBroken
from portal.core.workflow import apply_transition
from portal.library.services import item_reindex
from portal.site import subscriptions
from tests.factories import OrganizationFactory, StaffFactory, UserFactory
from tests.project import project_packages
from tests.standards import library as standards_library
from tests.standards.models import Standard

pytestmark = pytest.mark.django_db

ROOT = Path(settings.BASE_DIR)


@pytest.fixture
def standards(settings):
    """The test app's library, registered as its ready() would, and its list URL."""
    settings.ROOT_URLCONF = "tests.standards.urls"
    standards_library.register()
    yield
    standards_library.unregister()


def _standard(title: str, **kwargs) -> Standard:
    item = Standard.objects.create(
        title=title,
        code="GB/T 99999",
        tech_field="materials",
        organization=kwargs.pop("organization", None) or OrganizationFactory(),
        status=Standard.Status.PUBLISHED,
        published_at=timezone.now(),
        **kwargs,
    )
    item_reindex(item)
    return item


def test_a_library_from_an_app_outside_portal_is_searched_saved_and_reindexed(
    client, standards, monkeypatch
):
    standard = _standard("高温合金铸件无损检测标准")
    # The search across libraries finds it, in its own group.
    page = client.get("/search/", {"q": "高温合金"})
    assert page.status_code == 200
    groups = {g["library"]: g for g in page.context["groups"]}
    assert [i.pk for i in groups["standards"]["items"]] == [standard.pk]
    assert groups["standards"]["more"].startswith("/standards/?")

    # Saved searches follow it, and the digest tells of what is published later.
    user = UserFactory()
    saved = subscriptions.subscription_create(user=user, library="standards", query="q=合金")
    later = _standard("镍基合金焊接工艺标准")
    assert [i.pk for i in subscriptions.new_items(saved)] == [later.pk]

    # reindex_search rebuilds its vectors with the others.
    Standard.objects.update(search_vector=None)
    call_command("reindex_search", stdout=open("/dev/null", "w"))
    assert not Standard.objects.filter(search_vector__isnull=True).exists()

    # It takes no part in matching: publishing one queues nothing.
    queued = []
    monkeypatch.setattr("matching.tasks.match_item_task.delay", lambda *a: queued.append(a))
    draft = Standard.objects.create(
        title="x", code="y", tech_field="materials", organization=standard.organization
    )
    Standard.objects.filter(pk=draft.pk).update(status=Standard.Status.PENDING)
    draft.refresh_from_db()
    apply_transition(draft, "approve", by=StaffFactory())
    assert queued == []


def test_without_its_registration_the_library_does_not_exist(client):
    _standard("高温合金铸件无损检测标准")
    groups = client.get("/search/", {"q": "高温合金"}).context["groups"]
    assert "standards" not in {g["library"] for g in groups}
    with pytest.raises(RuleBroken):
        subscriptions.subscription_create(user=UserFactory(), library="standards", query="q=x")


def _searchable_models():
    return {
        m
        for m in apps.get_models()
        if any(f.name == "search_vector" for f in m._meta.get_fields())
        and m._meta.app_label != "standards"
    }


def test_every_searchable_table_belongs_to_a_library_that_reindexes_it():
    indexed = {lib.model for lib in registry.libraries() if lib.index is not None}
    searchable = _searchable_models()
    assert len(searchable) == 5  # achievements, demands, scenarios, experts, cases
    assert searchable <= indexed


def test_reindex_search_rebuilds_all_five_searchable_tables(capsys):
    call_command("reindex_search")
    out = capsys.readouterr().out
    for model in _searchable_models():
        assert f"{model._meta.label}: " in out


def test_the_cache_trigger_covers_every_cached_library():
    """The anonymous list cache is only safe on tables the change counter's
    trigger watches (portal migration 0005): the database is asked."""
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT c.relname FROM pg_trigger t JOIN pg_class c ON c.oid = t.tgrelid"
            " WHERE t.tgname LIKE %s",
            ["%_library_touch"],
        )
        watched = {row[0] for row in cursor.fetchall()}
    cached = {lib.model._meta.db_table for lib in registry.libraries(cached=True)}
    assert cached, "no library is cached: the check would prove nothing"
    assert cached <= watched


def test_the_subscription_choices_are_the_registry():
    names = {lib.name for lib in registry.libraries(subscribable=True)}
    assert {"achievements", "demands"} <= names
    assert "standards" not in names


# --- status words -------------------------------------------------------------------

# Queue rows, not records with a life of their own: a run's chunks are claimed by
# a conditional UPDATE and audited with their run (matching/services/runs.py).
WITHOUT_TRANSITIONS = {"matching.MatchChunk"}


def test_every_status_bearing_model_moves_by_its_transitions():
    missing = []
    for model in apps.get_models():
        try:
            field = model._meta.get_field("status")
        except Exception:
            continue
        if model._meta.label in WITHOUT_TRANSITIONS:
            continue
        if not field.choices or not hasattr(model, "TRANSITIONS"):
            missing.append(model._meta.label)
            continue
        words = {value for value, _label in field.choices}
        for name, transition in model.TRANSITIONS.items():
            assert transition.sources <= words and transition.target in words, (model, name)
    assert missing == []


SOURCE_DIRS = project_packages()
# A status compared with, or filtered by, a quoted word.
STATUS_LITERAL = re.compile(
    r"(?<![\w-])(?:\w+__)?status(?:__in)?\s*(?:==|!=|=|\bin\b|\bnot in\b)\s*[\[(]?\s*[\"']"
)


def _sources():
    for top in SOURCE_DIRS:
        for path in (ROOT / top).rglob("*.py"):
            if "migrations" in path.parts or path.name == "models.py":
                continue
            yield path
    yield from (ROOT / "templates").rglob("*.html")


def test_status_words_are_model_members_never_literals():
    found = [
        f"{path.relative_to(ROOT)}:{n}: {line.strip()}"
        for path in _sources()
        for n, line in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1)
        if STATUS_LITERAL.search(line)
    ]
    assert found == []


def test_the_literal_check_catches_a_literal():
    assert STATUS_LITERAL.search('qs.filter(status="published")')
    assert STATUS_LITERAL.search("{% if item.status == 'draft' %}")
    assert STATUS_LITERAL.search('Match.objects.filter(demand__status="published")')
    assert not STATUS_LITERAL.search("qs.filter(status=Demand.Status.PUBLISHED)")
    assert not STATUS_LITERAL.search('audit_log(to_status="verified")')


# --- import cycles ------------------------------------------------------------------

# The accepted case: a service enqueues its own task inside a function (with a
# comment), and the task module calls the service.
ACCEPTED = {
    frozenset({"achievements.imports", "achievements.tasks"}),
    frozenset({"matching.services.runs", "matching.tasks"}),
    frozenset({"market.services.bids", "market.tasks"}),
}


def _cycles(graph: dict[str, set[str]]) -> list[set[str]]:
    """Strongly connected components of more than one module (Tarjan)."""
    index, low, stack, on, out = {}, {}, [], set(), []

    def visit(v):
        index[v] = low[v] = len(index)
        stack.append(v)
        on.add(v)
        for w in graph.get(v, ()):
            if w not in index:
                visit(w)
                low[v] = min(low[v], low[w])
            elif w in on:
                low[v] = min(low[v], index[w])
        if low[v] == index[v]:
            component = set()
            while True:
                w = stack.pop()
                on.discard(w)
                component.add(w)
                if w == v:
                    break
            if len(component) > 1:
                out.append(component)

    for v in list(graph):
        if v not in index:
            visit(v)
    return out


def _import_graph() -> dict[str, set[str]]:
    """Every import between the project's modules, function-local ones included
    (grimp reads them all), migrations left out."""
    graph = grimp.build_graph(*SOURCE_DIRS, cache_dir=None)
    modules = {m for m in graph.modules if ".migrations" not in m}
    return {m: graph.find_modules_directly_imported_by(m) & modules for m in modules}


def test_no_import_cycle_beyond_a_service_and_its_own_task():
    cycles = _cycles(_import_graph())
    assert [sorted(c) for c in cycles if frozenset(c) not in ACCEPTED] == []


def test_the_cycle_finder_finds_a_cycle():
    graph = {"a": {"b"}, "b": {"c"}, "c": {"a"}, "d": {"a"}}
    assert _cycles(graph) == [{"a", "b", "c"}]


def test_every_accepted_cycle_is_a_function_local_import_of_a_task():
    for pair in ACCEPTED:
        service = next(m for m in pair if not m.endswith(".tasks"))
        task_module = next(m for m in pair if m.endswith(".tasks"))
        path = ROOT / (service.replace(".", "/") + ".py")
        tree = ast.parse(path.read_text(encoding="utf-8"))
        top_level = {
            node.module for node in tree.body if isinstance(node, ast.ImportFrom) and node.module
        }
        assert task_module not in top_level, f"{service} imports {task_module} at module level"
