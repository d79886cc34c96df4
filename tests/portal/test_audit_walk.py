"""Every write leaves an audit row (issue 13, finding 8).

The test walks every public function of every service module (the modules
below, found by import, not listed by hand): each is either a read (and
must write nothing), a writer of derived data (named here with its reason),
or a writer, run here through a scenario and watched at the SQL level: if it
writes anything, it writes an audit entry in the same call. A new service
without a scenario fails `test_every_service_function_is_walked`.
"""

import datetime
import importlib
import inspect
import pkgutil
import re
from decimal import Decimal

import pytest
from django.db import connection
from django.utils import timezone

from accounts.models import Market, Membership, Organization
from accounts.selectors import people_of
from evaluation.valuation import valuate
from tests.factories import (
    AchievementFactory,
    BrokerFactory,
    ContractFactory,
    DemandFactory,
    OrganizationFactory,
    PaymentFactory,
    ProgramFactory,
    StaffFactory,
    UserFactory,
    city_reviewed_applications,
    credit_code,
    member_of,
)
from tests.files import PDF, upload
from tests.market import flow as market_flow
from tests.project import project_apps

pytestmark = pytest.mark.django_db

# Modules that write but are not named services.py.
EXTRA_MODULES = [
    "contracts.cases",
    "portal.site.subscriptions",
    "accounts.tokens",
    "accounts.two_factor",
    "achievements.imports",
    "brokers.imports",
]
# Tables a call may write without an audit row of its own: the audit itself,
# messages to accounts, sessions, sign-in bookkeeping, rate-limit counters.
BOOKKEEPING = {
    "portal_auditentry",
    "portal_notification",
    "django_session",
    "axes_accessattempt",
    "axes_accesslog",
    "portal_ratelimitcounter",
}


def _modules():
    """Every app's services (a module, or a package of modules), and the extras."""
    names = [f"{config.name}.services" for config in project_apps()] + EXTRA_MODULES
    for name in names:
        try:
            module = importlib.import_module(name)
        except ModuleNotFoundError:
            continue
        yield module
        for sub in pkgutil.iter_modules(getattr(module, "__path__", [])):
            yield importlib.import_module(f"{name}.{sub.name}")


def service_functions() -> dict[str, object]:
    found = {}
    for module in _modules():
        for name, fn in inspect.getmembers(module, inspect.isfunction):
            if name.startswith("_") or fn.__module__ != module.__name__:
                continue
            parameters = list(inspect.signature(fn).parameters)
            if parameters[:1] == ["request"]:  # a page, not a service
                continue
            found[f"{module.__name__}.{name}"] = fn
    return found


# --- reads: they write nothing ------------------------------------------------------------

READS = {
    "challenges.services.may_issue": lambda w: {"user": w["ent_admin"], "organization": w["ent"]},
    "challenges.services.oversees": lambda w: {
        "user": w["central"],
        "challenge": _challenge()[0],
    },
    "challenges.services.may_see_detail": lambda w: {
        "user": w["univ_admin"],
        "challenge": _challenge("published")[0],
    },
    "challenges.services.trimmed_score": lambda w: {"totals": []},
    "challenges.services.milestone_amounts": lambda w: {
        "total": Decimal("100.00"),
        "percents": [30, 70],
    },
    "challenges.services.taker_id": lambda w: {"challenge": _challenge()[0]},
    "challenges.services.is_party": lambda w: {
        "user": w["univ_admin"],
        "challenge": _challenge()[0],
    },
    "challenges.services.agreement_guard": lambda w: {"contract": w["contract"]},
    "challenges.services.milestone_due": lambda w: _first_milestone(),
    "credit.services.decides": lambda w: {"user": w["central"], "item": _complaint()},
    "brokers.services.id_digest": lambda w: {"id_number": "42010219900101123X"},
    "brokers.services.not_enrolled_message": lambda w: {},
    "brokers.imports.template_bytes": lambda w: {},
    "platforms.services.city_of": lambda w: {"region_code": "420111"},
    "agencies.services.grade_of": lambda w: {"total": Decimal("70")},
    "agencies.services.deal_figures": lambda w: {"agency": _agency(), "year": 2025},
    "brokers.services.runs_base": lambda w: {"user": w["central"], "organization_id": None},
    "brokers.services.valid_certificate": lambda w: {"broker": _broker(), "level": "junior"},
    "brokers.services.assessment_figures": lambda w: {"broker": _broker(), "year": 2025},
    "accounts.services.market_for_region": lambda w: {"region_code": "420602"},
    "accounts.tokens.password_fingerprint": lambda w: {"user": w["univ_admin"]},
    "accounts.tokens.idle_limit": lambda w: {},
    "accounts.tokens.is_live": lambda w: {"token": w["token"]},
    "accounts.tokens.state_of": lambda w: {"token": w["token"]},
    "accounts.two_factor.confirmed_device": lambda w: {"user": w["univ_admin"]},
    "accounts.two_factor.is_required": lambda w: {"user": w["central"]},
    "accounts.two_factor.missing_but_required": lambda w: {"user": w["central"]},
    "accounts.two_factor.qr_svg": lambda w: {"device": w["device"]},
    "accounts.two_factor.secret_of": lambda w: {"device": w["device"]},
    "achievements.imports.template_bytes": lambda w: {},
    "achievements.imports.imports_visible_to": lambda w: {"user": w["univ_admin"]},
    "contracts.cases.case_from_contract": lambda w: {"contract": w["contract"]},
    "contracts.services.subsidies.buyer_problem": lambda w: {"organization": w["ent"]},
    "contracts.services.subsidies.subsidy_compute": lambda w: {
        "program": w["program"],
        "organization": w["ent"],
    },
    "contracts.services.subsidies.ledger_of": lambda w: {
        "program": w["program"],
        "organization": w["ent"],
    },
    "evaluation.services.valuation_payload": lambda w: {
        "result": valuate(
            {"method": "cost", "replacement_cost": "100", "years_used": 1, "years_remaining": 1}
        )
    },
    "experts.services.parties_of": lambda w: {"achievement": w["published"]},
    "experts.services.draw_experts": lambda w: {"achievement": w["published"], "n": 1},
    "experts.services.review_summary": lambda w: {"review": w["review"]},
    "matching.services.loading.load_docs": lambda w: {
        "model": type(w["published"]),
        "ids": [w["published"].pk],
    },
    "matching.services.loading.doc_of": lambda w: {"item": w["published"]},
    "matching.services.experts.experts_for_demand": lambda w: {"demand": w["demand"]},
    "portal.library.services.require_owner": lambda w: {
        "user": w["univ_admin"],
        "item": w["draft"],
    },
    "portal.library.services.require_reviewer": lambda w: {
        "user": w["central"],
        "item": w["draft"],
    },
    "portal.site.subscriptions.new_items": lambda w: {"subscription": w["subscription"]},
    "market.services.bids.refusal_for": lambda w: {
        "lot": w["lot"],
        "registration": None,
        "organization_id": None,
        "amount": Decimal("500000.00"),
        "at": w["lot"].starts_at,
    },
    "market.services.bids.refusal_text": lambda w: {"code": "below_start"},
    "market.services.deposits.deadline_of": lambda w: {"subject": w["listing"]},
    "market.services.listings.below_relist_floor": lambda w: {"listing": w["listing"]},
    "market.services.deals.contract_guard": lambda w: {"contract": w["contract"]},
}

# --- writers of derived data: rebuilt from what is audited, never typed in ------------------

DERIVED = {
    "experts.services.expert_reindex": "an expert's search vector and matcher terms",
    "cases.services.case_reindex": "a case's search vector",
    "portal.library.services.item_reindex": "the search vector and matcher terms of an item",
    "matching.services.storage.match_item": "an item's match rows, recomputed on publication",
    "matching.services.storage.unmatch_item": (
        "an item's match rows, removed when it leaves publication"
    ),
    "matching.services.runs.chunk_run": "a run's chunk of match rows (the run itself is audited)",
    "matching.services.loading.published_index": "the in-memory index (no write)",
    "matching.services.loading.published_queries": "the in-memory queries (no write)",
    "matching.services.loading.load_vectors": "items' embeddings read (no write)",
    "matching.services.loading.current_weights": "the ranking model in force (no write)",
    "matching.services.vectors.embed_item": "an item's embedding, derived from its text",
    "matching.services.vectors.embed_failed": "an embedding's failure, shown to staff",
    "matching.services.vectors.embed_backfill": "embeddings derived from the items' texts",
    "matching.services.vectors.item_texts": "the text an item is embedded from (no write)",
    "matching.services.learning.labelled_examples": "training examples (no write)",
    "matching.services.learning.feedback_examples": "training examples (no write)",
    "matching.services.learning.fit": "a fitted model in memory (no write)",
    "matching.services.learning.figures": "a model's figures on a labelled set (no write)",
    "matching.services.learning.write_default": "matching/ranker.json, by a developer's command",
    "matching.services.learning.refit_nightly": "calls ranker_fit (audited) on enough feedback",
    "accounts.two_factor.pending_device": "an unconfirmed secret being set up; enabling is audited",
    "accounts.two_factor.verify": "django-otp's throttling and a spent recovery code (audited)",
    "portal.site.subscriptions.digests_send": "the account's own digest notices and daily log",
    "market.services.deposits.deposit_open": "a deposit owed, opened by a registration (audited)",
    "market.services.bids.bidders_told": "the notices a bid causes (the bid itself is audited)",
    "inquiries.services.inquiry_opened": "a side's read mark (the owner's first read is audited)",
    "events.services.reminders_send": "the day-before notices and each registration's mark",
}


# --- writers: each must audit ---------------------------------------------------------------
# A scenario sets the world up and returns the one call to watch.

WRITERS: dict = {}


def writer(*names):
    def register(scenario):
        for name in names:
            WRITERS[name] = scenario
        return scenario

    return register


def _terms(w, **extra):
    return {
        "title": "技术转让合同",
        "contract_type": "transfer",
        "buyer": w["ent"],
        "seller": w["univ"],
        "signed_on": datetime.date(2025, 3, 1),
        "valid_from": datetime.date(2025, 3, 1),
        "valid_to": datetime.date(2026, 3, 1),
        "amount": Decimal("1000000.00"),
        "tech_transaction_amount": Decimal("800000.00"),
        "payment_method": "lump_sum",
        "tech_field": "materials",
        **extra,
    }


LIBRARIES = {
    "achievement": (
        "achievements",
        "university",
        {
            "title": "新成果",
            "summary": "简介",
            "tech_field": "energy",
            "trl": 5,
            "transfer_modes": ["transfer"],
        },
        "withdraw",
    ),
    "demand": (
        "demands",
        "enterprise",
        {
            "title": "新需求",
            "description": "描述",
            "tech_field": "energy",
            "budget_min": 1,
            "budget_max": 2,
            "deadline": datetime.date.today() + datetime.timedelta(days=30),
            "cooperation_modes": ["purchase"],
        },
        "close",
    ),
    "scenario": (
        "scenarios",
        "government",
        {
            "title": "新场景",
            "description": "描述",
            "tech_field": "energy",
            "deadline": datetime.date.today() + datetime.timedelta(days=30),
        },
        "close",
    ),
}


def _library_item(w, kind: str, status: str):
    app_name, org_kind, data, _closer = LIBRARIES[kind]
    app = importlib.import_module(f"{app_name}.services")
    owner = member_of(OrganizationFactory(kind=org_kind))
    item = getattr(app, f"{kind}_create")(by=owner, data=data)
    if status in ("pending", "published"):
        getattr(app, f"{kind}_submit")(**{kind: item, "by": owner})
    if status == "published":
        getattr(app, f"{kind}_approve")(**{kind: item, "by": w["central"]})
    item.refresh_from_db()
    return app, item, owner


def _library_scenario(kind: str, action: str, status: str):
    def scenario(w):
        app, item, owner = _library_item(w, kind, status)
        by = w["central"] if action in ("approve", "reject") else owner
        extra = {"reason": "补充材料"} if action == "reject" else {}
        if action == "update":
            extra = {"data": {"title": "改过的标题"}}
        service = getattr(app, f"{kind}_{action}")
        return lambda: service(**{kind: item, "by": by, **extra})

    return scenario


def _library_create(kind: str):
    def scenario(w):
        app_name, org_kind, data, _closer = LIBRARIES[kind]
        service = getattr(importlib.import_module(f"{app_name}.services"), f"{kind}_create")
        owner = member_of(OrganizationFactory(kind=org_kind))
        return lambda: service(by=owner, data=data)

    return scenario


for _kind, (_app, _org, _data, _closer) in LIBRARIES.items():
    WRITERS[f"{_app}.services.{_kind}_create"] = _library_create(_kind)
    for _action, _status in (
        ("update", "draft"),
        ("submit", "draft"),
        ("approve", "pending"),
        ("reject", "pending"),
        (_closer, "published"),
    ):
        WRITERS[f"{_app}.services.{_kind}_{_action}"] = _library_scenario(_kind, _action, _status)
    WRITERS[f"{_app}.services.{_kind}_delete"] = _library_scenario(_kind, "delete", "draft")


def _contract(w, status="draft"):
    from contracts import services

    contract = services.contract_create(by=w["broker"], data=_terms(w))
    if status == "draft":
        return contract
    services.contract_attach_document(
        contract=contract, by=w["broker"], upload=upload("c.pdf", PDF)
    )
    for admin in ("ent_admin", "univ_admin"):
        services.contract_confirm(contract=contract, by=w[admin])
    if status == "confirmed":
        return contract
    services.contract_submit(contract=contract, by=w["broker"])
    if status == "registered":
        services.contract_register(contract=contract, by=w["central"])
    contract.refresh_from_db()
    return contract


def _application(w, stage: str):
    from contracts import services

    _program, _buyer, [application] = city_reviewed_applications(1, "100000.00")
    if stage == "approved":
        services.subsidy_approve(application=application, by=StaffFactory())
    application.refresh_from_db()
    return application


def _pending_membership(w):
    return Membership.objects.create(user=UserFactory(organization=None), organization=w["univ"])


def _workbook() -> bytes:
    import io

    from openpyxl import Workbook

    from achievements.imports import HEADERS

    book = Workbook()
    book.active.append(HEADERS)
    book.active.append(["成果", "简介", "", "新材料及其应用", "", "", 6, "", "", "转让", "", ""])
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def _open_scenario(w, *, expired: bool):
    from scenarios import services
    from scenarios.models import Scenario

    gov = member_of(OrganizationFactory(kind="government"))
    data = {**LIBRARIES["scenario"][2], "deadline": datetime.date.today() + datetime.timedelta(3)}
    item = services.scenario_create(by=gov, data=data)
    services.scenario_submit(scenario=item, by=gov)
    services.scenario_approve(scenario=item, by=w["central"])
    if expired:
        Scenario.objects.filter(pk=item.pk).update(
            deadline=datetime.date.today() - datetime.timedelta(1)
        )
    item.refresh_from_db()
    return item, gov


@writer("accounts.services.organization_create")
def _(w):
    from accounts import services

    return lambda: services.organization_create(
        name="新机构", kind="enterprise", credit_code=credit_code(801), region_code="420111"
    )


@writer("accounts.services.user_register")
def _(w):
    from accounts import services

    return lambda: services.user_register(
        username="newcomer",
        password="Str0ng-test-passw0rd",
        email="n@example.cn",
        organization={"credit_code": w["univ"].credit_code},
    )


@writer("accounts.services.membership_approve")
def _(w):
    from accounts import services

    membership = _pending_membership(w)
    return lambda: services.membership_approve(membership=membership, by=w["univ_admin"])


@writer("accounts.services.membership_refuse")
def _(w):
    from accounts import services

    membership = _pending_membership(w)
    return lambda: services.membership_refuse(membership=membership, by=w["univ_admin"])


@writer("accounts.services.membership_set_role")
def _(w):
    from accounts import services

    membership = Membership.objects.get(user=member_of(w["univ"], role="member"))
    return lambda: services.membership_set_role(
        membership=membership, by=w["univ_admin"], role="reader"
    )


@writer("accounts.services.membership_remove")
def _(w):
    from accounts import services

    membership = Membership.objects.get(user=member_of(w["univ"], role="member"))
    return lambda: services.membership_remove(membership=membership, by=w["univ_admin"])


@writer("accounts.services.organization_verify")
def _(w):
    from accounts import services

    org = OrganizationFactory(verified=False)
    return lambda: services.organization_verify(organization=org, by=w["central"])


@writer("accounts.services.staff_create")
def _(w):
    from accounts import services

    return lambda: services.staff_create(
        username="new_staff", password="Str0ng-test-passw0rd", market_code="wuhan"
    )


@writer("accounts.services.broker_profile_create")
def _(w):
    from accounts import services

    user = member_of(OrganizationFactory(kind="agency"))
    return lambda: services.broker_profile_create(
        user=user, level="junior", certificate_number="HB-NEW-1"
    )


@writer("accounts.services.organizations_reassign_markets")
def _(w):
    from accounts import services

    Organization.objects.filter(pk=w["univ"].pk).update(market=Market.objects.get(code="yichang"))
    return services.organizations_reassign_markets


@writer("accounts.tokens.token_issue")
def _(w):
    from accounts import tokens

    return lambda: tokens.token_issue(user=w["univ_admin"])


@writer("accounts.tokens.tokens_revoke")
def _(w):
    from accounts import tokens

    return lambda: tokens.tokens_revoke(user=w["token"].user, reason="revoked")


@writer("accounts.tokens.token_revoke")
def _(w):
    from accounts import tokens

    return lambda: tokens.token_revoke(token=w["token"], by=w["token"].user)


@writer("accounts.two_factor.recovery_codes_issue")
def _(w):
    from accounts import two_factor

    return lambda: two_factor.recovery_codes_issue(user=w["univ_admin"])


@writer("accounts.two_factor.totp_enable")
def _(w):
    from accounts import two_factor
    from tests.accounts.test_two_factor import code

    device = two_factor.pending_device(w["central"])
    return lambda: two_factor.totp_enable(user=w["central"], token=code(device))


@writer("accounts.two_factor.totp_disable")
def _(w):
    from accounts import two_factor
    from tests.accounts.test_two_factor import code

    device = two_factor.pending_device(w["univ_admin"])
    two_factor.totp_enable(user=w["univ_admin"], token=code(device))
    device.refresh_from_db()
    return lambda: two_factor.totp_disable(user=w["univ_admin"], token=code(device, 1))


@writer("achievements.imports.achievements_import")
def _(w):
    from achievements import imports

    return lambda: imports.achievements_import(
        by=w["univ_admin"], upload=upload("a.xlsx", _workbook())
    )


@writer("achievements.imports.import_start")
def _(w):
    from achievements import imports

    return lambda: imports.import_start(by=w["univ_admin"], upload=upload("b.xlsx", _workbook()))


@writer("achievements.imports.import_run")
def _(w):
    from achievements import imports

    job = imports.ImportJob.objects.create(
        organization=w["univ"], created_by=w["univ_admin"], file_name="a.xlsx"
    )
    job.file.save("a.xlsx", upload("a.xlsx", _workbook()))
    return lambda: imports.import_run(job_id=job.pk)


@writer("achievements.imports.import_submit_all")
def _(w):
    from achievements import imports

    job = imports.ImportJob.objects.create(
        organization=w["univ"], created_by=w["univ_admin"], file_name="a.xlsx"
    )
    imports.achievements_import(by=w["univ_admin"], upload=upload("a.xlsx", _workbook()), job=job)
    return lambda: imports.import_submit_all(job=job, by=w["univ_admin"])


@writer("portal.library.services.items_approve")
def _(w):
    from achievements.models import Achievement
    from portal.library import services as library

    item = AchievementFactory(organization=w["univ"], status="pending")
    return lambda: library.items_approve(
        model=Achievement, ids=[item.pk], by=w["central"], comment="同意"
    )


@writer("demands.services.demands_expire")
def _(w):
    from demands import services
    from demands.models import Demand

    demand = DemandFactory(status="published")
    Demand.objects.filter(pk=demand.pk).update(
        deadline=datetime.date.today() - datetime.timedelta(1)
    )
    return services.demands_expire


@writer("scenarios.services.scenarios_close_expired")
def _(w):
    from scenarios import services

    _open_scenario(w, expired=True)
    return services.scenarios_close_expired


@writer("scenarios.services.proposal_submit")
def _(w):
    from scenarios import services

    scenario, _publisher = _open_scenario(w, expired=False)
    return lambda: services.proposal_submit(
        scenario=scenario, by=w["univ_admin"], achievement=w["published"]
    )


@writer("scenarios.services.proposal_decide")
def _(w):
    from scenarios import services

    scenario, publisher = _open_scenario(w, expired=False)
    proposal = services.proposal_submit(
        scenario=scenario, by=w["univ_admin"], achievement=w["published"]
    )
    return lambda: services.proposal_decide(proposal=proposal, by=publisher, status="shortlisted")


def _case():
    from cases.models import Case

    return Case(title="案例", summary="s", body="b", tech_field="energy", region_code="420111")


@writer("cases.services.case_save")
def _(w):
    from cases import services

    return lambda: services.case_save(case=_case(), by=w["central"])


@writer("cases.services.case_publish")
def _(w):
    from cases import services

    case = services.case_save(case=_case(), by=w["central"])
    return lambda: services.case_publish(case=case, by=w["central"])


@writer("contracts.cases.load_contract_cases")
def _(w):
    from contracts.cases import load_contract_cases

    return lambda: load_contract_cases(by=w["central"])


@writer("contracts.services.contracts.contract_create")
def _(w):
    from contracts import services

    return lambda: services.contract_create(by=w["broker"], data=_terms(w))


@writer("contracts.services.contracts.contract_update")
def _(w):
    from contracts import services

    contract = _contract(w)
    return lambda: services.contract_update(
        contract=contract, by=w["broker"], data={"amount": Decimal("900000.00")}
    )


@writer("contracts.services.contracts.contract_attach_document")
def _(w):
    from contracts import services

    contract = _contract(w)
    return lambda: services.contract_attach_document(
        contract=contract, by=w["broker"], upload=upload("c.pdf", PDF)
    )


@writer("contracts.services.contracts.contract_confirm")
def _(w):
    from contracts import services

    contract = _contract(w)
    return lambda: services.contract_confirm(contract=contract, by=w["ent_admin"])


@writer("contracts.services.contracts.contract_submit")
def _(w):
    from contracts import services

    contract = _contract(w, "confirmed")
    return lambda: services.contract_submit(contract=contract, by=w["broker"])


@writer("contracts.services.contracts.contract_register")
def _(w):
    from contracts import services

    contract = _contract(w, "submitted")
    return lambda: services.contract_register(contract=contract, by=w["central"])


@writer("contracts.services.contracts.contract_reject")
def _(w):
    from contracts import services

    contract = _contract(w, "submitted")
    return lambda: services.contract_reject(contract=contract, by=w["central"], reason="不清")


@writer("contracts.services.contracts.contract_terminate")
def _(w):
    from contracts import services

    contract = _contract(w, "registered")
    return lambda: services.contract_terminate(contract=contract, by=w["broker"])


@writer("contracts.services.payments.payment_add")
def _(w):
    from contracts import services

    contract = _contract(w, "registered")
    return lambda: services.payment_add(
        contract=contract,
        by=w["broker"],
        amount=Decimal("100.00"),
        paid_on=datetime.date(2025, 6, 1),
        evidence=upload("r.pdf", PDF),
    )


def _pending_payment(w, **extra):
    return PaymentFactory(contract=w["contract"], status="pending", amount=Decimal("1.00"), **extra)


@writer("contracts.services.payments.payment_confirm")
def _(w):
    from contracts import services

    payment = _pending_payment(w, buyer_confirmed_at=None)
    return lambda: services.payment_confirm(payment=payment, by=w["ent_admin"])


@writer("contracts.services.payments.payment_verify")
def _(w):
    from contracts import services

    payment = _pending_payment(w)
    return lambda: services.payment_verify(payment=payment, by=w["central"])


@writer("contracts.services.payments.payment_reject")
def _(w):
    from contracts import services

    payment = _pending_payment(w)
    return lambda: services.payment_reject(payment=payment, by=w["central"], reason="回单不清")


@writer("contracts.services.rewards.reward_save")
def _(w):
    from contracts import services

    return lambda: services.reward_save(
        contract=w["contract"],
        by=w["univ_admin"],
        net_income=Decimal("100.00"),
        team_ratio=Decimal("0.80"),
        shares=[{"name": "张三", "ratio": "1"}],
    )


@writer("contracts.services.programmes.program_save")
def _(w):
    from contracts import services

    program = w["program"]
    program.cap = Decimal("500.00")
    return lambda: services.program_save(by=w["central"], program=program)


@writer("contracts.services.subsidies.subsidy_apply")
def _(w):
    from contracts import services

    return lambda: services.subsidy_apply(by=w["ent_admin"], program=w["program"])


@writer("contracts.services.subsidies.subsidy_submit")
def _(w):
    from contracts import services

    application = services.subsidy_apply(by=w["ent_admin"], program=w["program"])
    return lambda: services.subsidy_submit(application=application, by=w["ent_admin"])


@writer("contracts.services.subsidies.subsidy_city_review")
def _(w):
    from contracts import services

    application = services.subsidy_apply(by=w["ent_admin"], program=w["program"])
    services.subsidy_submit(application=application, by=w["ent_admin"])
    return lambda: services.subsidy_city_review(application=application, by=w["central"])


@writer("contracts.services.subsidies.subsidy_approve")
def _(w):
    from contracts import services

    application = _application(w, "city_reviewed")
    return lambda: services.subsidy_approve(application=application, by=StaffFactory())


@writer("contracts.services.subsidies.subsidy_reject")
def _(w):
    from contracts import services

    application = _application(w, "city_reviewed")
    return lambda: services.subsidy_reject(
        application=application, by=StaffFactory(), reason="材料不全"
    )


@writer("contracts.services.subsidies.subsidy_send_back")
def _(w):
    from contracts import services

    application = _application(w, "city_reviewed")
    return lambda: services.subsidy_send_back(
        application=application, by=StaffFactory(), reason="请补充材料"
    )


@writer("contracts.services.subsidies.subsidy_attach")
def _(w):
    from contracts import services

    application = services.subsidy_apply(by=w["ent_admin"], program=w["program"])
    return lambda: services.subsidy_attach(
        application=application, by=w["ent_admin"], files=[upload("发票.pdf", PDF)]
    )


@writer("contracts.services.subsidies.subsidy_delete")
def _(w):
    from contracts import services

    application = services.subsidy_apply(by=w["ent_admin"], program=w["program"])
    return lambda: services.subsidy_delete(application=application, by=w["ent_admin"])


@writer("contracts.services.subsidies.subsidy_disburse")
def _(w):
    from contracts import services

    application = _application(w, "approved")
    return lambda: services.subsidy_disburse(
        application=application, by=StaffFactory(), voucher="V1", paid_on=datetime.date.today()
    )


@writer("evaluation.services.report_save")
def _(w):
    from evaluation import services, trl

    answers = {q["id"]: True for q in trl.questionnaire()}
    return lambda: services.report_save(
        achievement=w["published"], by=w["univ_admin"], kind="trl", inputs={"answers": answers}
    )


@writer("experts.services.expert_save")
def _(w):
    from experts import services
    from experts.models import Expert

    return lambda: services.expert_save(
        expert=Expert(name="新专家", tech_fields=["energy"]), by=w["central"]
    )


def _an_expert():
    from experts import services
    from experts.models import Expert

    return services.expert_save(
        expert=Expert(name="专家", tech_fields=["energy"], user=UserFactory(organization=None))
    )


@writer("experts.services.review_open")
def _(w):
    from experts import services

    _an_expert()
    return lambda: services.review_open(achievement=w["published"], by=w["central"], n=1)


@writer("experts.services.assignment_score")
def _(w):
    from experts import services

    _an_expert()
    assignment = services.review_open(achievement=w["published"], by=w["central"], n=1)
    assignment = assignment.assignments.get()
    return lambda: services.assignment_score(
        assignment=assignment,
        by=assignment.expert.user,
        scores=dict.fromkeys(type(assignment).RUBRIC, 4),
    )


@writer("matching.services.runs.run_start")
def _(w):
    from matching import services

    return lambda: services.run_start(by=w["central"])


@writer("matching.services.runs.run_nightly")
def _(w):
    from matching import services

    return services.run_nightly


@writer("matching.services.runs.run_finish")
def _(w):
    from matching import services
    from matching.models import MatchRun

    run = MatchRun.objects.create(status=MatchRun.Status.RUNNING)
    return lambda: services.run_finish(run_id=run.pk)


@writer("matching.services.runs.runs_sweep")
def _(w):
    from matching import services
    from matching.models import MatchChunk, MatchRun

    run = MatchRun.objects.create(status=MatchRun.Status.RUNNING, total_chunks=1)
    MatchChunk.objects.create(run=run, side="demand", ids=[], attempts=99)
    return services.runs_sweep


@writer("matching.services.learning.ranker_fit")
def _(w):
    from matching.services import learning

    return lambda: learning.ranker_fit(by=w["central"])


@writer("matching.services.feedback.feedback_give")
def _(w):
    from matching import services
    from matching.models import Match

    demand = DemandFactory(status="published", organization=w["ent"])
    match = Match.objects.create(demand=demand, achievement=w["published"], score=0.5)
    return lambda: services.feedback_give(match=match, by=w["ent_admin"], verdict="relevant")


@writer("portal.library.services.item_create")
def _(w):
    from portal.library import services

    return lambda: services.item_create(
        model=type(w["draft"]),
        by=w["univ_admin"],
        data=LIBRARIES["achievement"][2],
        allowed_kinds={"university"},
    )


@writer("portal.library.services.item_update")
def _(w):
    from portal.library import services

    return lambda: services.item_update(item=w["draft"], by=w["univ_admin"], data={"summary": "新"})


@writer("portal.library.services.item_attach")
def _(w):
    from portal.library import services

    return lambda: services.item_attach(
        item=w["draft"], by=w["univ_admin"], files=[upload("a.pdf", PDF)]
    )


@writer("portal.library.services.item_submit")
def _(w):
    from portal.library import services

    return lambda: services.item_submit(item=w["draft"], by=w["univ_admin"])


@writer("portal.library.services.item_delete")
def _(w):
    from portal.library import services

    return lambda: services.item_delete(item=w["draft"], by=w["univ_admin"])


@writer("portal.library.services.item_approve")
def _(w):
    from portal.library import services

    item = AchievementFactory(organization=w["univ"], status="pending")
    return lambda: services.item_approve(item=item, by=w["central"])


@writer("portal.library.services.item_reject")
def _(w):
    from portal.library import services

    item = AchievementFactory(organization=w["univ"], status="pending")
    return lambda: services.item_reject(item=item, by=w["central"], reason="r")


@writer("portal.library.services.item_owner_action")
def _(w):
    from portal.library import services

    return lambda: services.item_owner_action(
        item=w["published"], by=w["univ_admin"], action="withdraw"
    )


@writer("portal.site.subscriptions.subscription_create")
def _(w):
    from portal.site import subscriptions

    return lambda: subscriptions.subscription_create(
        user=w["univ_admin"], library="achievements", query="q=电机"
    )


# --- the market ------------------------------------------------------------------------


def _market():
    market_flow.enter_calendar()
    return market_flow.cast()


def _listing(step: str):
    """A listing brought to a step, with its people."""
    from market.services import listings

    p = _market()
    if step == "draft":
        return listings.listing_create(by=p["holder_admin"], data=market_flow.listing_data(p)), p
    if step == "submitted":
        return market_flow.submitted_listing(p), p
    listing = market_flow.announced_listing(p)
    if step == "announcing":
        return listing, p
    if step == "suspended":
        return listings.listing_suspend(listing=listing, by=p["staff"], reason="核查"), p
    market_flow.qualified_intent(p, listing, "a")
    if step == "qualified":
        return listing, p
    market_flow.end_notice(listing)
    if step == "due":
        return listing, p
    listing = listings.listing_close_notice(listing=listing)
    if step == "agreement_pending":
        return listing, p
    raise ValueError(step)


def _lot(step: str):
    from market.services import auctions, bids

    p = _market()
    if step == "draft":
        return auctions.auction_create(by=p["holder_admin"], data=market_flow.lot_data(p)), p
    if step == "pending_review":
        lot = auctions.auction_create(by=p["holder_admin"], data=market_flow.lot_data(p))
        return auctions.auction_submit(auction=lot, by=p["holder_admin"]), p
    lot = market_flow.announced_lot(p)
    if step == "announced":
        return lot, p
    market_flow.bidder(p, lot, "a")
    lot = market_flow.open_bidding(lot)
    if step == "bidding":
        return lot, p
    bids.bid_place(auction=lot, by=p["a_admin"], amount=Decimal("600000.00"), request_id="1")
    lot = market_flow.end_bidding(lot)
    if step == "due":
        return lot, p
    return auctions.auction_close(auction=lot), p  # sold


@writer("market.services.rules.rules_update")
def _(w):
    from market.services import rules

    return lambda: rules.rules_update(by=w["central"], data={"snipe_window_seconds": 120})


@writer("market.services.rules.calendar_set")
def _(w):
    from market.services import rules

    return lambda: rules.calendar_set(
        by=w["central"], date=datetime.date(2027, 2, 11), is_workday=False, note="春节"
    )


@writer("market.services.listings.listing_create")
def _(w):
    from market.services import listings

    p = _market()
    return lambda: listings.listing_create(by=p["holder_admin"], data=market_flow.listing_data(p))


@writer("market.services.listings.listing_update")
def _(w):
    from market.services import listings

    listing, p = _listing("draft")
    return lambda: listings.listing_update(
        listing=listing, by=p["holder_admin"], data={"listing_price": Decimal("990000.00")}
    )


@writer("market.services.listings.listing_attach_decision")
def _(w):
    from market.services import listings

    listing, p = _listing("draft")
    return lambda: listings.listing_attach_decision(
        listing=listing, by=p["holder_admin"], upload=upload("决定.pdf", PDF)
    )


@writer("market.services.listings.listing_submit")
def _(w):
    from market.services import listings

    listing, p = _listing("draft")
    listings.listing_attach_decision(
        listing=listing, by=p["holder_admin"], upload=upload("决定.pdf", PDF)
    )
    return lambda: listings.listing_submit(listing=listing, by=p["holder_admin"])


@writer("market.services.listings.listing_approve")
def _(w):
    from market.services import listings

    listing, p = _listing("submitted")
    return lambda: listings.listing_approve(listing=listing, by=p["staff"])


@writer("market.services.listings.listing_send_back")
def _(w):
    from market.services import listings

    listing, p = _listing("submitted")
    return lambda: listings.listing_send_back(listing=listing, by=p["staff"], reason="补正")


@writer("market.services.listings.listing_reject")
def _(w):
    from market.services import listings

    listing, p = _listing("submitted")
    return lambda: listings.listing_reject(listing=listing, by=p["staff"], reason="不予受理")


@writer("market.services.listings.listing_revise")
def _(w):
    from market.services import listings

    listing, p = _listing("announcing")
    return lambda: listings.listing_revise(
        listing=listing, by=p["holder_admin"], data={"listing_price": Decimal("950000.00")}
    )


def _inquiry(w, **extra):
    from inquiries import services as inquiries

    inquiry, _created = inquiries.inquiry_send(
        by=w["ent_admin"],
        subject_type="achievement",
        subject_id=w["published"].pk,
        kind="license",
        message="希望洽谈许可",
    )
    return inquiry


@writer("inquiries.services.inquiry_send")
def _(w):
    from inquiries import services as inquiries

    return lambda: inquiries.inquiry_send(
        by=w["ent_admin"],
        subject_type="achievement",
        subject_id=w["published"].pk,
        kind="license",
        message="希望洽谈许可",
    )


@writer("inquiries.services.message_post")
def _(w):
    from inquiries import services as inquiries

    inquiry = _inquiry(w)
    return lambda: inquiries.message_post(inquiry=inquiry, by=w["univ_admin"], text="可以")


@writer("inquiries.services.inquiry_accept")
def _(w):
    from inquiries import services as inquiries

    inquiry = _inquiry(w)
    return lambda: inquiries.inquiry_accept(inquiry=inquiry, by=w["univ_admin"])


@writer("inquiries.services.inquiry_close")
def _(w):
    from inquiries import services as inquiries

    inquiry = _inquiry(w)
    return lambda: inquiries.inquiry_close(
        inquiry=inquiry, by=w["univ_admin"], outcome="no_deal", reason="已转让"
    )


@writer("inquiries.services.broker_assign")
def _(w):
    from inquiries import services as inquiries

    inquiry = _inquiry(w)
    return lambda: inquiries.broker_assign(inquiry=inquiry, by=w["central"], broker=w["broker"])


@writer("market.services.deposits.party_decide")
def _(w):
    from market.services import deposits, listings

    intent = listings.intent_register(listing=w["listing"], by=member_of(OrganizationFactory()))
    return lambda: deposits.party_decide(
        intent, by=w["central"], qualified=False, reason="资料不全"
    )


@writer("market.services.listings.listing_withdraw")
def _(w):
    from market.services import listings

    listing, p = _listing("announcing")
    return lambda: listings.listing_withdraw(listing=listing, by=p["holder_admin"])


@writer("market.services.listings.listing_suspend")
def _(w):
    from market.services import listings

    listing, p = _listing("announcing")
    return lambda: listings.listing_suspend(listing=listing, by=p["staff"], reason="核查")


@writer("market.services.listings.listing_resume")
def _(w):
    from market.services import listings

    listing, p = _listing("suspended")
    return lambda: listings.listing_resume(listing=listing, by=p["staff"])


@writer("market.services.listings.intent_register")
def _(w):
    from market.services import listings

    listing, p = _listing("announcing")
    return lambda: listings.intent_register(listing=listing, by=p["a_admin"])


@writer("market.services.listings.intent_qualify")
def _(w):
    from market.services import listings

    listing, p = _listing("announcing")
    intent = listings.intent_register(listing=listing, by=p["a_admin"])
    return lambda: listings.intent_qualify(intent=intent, by=p["staff"])


@writer("market.services.listings.listing_close_notice")
def _(w):
    from market.services import listings

    listing, p = _listing("due")
    return lambda: listings.listing_close_notice(listing=listing, by=p["staff"])


@writer("market.services.listings.listing_confirm")
def _(w):
    from market.services import listings

    listing, p = _listing("agreement_pending")
    return lambda: listings.listing_confirm(listing=listing, by=p["a_admin"])


@writer("market.services.listings.listing_decline")
def _(w):
    from market.services import listings

    listing, p = _listing("agreement_pending")
    return lambda: listings.listing_decline(listing=listing, by=p["a_admin"], reason="放弃")


@writer("market.services.auctions.auction_create")
def _(w):
    from market.services import auctions

    p = _market()
    return lambda: auctions.auction_create(by=p["holder_admin"], data=market_flow.lot_data(p))


@writer("market.services.auctions.auction_update")
def _(w):
    from market.services import auctions

    lot, p = _lot("draft")
    return lambda: auctions.auction_update(
        auction=lot, by=p["holder_admin"], data={"increment": Decimal("20000.00")}
    )


@writer("market.services.auctions.auction_submit")
def _(w):
    from market.services import auctions

    lot, p = _lot("draft")
    return lambda: auctions.auction_submit(auction=lot, by=p["holder_admin"])


@writer("market.services.auctions.auction_approve")
def _(w):
    from market.services import auctions

    lot, p = _lot("pending_review")
    return lambda: auctions.auction_approve(auction=lot, by=p["staff"])


@writer("market.services.auctions.auction_reject")
def _(w):
    from market.services import auctions

    lot, p = _lot("pending_review")
    return lambda: auctions.auction_reject(auction=lot, by=p["staff"], reason="材料不全")


@writer("market.services.auctions.auction_cancel")
def _(w):
    from market.services import auctions

    lot, p = _lot("announced")
    return lambda: auctions.auction_cancel(auction=lot, by=p["staff"], reason="权属争议")


@writer("market.services.auctions.registration_create")
def _(w):
    from market.services import auctions

    lot, p = _lot("announced")
    return lambda: auctions.registration_create(auction=lot, by=p["a_admin"])


@writer("market.services.auctions.registration_qualify")
def _(w):
    from market.services import auctions

    lot, p = _lot("announced")
    registration = auctions.registration_create(auction=lot, by=p["a_admin"])
    return lambda: auctions.registration_qualify(registration=registration, by=p["staff"])


@writer("market.services.auctions.auction_from_listing")
def _(w):
    from market.services import auctions

    listing, p = _listing("qualified")
    intent = market_flow.qualified_intent(p, listing, "b")
    return lambda: auctions.auction_from_listing(listing=listing, intents=[intent])


@writer("market.services.auctions.auction_close")
def _(w):
    from market.services import auctions

    lot, p = _lot("due")
    return lambda: auctions.auction_close(auction=lot, by=p["staff"])


@writer("market.services.auctions.auction_confirm")
def _(w):
    from market.services import auctions

    lot, p = _lot("sold")
    return lambda: auctions.auction_confirm(auction=lot, by=p["a_admin"])


@writer("market.services.auctions.auction_default")
def _(w):
    from market.services import auctions

    lot, p = _lot("sold")
    return lambda: auctions.auction_default(auction=lot, by=p["a_admin"], reason="悔拍")


@writer("market.services.bids.bid_place")
def _(w):
    from market.services import bids

    lot, p = _lot("bidding")
    return lambda: bids.bid_place(
        auction=lot, by=p["a_admin"], amount=Decimal("500000.00"), request_id="walk"
    )


def _frozen_deposit():
    listing, p = _listing("qualified")
    return listing.deposits.get(status="frozen"), listing, p


@writer("market.services.deposits.deposit_receive")
def _(w):
    from market.services import deposits, listings

    listing, p = _listing("announcing")
    intent = listings.intent_register(listing=listing, by=p["a_admin"])
    return lambda: deposits.deposit_receive(deposit=intent.deposit, by=p["staff"])


@writer("market.services.deposits.deposit_release")
def _(w):
    from market.services import deposits

    deposit, _subject, p = _frozen_deposit()
    return lambda: deposits.deposit_release(deposit=deposit, by=p["staff"], reason="退还")


@writer("market.services.deposits.release_all")
def _(w):
    from market.services import deposits

    _deposit, listing, p = _frozen_deposit()
    return lambda: deposits.release_all(listing, by=p["staff"], reason="退还")


@writer("market.services.deposits.deposit_apply")
def _(w):
    from market.services import deposits

    deposit, _subject, p = _frozen_deposit()
    return lambda: deposits.deposit_apply(deposit=deposit, by=p["staff"])


@writer("market.services.deposits.deposit_forfeit")
def _(w):
    from market.services import deposits

    deposit, _subject, p = _frozen_deposit()
    return lambda: deposits.deposit_forfeit(deposit=deposit, by=p["staff"], reason="弃权")


@writer("market.services.deposits.deposit_refunded")
def _(w):
    from market.services import deposits

    deposit, _subject, p = _frozen_deposit()
    deposit = deposits.deposit_release(deposit=deposit, by=p["staff"], reason="退还")
    return lambda: deposits.deposit_refunded(deposit=deposit, by=p["staff"])


@writer("market.services.deals.deal_done")
def _(w):
    from market.services import deals

    listing, p = _listing("agreement_pending")
    return lambda: deals.deal_done(
        subject=listing, buyer=p["a"], price=listing.listing_price, by=p["a_admin"]
    )


def _registered_deal():
    from contracts import services as contracts
    from market.models import Listing
    from market.services import listings

    listing, p = _listing("agreement_pending")
    listing = listings.listing_confirm(listing=listing, by=p["a_admin"])
    from publicity.models import Publicity

    Publicity.objects.filter(kind=Publicity.Kind.RESULT).update(period_value=0)
    contract = listing.contract
    contracts.contract_attach_document(
        contract=contract, by=p["holder_admin"], upload=upload("合同.pdf", PDF)
    )
    contracts.contract_confirm(contract=contract, by=p["a_admin"])
    contracts.contract_submit(contract=contract, by=p["holder_admin"])
    contract = contracts.contract_register(contract=contract, by=p["staff"])
    # As if the registration's follower had not run.
    Listing.objects.filter(pk=listing.pk).update(certificate_number=None, status="deal_confirmed")
    return contract, p


@writer("market.services.deals.issue_certificate")
def _(w):
    from market.services import deals

    contract, p = _registered_deal()
    return lambda: deals.issue_certificate(contract=contract, by=p["staff"])


@writer("market.services.deals.contract_registered")
def _(w):
    from market.services import deals

    contract, p = _registered_deal()
    return lambda: deals.contract_registered(contract=contract, by=p["staff"])


@writer("market.services.deals.objection_decided")
def _(w):
    from market.services import deals, listings
    from publicity import services as publicity
    from publicity.models import Objection, Publicity

    listing, p = _listing("agreement_pending")
    listings.listing_confirm(listing=listing, by=p["a_admin"])
    result = Publicity.objects.get(kind=Publicity.Kind.RESULT, subject_id=listing.pk)
    objection = publicity.objection_submit(
        publicity=result, by=p["c_admin"], facts="串通", contact="电话", real_name="王五"
    )
    Objection.objects.filter(pk=objection.pk).update(status="upheld", reply="成立")
    objection.refresh_from_db()
    return lambda: deals.objection_decided(objection, by=p["staff"])


@writer("market.services.sweep.close_due_lots")
def _(w):
    from market.services import sweep

    _lot("due")
    return sweep.close_due_lots


@writer("market.services.sweep.close_if_due")
def _(w):
    from market.services import sweep

    lot, _p = _lot("due")
    return lambda: sweep.close_if_due(lot)


@writer("market.services.sweep.daily")
def _(w):
    from market.services import sweep

    _listing("due")
    return sweep.daily


def _notice():
    from publicity.models import Publicity
    from publicity.selectors import current

    listing, p = _listing("announcing")
    return current(listing, Publicity.Kind.LISTING_NOTICE), listing, p


@writer("publicity.services.publicity_open")
def _(w):
    from publicity import services
    from publicity.models import Publicity

    listing, p = _listing("draft")
    return lambda: services.publicity_open(
        subject=listing,
        kind=Publicity.Kind.INTERNAL_PRICE,
        title="内部公示",
        content={"price": "1000000.00"},
        period_value=15,
        period_unit=Publicity.Unit.CALENDAR_DAY,
        by=p["holder_admin"],
    )


@writer("publicity.services.publicity_extend")
def _(w):
    from publicity import services

    notice, _subject, p = _notice()
    return lambda: services.publicity_extend(publicity=notice, workdays=5, by=p["staff"])


@writer("publicity.services.publicity_suspend")
def _(w):
    from publicity import services

    notice, _subject, p = _notice()
    return lambda: services.publicity_suspend(publicity=notice, by=p["staff"], reason="核查")


@writer("publicity.services.publicity_resume")
def _(w):
    from publicity import services

    notice, _subject, p = _notice()
    services.publicity_suspend(publicity=notice, by=p["staff"], reason="核查")
    return lambda: services.publicity_resume(publicity=notice, by=p["staff"], workdays=10)


@writer("publicity.services.publicity_terminate")
def _(w):
    from publicity import services

    notice, _subject, p = _notice()
    return lambda: services.publicity_terminate(publicity=notice, by=p["staff"], reason="终结")


@writer("publicity.services.objection_submit")
def _(w):
    from publicity import services

    notice, _subject, p = _notice()
    return lambda: services.objection_submit(
        publicity=notice, by=p["c_admin"], facts="权属争议", contact="电话", real_name="王五"
    )


@writer("publicity.services.objection_decide")
def _(w):
    from publicity import services

    notice, _subject, p = _notice()
    objection = services.objection_submit(
        publicity=notice, by=p["c_admin"], facts="权属争议", contact="电话", real_name="王五"
    )
    return lambda: services.objection_decide(
        objection=objection, by=p["staff"], upheld=False, reply="驳回"
    )


@pytest.fixture
def world(settings, tmp_path):
    from accounts.tokens import token_issue
    from accounts.two_factor import pending_device
    from experts.models import ExpertReview
    from portal.site.subscriptions import subscription_create

    settings.MEDIA_ROOT = tmp_path
    univ = OrganizationFactory(kind="university", region_code="420111")
    ent = OrganizationFactory(kind="enterprise", region_code="420111")
    w = {
        "univ": univ,
        "ent": ent,
        "univ_admin": member_of(univ),
        "ent_admin": member_of(ent),
        "broker": BrokerFactory(),
        "central": StaffFactory(),
        "market": Market.objects.get(code="wuhan"),
        "draft": AchievementFactory(organization=univ, status="draft"),
        "published": AchievementFactory(
            organization=univ, status="published", tech_field="energy", keywords=["电机"]
        ),
        "demand": DemandFactory(status="published", organization=ent),
        "program": ProgramFactory(),
    }
    w["contract"] = ContractFactory(buyer=ent, seller=univ, broker=w["broker"])
    PaymentFactory(contract=w["contract"], amount="100000.00")
    w["token"] = token_issue(user=member_of(OrganizationFactory()))[0]
    w["device"] = pending_device(w["central"])
    w["review"] = ExpertReview.objects.create(achievement=w["published"], opened_by=w["central"])
    w["subscription"] = subscription_create(user=w["univ_admin"], library="achievements", query="")
    market_flow.enter_calendar()
    w["listing"] = market_flow.announced_listing(market_flow.cast())
    w["lot"] = market_flow.announced_lot(market_flow.cast())
    return w


WRITE = re.compile(r'^\s*(INSERT INTO|UPDATE|DELETE FROM)\s+"?(\w+)"?', re.IGNORECASE)


class Writes:
    """The tables a block of code writes, seen at the SQL level."""

    def __init__(self):
        self.tables: list[str] = []

    def __call__(self, execute, sql, params, many, context):
        match = WRITE.match(sql)
        if match:
            self.tables.append(match.group(2).lower())
        return execute(sql, params, many, context)

    @property
    def substantive(self) -> set[str]:
        return set(self.tables) - BOOKKEEPING


def watch(act):
    writes = Writes()
    with connection.execute_wrapper(writes):
        act()
    return writes


def test_every_service_function_is_walked():
    found = set(service_functions())
    walked = set(READS) | set(DERIVED) | set(WRITERS)
    assert sorted(found - walked) == [], "give these functions a scenario"
    assert sorted(walked - found) == [], "these are no longer service functions"
    assert not set(READS) & set(WRITERS) and not set(DERIVED) & set(WRITERS)


@pytest.mark.parametrize("name", sorted(WRITERS))
def test_a_writing_service_audits_in_the_same_call(name, world):
    act = WRITERS[name](world)
    writes = watch(act)
    assert writes.substantive, f"{name}: the scenario wrote nothing; it proves nothing"
    assert "portal_auditentry" in writes.tables, (
        f"{name} wrote {sorted(writes.substantive)} without an audit entry"
    )


@pytest.mark.parametrize("name", sorted(READS))
def test_a_reading_service_writes_nothing(name, world):
    fn = service_functions()[name]
    kwargs = READS[name](world)
    writes = watch(lambda: fn(**kwargs))
    assert not writes.substantive, f"{name} wrote {sorted(writes.substantive)}"


# --- events and investment (issue 19) ------------------------------------------------------


@writer("events.services.event_create")
def _(w):
    from events import services
    from tests.events import flow

    _agency, person = flow.organizer()
    return lambda: services.event_create(by=person, data=flow.data())


@writer("events.services.event_update")
def _(w):
    from events import services
    from tests.events import flow

    event, person = flow.event()
    return lambda: services.event_update(event=event, by=person, data={"title": "新标题"})


@writer("events.services.event_act")
def _(w):
    from events import services
    from tests.events import flow

    event, person = flow.event()
    return lambda: services.event_act(event=event, by=person, action="open_registration")


@writer("events.services.event_register")
def _(w):
    from events import services
    from tests.events import flow

    event, _person = flow.event("registration_open")
    return lambda: services.event_register(
        event=event, by=w["ent_admin"], role="enterprise", organization=w["ent"]
    )


def _registration(w):
    from events import services
    from tests.events import flow

    event, person = flow.event("registration_open")
    registration = services.event_register(
        event=event, by=w["ent_admin"], role="enterprise", organization=w["ent"]
    )
    return event, person, registration


@writer("events.services.registration_check_in")
def _(w):
    from events import services

    _event, person, registration = _registration(w)
    return lambda: services.registration_check_in(registration=registration, by=person)


@writer("events.services.check_in_code")
def _(w):
    from events import services

    event, person, registration = _registration(w)
    return lambda: services.check_in_code(event=event, by=person, code=registration.code)


@writer("events.services.item_add")
def _(w):
    from events import services
    from tests.events import flow

    event, person = flow.event("ongoing")
    return lambda: services.item_add(event=event, by=person, subject=w["published"])


@writer("events.services.intent_record")
def _(w):
    from events import services

    event, person, _registration_row = _registration(w)
    event = services.event_act(event=event, by=person, action="start")
    item = services.item_add(event=event, by=person, subject=w["published"])
    return lambda: services.intent_record(item=item, by=w["ent_admin"], kind="license")


@writer("events.services.outcome_record")
def _(w):
    from events import services

    event, person, _registration_row = _registration(w)
    event = services.event_act(event=event, by=person, action="start")
    return lambda: services.outcome_record(event=event, by=person, contract=w["contract"])


@writer("events.services.events_archive_due")
def _(w):
    from events import services
    from events.models import MatchingEvent
    from tests.events import flow

    event, _person = flow.event("outcomes_reporting")
    past = datetime.datetime(2020, 1, 1, tzinfo=datetime.UTC)
    MatchingEvent.objects.filter(pk=event.pk).update(
        starts_at=past, ends_at=past + datetime.timedelta(hours=2)
    )
    return lambda: services.events_archive_due()


@writer("events.services.project_create")
def _(w):
    from events import services

    return lambda: services.project_create(
        by=w["ent_admin"], data={"title": "融资项目", "summary": "扩产", "amount_sought": "100"}
    )


@writer("events.services.project_close")
def _(w):
    from events import services
    from tests.events import flow

    project = flow.project(owner=w["ent_admin"])
    return lambda: services.project_close(project=project, by=w["ent_admin"])


@writer("events.services.deal_start")
def _(w):
    from events import services
    from tests.events import flow

    project = flow.project()
    _org, investor = flow.investor()
    return lambda: services.deal_start(
        project=project, by=investor, instrument="equity", amount="1000"
    )


@writer("events.services.deal_advance")
def _(w):
    from events import services
    from tests.events import flow

    project = flow.project()
    _org, investor = flow.investor()
    deal = services.deal_start(project=project, by=investor, instrument="equity", amount="1000")
    return lambda: services.deal_advance(deal=deal, by=investor, action="sign_nda")


# --- open challenges (issue 19) ------------------------------------------------------------


def _challenge(status="draft"):
    from tests.challenges import flow

    return flow.challenge(status)


@writer("challenges.services.challenge_create")
def _(w):
    from challenges import services
    from tests.challenges import flow

    _org, person = flow.issuer()
    return lambda: services.challenge_create(by=person, data=flow.data())


@writer("challenges.services.challenge_update")
def _(w):
    from challenges import services

    challenge, person, _staff = _challenge()
    return lambda: services.challenge_update(challenge=challenge, by=person, data={"title": "新"})


@writer("challenges.services.challenge_submit")
def _(w):
    from challenges import services

    challenge, person, _staff = _challenge()
    return lambda: services.challenge_submit(challenge=challenge, by=person)


@writer("challenges.services.challenge_review")
def _(w):
    from challenges import services

    challenge, _person, staff = _challenge("need_review")
    return lambda: services.challenge_review(challenge=challenge, by=staff, decision="approve")


@writer("challenges.services.nda_accept")
def _(w):
    from challenges import services

    challenge, _person, _staff = _challenge("published")
    return lambda: services.nda_accept(challenge=challenge, by=w["univ_admin"])


@writer("challenges.services.application_submit")
def _(w):
    from challenges import services

    challenge, _person, _staff = _challenge("published")
    return lambda: services.application_submit(
        challenge=challenge, by=w["univ_admin"], data={"plan": "方案", "team_leader": "李"}
    )


@writer("challenges.services.application_withdraw")
def _(w):
    from challenges import services
    from tests.challenges import flow

    challenge, _person, _staff = _challenge("published")
    application, person = flow.applicant(challenge)
    return lambda: services.application_withdraw(application=application, by=person)


@writer("challenges.services.application_check")
def _(w):
    from challenges import services
    from tests.challenges import flow

    challenge, _person, staff = _challenge("published")
    application, _applicant = flow.applicant(challenge)
    return lambda: services.application_check(application=application, by=staff, eligible=True)


@writer("challenges.services.challenge_act")
def _(w):
    from challenges import services

    challenge, _person, staff = _challenge("published")
    return lambda: services.challenge_act(
        challenge=challenge, by=staff, action="close_applications"
    )


@writer("challenges.services.reviewer_add")
def _(w):
    from challenges import services
    from tests.challenges import flow

    challenge, _person, staff = _challenge("published")
    return lambda: services.reviewer_add(challenge=challenge, by=staff, expert=flow.expert())


@writer("challenges.services.review_submit")
def _(w):
    from challenges import services
    from tests.challenges import flow

    challenge, applications, _person, staff = flow.evaluating_with_reviews(n_reviews=0)
    seat = services.reviewer_add(challenge=challenge, by=staff, expert=flow.expert())
    return lambda: services.review_submit(
        application=applications[0], by=seat.expert.user, scores=dict.fromkeys(flow.CRITERIA, 80)
    )


@writer("challenges.services.challenge_select")
def _(w):
    from challenges import services
    from tests.challenges import flow

    challenge, applications, _person, staff = flow.evaluating_with_reviews(n_reviews=5)
    return lambda: services.challenge_select(
        challenge=challenge, by=staff, application=applications[0]
    )


@writer("challenges.services.challenge_award")
def _(w):
    from challenges import services
    from publicity.models import Publicity
    from tests.challenges import flow

    challenge, applications, _person, staff = flow.evaluating_with_reviews(n_reviews=5)
    services.challenge_select(challenge=challenge, by=staff, application=applications[0])
    Publicity.objects.update(ends_on=datetime.date(2020, 1, 1), starts_on=datetime.date(2020, 1, 1))
    return lambda: services.challenge_award(challenge=challenge, by=staff)


def _first_milestone() -> dict:
    from tests.challenges import flow

    challenge, *_ = flow.signed()
    return {"milestone": challenge.milestone_payments.first(), "challenge": challenge}


def _midterm_report():
    from challenges import services
    from tests.challenges import flow

    challenge, _person, taker, staff = flow.signed()
    report = services.report_submit(
        challenge=challenge, by=taker, kind="midterm", summary="进展", evidence=[]
    )
    return report, staff


@writer("challenges.services.agreement_draft")
def _(w):
    from challenges import services
    from tests.challenges import flow

    challenge, person, _taker, _staff = flow.awarded()
    return lambda: services.agreement_draft(challenge=challenge, by=person)


@writer("challenges.services.agreement_registered")
def _(w):
    from challenges import services
    from contracts.models import Contract
    from tests.challenges import flow

    challenge, person, _taker, staff = flow.awarded()
    contract = services.agreement_draft(challenge=challenge, by=person)
    Contract.objects.filter(pk=contract.pk).update(
        status=Contract.Status.REGISTERED, registration_number="4201002026000999"
    )
    contract.refresh_from_db()
    return lambda: services.agreement_registered(contract=contract, by=staff)


@writer("challenges.services.challenge_start")
def _(w):
    from challenges import services
    from tests.challenges import flow

    challenge, _person, taker, _staff = flow.signed(start=False)
    return lambda: services.challenge_start(challenge=challenge, by=taker)


@writer("challenges.services.report_submit")
def _(w):
    from challenges import services
    from tests.challenges import flow

    challenge, _person, taker, _staff = flow.signed()
    return lambda: services.report_submit(
        challenge=challenge, by=taker, kind="midterm", summary="进展", evidence=[]
    )


@writer("challenges.services.report_decide")
def _(w):
    from challenges import services

    report, staff = _midterm_report()
    return lambda: services.report_decide(report=report, by=staff, result="pass")


@writer("challenges.services.milestone_record")
def _(w):
    from challenges import services
    from contracts import services as contracts

    found = _first_milestone()
    challenge = found["challenge"]
    person = next(iter(people_of(challenge.issuer)))
    staff = StaffFactory()
    payment = contracts.payment_add(
        contract=challenge.contract,
        by=person,
        amount=found["milestone"].amount,
        paid_on=timezone.localdate(),
        evidence=upload("回单.pdf", PDF),
    )
    payment = contracts.payment_verify(payment=payment, by=staff)
    return lambda: services.milestone_record(
        milestone=found["milestone"], by=person, payment=payment
    )


@writer("challenges.services.challenge_terminate")
def _(w):
    from challenges import services
    from tests.challenges import flow

    challenge, _person, _taker, staff = flow.signed()
    return lambda: services.challenge_terminate(challenge=challenge, by=staff, reason="放弃")


@writer("challenges.services.challenge_republish")
def _(w):
    from challenges import services

    challenge, person, staff = _challenge("published")
    services.challenge_act(challenge=challenge, by=staff, action="close_applications")
    services.challenge_act(challenge=challenge, by=staff, action="leave_unawarded")
    return lambda: services.challenge_republish(challenge=challenge, by=person)


@writer("challenges.services.challenges_sweep")
def _(w):
    from challenges import services
    from challenges.models import Challenge

    challenge, _person, _staff = _challenge("published")
    Challenge.objects.filter(pk=challenge.pk).update(
        application_opens_on=datetime.date(2020, 1, 1),
        application_closes_on=datetime.date(2020, 2, 1),
    )
    return lambda: services.challenges_sweep()


# --- the broker registry (issue 20) --------------------------------------------------------


def _broker():
    from tests.brokers import flow

    return flow.applicant()


def _enrolled():
    from brokers import services
    from tests.brokers import flow

    base, officer = flow.base()
    course = flow.course(base, officer)
    broker = flow.applicant()
    return services.enrol(course=course, broker=broker, by=broker.user), officer


def _examined():
    from brokers import services

    enrollment, officer = _enrolled()
    services.attendance_record(
        enrollment=enrollment, by=officer, hours=enrollment.course.total_hours
    )
    exam = services.exam_record(
        course=enrollment.course,
        broker=enrollment.broker,
        by=officer,
        exam_on=timezone.localdate(),
        score=80,
    )
    return exam, officer


@writer("brokers.imports.results_import")
def _(w):
    from brokers import imports
    from tests.brokers.flow import enrolled, workbook

    enrollment, officer = _enrolled()
    (_broker, id_number), *_rest = enrolled(enrollment.course, 1)
    upload = workbook([[id_number, "学员", 10, "", ""]])
    return lambda: imports.results_import(course=enrollment.course, by=officer, upload=upload)


@writer("brokers.services.broker_apply")
def _(w):
    from brokers import services

    user = UserFactory()
    return lambda: services.broker_apply(by=user, real_name="李明", id_number="42010219900101123X")


@writer("brokers.services.course_create")
def _(w):
    from tests.brokers import flow

    base, officer = flow.base()
    return lambda: flow.course(base, officer)


@writer("brokers.services.enrol")
def _(w):
    from brokers import services
    from tests.brokers import flow

    base, officer = flow.base()
    course, broker = flow.course(base, officer), flow.applicant()
    return lambda: services.enrol(course=course, broker=broker, by=broker.user)


@writer("brokers.services.attendance_record")
def _(w):
    from brokers import services

    enrollment, officer = _enrolled()
    return lambda: services.attendance_record(enrollment=enrollment, by=officer, hours=10)


@writer("brokers.services.exam_record")
def _(w):
    from brokers import services

    enrollment, officer = _enrolled()
    services.attendance_record(
        enrollment=enrollment, by=officer, hours=enrollment.course.total_hours
    )
    return lambda: services.exam_record(
        course=enrollment.course,
        broker=enrollment.broker,
        by=officer,
        exam_on=timezone.localdate(),
        score=80,
    )


@writer("brokers.services.certificate_issue")
def _(w):
    from brokers import services

    exam, officer = _examined()
    return lambda: services.certificate_issue(exam=exam, by=officer)


@writer("brokers.services.certificate_file")
def _(w):
    from brokers import services
    from tests.brokers import flow

    certificate = flow.certified("intermediate").certificates.get(level="intermediate")
    return lambda: services.certificate_file(
        certificate=certificate, by=w["central"], filing_number="GJ-9"
    )


@writer("brokers.services.broker_register")
def _(w):
    from brokers import services
    from tests.brokers import flow

    broker = flow.certified()
    return lambda: services.broker_register(broker=broker, by=w["central"])


@writer("brokers.services.affiliation_declare")
def _(w):
    from brokers import services
    from tests.brokers import flow

    broker = flow.certified()
    services.broker_register(broker=broker, by=w["central"])
    agency = OrganizationFactory(kind="agency")
    return lambda: services.affiliation_declare(
        broker=broker,
        agency=agency,
        by=member_of(agency),
        kind="full_time",
        starts_on=timezone.localdate(),
    )


@writer("brokers.services.affiliation_end")
def _(w):
    from brokers import services
    from tests.brokers import flow

    broker, _agency, boss = flow.practising()
    affiliation = broker.affiliations.get()
    return lambda: services.affiliation_end(
        affiliation=affiliation, by=boss, ends_on=timezone.localdate()
    )


@writer("brokers.services.credit_add")
def _(w):
    from brokers import services
    from contracts.models import Contract
    from tests.brokers import flow

    broker, _agency, boss = flow.practising()
    contract = ContractFactory(broker=broker.user, signed_on=timezone.localdate())
    Contract.objects.filter(pk=contract.pk).update(
        status=Contract.Status.REGISTERED, registered_at=timezone.now()
    )
    return lambda: services.credit_add(
        contract=contract, broker=broker, by=boss, role="lead", share=100
    )


@writer("brokers.services.assessments_run")
def _(w):
    from brokers import services
    from tests.brokers import flow

    flow.practising()
    return lambda: services.assessments_run(year=timezone.localdate().year - 1)


@writer("brokers.services.broker_act")
def _(w):
    from brokers import services
    from tests.brokers import flow

    broker, _agency, _boss = flow.practising()
    return lambda: services.broker_act(
        broker=broker, by=w["central"], action="suspend", reason="投诉调查中"
    )


@writer("brokers.services.certificates_expire")
def _(w):
    from brokers import services
    from brokers.models import Certificate
    from tests.brokers import flow

    broker, _agency, _boss = flow.practising()
    Certificate.objects.filter(broker=broker).update(valid_until=datetime.date(2020, 1, 1))
    return lambda: services.certificates_expire()


# --- conversion projects (issue 20) ---------------------------------------------------------


def _conversion(status="draft"):
    from tests.conversions import flow

    return flow.project(status)


@writer("conversions.services.project_create")
def _(w):
    from conversions import services
    from tests.conversions import flow

    _org, person = flow.applicant()
    return lambda: services.project_create(by=person, data=flow.data())


@writer("conversions.services.project_submit")
def _(w):
    from conversions import services

    project, person, _staff = _conversion()
    return lambda: services.project_submit(project=project, by=person)


@writer("conversions.services.formal_check")
def _(w):
    from conversions import services

    project, _person, staff = _conversion("formal_review")
    return lambda: services.formal_check(project=project, by=staff, passed=True)


@writer("conversions.services.expert_review")
def _(w):
    from conversions import services

    project, _person, staff = _conversion("expert_review")
    return lambda: services.expert_review(project=project, by=staff, passed=True, opinion="好")


@writer("conversions.services.project_recognize")
def _(w):
    from conversions import services
    from publicity.models import Publicity

    project, _person, staff = _conversion("publicity")
    Publicity.objects.update(starts_on=datetime.date(2020, 1, 1), ends_on=datetime.date(2020, 1, 2))
    return lambda: services.project_recognize(project=project, by=staff)


@writer("conversions.services.sales_report")
def _(w):
    from conversions import services

    project, person, _staff = _conversion("recognized")
    return lambda: services.sales_report(project=project, by=person, year=2025, revenue="100")


@writer("conversions.services.project_remove")
def _(w):
    from conversions import services

    project, _person, staff = _conversion("recognized")
    return lambda: services.project_remove(project=project, by=staff, reason="材料不实")


@writer("conversions.services.projects_expire")
def _(w):
    from conversions import services
    from conversions.models import ConversionProject

    project, _person, _staff = _conversion("recognized")
    ConversionProject.objects.filter(pk=project.pk).update(
        recognized_on=datetime.date(2020, 1, 1), valid_until=datetime.date(2021, 1, 1)
    )
    return lambda: services.projects_expire()


# --- transfer agencies (issue 20) -----------------------------------------------------------


def _agency(registered: bool = True):
    from agencies import services

    org = OrganizationFactory(kind="agency")
    person = member_of(org)
    agency = services.agency_file(
        by=person,
        data={
            "kind": "independent",
            "founded_on": datetime.date(2018, 1, 1),
            "premises": "武汉",
            "fulltime_staff": 3,
        },
    )
    agency.member = person
    if registered:
        services.agency_register(agency=agency, by=StaffFactory())
        agency.refresh_from_db()
        agency.member = person
    return agency


_SCORES = {"basic": 90, "performance": 90, "capability": 90, "management": 90, "reputation": 90}


def _round(year=2025):
    from agencies import services

    return services.round_open(by=StaffFactory(), year=year, evaluator="评估公司")


@writer("agencies.services.agency_file")
def _(w):
    from agencies import services

    person = member_of(OrganizationFactory(kind="agency"))
    return lambda: services.agency_file(
        by=person,
        data={
            "kind": "independent",
            "founded_on": datetime.date(2018, 1, 1),
            "premises": "武汉",
            "fulltime_staff": 3,
        },
    )


@writer("agencies.services.agency_register")
def _(w):
    from agencies import services

    agency = _agency(registered=False)
    return lambda: services.agency_register(agency=agency, by=w["central"])


@writer("agencies.services.report_submit")
def _(w):
    from agencies import services

    agency = _agency()
    data = {
        "staff_total": 5,
        "fulltime_staff": 3,
        "parttime_experts": 1,
        "enterprises_served": 2,
        "tech_income": "10",
        "total_income": "20",
    }
    return lambda: services.report_submit(agency=agency, by=agency.member, year=2025, data=data)


@writer("agencies.services.round_open")
def _(w):
    from agencies import services

    return lambda: services.round_open(by=w["central"], year=2025, evaluator="评估公司")


@writer("agencies.services.evaluate")
def _(w):
    from agencies import services

    made, agency = _round(), _agency()
    return lambda: services.evaluate(
        round=made, agency=agency, by=w["central"], data={"scores": _SCORES}
    )


@writer("agencies.services.round_publish")
def _(w):
    from agencies import services

    made = _round()
    services.evaluate(round=made, agency=_agency(), by=w["central"], data={"scores": _SCORES})
    return lambda: services.round_publish(round=made, by=w["central"])


@writer("agencies.services.round_finalize")
def _(w):
    from agencies import services
    from publicity.models import Publicity

    made = _round()
    services.evaluate(round=made, agency=_agency(), by=w["central"], data={"scores": _SCORES})
    services.round_publish(round=made, by=w["central"])
    Publicity.objects.update(starts_on=datetime.date(2020, 1, 1), ends_on=datetime.date(2020, 1, 2))
    return lambda: services.round_finalize(round=made, by=w["central"])


# --- pilot platforms (issue 20) -------------------------------------------------------------


def _platform(status="draft"):
    from tests.platforms import flow

    return flow.platform(status)


@writer("platforms.services.platform_create")
def _(w):
    from platforms import services
    from tests.platforms import flow

    _org, person = flow.host()
    return lambda: services.platform_create(by=person, data=flow.data())


@writer("platforms.services.platform_update")
def _(w):
    from platforms import services

    platform, person, _staff = _platform()
    return lambda: services.platform_update(platform=platform, by=person, data={"name": "新名称"})


@writer("platforms.services.platform_submit")
def _(w):
    from platforms import services

    platform, person, _staff = _platform()
    return lambda: services.platform_submit(platform=platform, by=person)


@writer("platforms.services.platform_recommend")
def _(w):
    from platforms import services

    platform, _person, staff = _platform("submitted")
    return lambda: services.platform_recommend(platform=platform, by=staff, recommend=True)


@writer("platforms.services.platform_review")
def _(w):
    from platforms import services

    platform, _person, staff = _platform("expert_review")
    return lambda: services.platform_review(
        platform=platform, by=staff, score=80, opinion="具备条件", passed=True
    )


@writer("platforms.services.platform_recognize")
def _(w):
    from platforms import services
    from publicity.models import Publicity

    platform, _person, staff = _platform("publicity")
    Publicity.objects.update(starts_on=datetime.date(2020, 1, 1), ends_on=datetime.date(2020, 1, 2))
    return lambda: services.platform_recognize(platform=platform, by=staff)


def _record_data():
    return {
        "client": "某企业",
        "service_type": "scale_up",
        "starts_on": datetime.date(2025, 3, 1),
        "ends_on": datetime.date(2025, 4, 1),
        "fee": "1000.00",
        "outcome": "passed",
    }


@writer("platforms.services.record_add")
def _(w):
    from platforms import services

    platform, person, _staff = _platform("recognized")
    return lambda: services.record_add(platform=platform, by=person, data=_record_data())


def _annual():
    return {"projects_verified": 1, "spinouts": 0, "financing_raised": "0", "summary": "年度"}


@writer("platforms.services.report_submit")
def _(w):
    from platforms import services

    platform, person, _staff = _platform("recognized")
    return lambda: services.report_submit(platform=platform, by=person, year=2025, data=_annual())


@writer("platforms.services.report_decide")
def _(w):
    from platforms import services

    platform, person, staff = _platform("recognized")
    report = services.report_submit(platform=platform, by=person, year=2025, data=_annual())
    return lambda: services.report_decide(report=report, by=staff, passed=True)


@writer("platforms.services.platform_revoke")
def _(w):
    from platforms import services

    platform, _person, staff = _platform("recognized")
    return lambda: services.platform_revoke(platform=platform, by=staff, reason="弄虚作假")


@writer("platforms.services.platforms_expire")
def _(w):
    from platforms import services
    from platforms.models import Platform

    platform, _person, _staff = _platform("recognized")
    Platform.objects.filter(pk=platform.pk).update(valid_until=datetime.date(2020, 1, 1))
    return lambda: services.platforms_expire()


# --- public credit (issue 20) ---------------------------------------------------------------


def _complaint():
    from credit import services

    return services.complaint_submit(
        by=member_of(OrganizationFactory()),
        organization=OrganizationFactory(kind="agency"),
        real_name="张三",
        contact="138",
        facts="未履约",
        evidence=upload("证据.pdf", PDF),
    )


@writer("credit.services.complaint_submit")
def _(w):
    from credit import services

    person, agency = member_of(OrganizationFactory()), OrganizationFactory(kind="agency")
    return lambda: services.complaint_submit(
        by=person,
        organization=agency,
        real_name="张三",
        contact="138",
        facts="未履约",
        evidence=upload("证据.pdf", PDF),
    )


@writer("credit.services.complaint_investigate")
def _(w):
    from credit import services

    complaint = _complaint()
    return lambda: services.complaint_investigate(complaint=complaint, by=w["central"])


@writer("credit.services.complaint_decide")
def _(w):
    from credit import services

    first, second = _complaint(), _complaint()
    for complaint in (first, second):
        services.complaint_investigate(complaint=complaint, by=w["central"])
    # The second on the same subject: upheld, it also black-lists.
    second.organization = first.organization
    second.save(update_fields=["organization"])
    services.complaint_decide(complaint=first, by=w["central"], upheld=True, reply="属实")
    return lambda: services.complaint_decide(
        complaint=second, by=w["central"], upheld=True, reply="属实"
    )


@writer("credit.services.record_create")
def _(w):
    from credit import services

    org = OrganizationFactory()
    return lambda: services.record_create(
        by=w["central"],
        organization=org,
        kind="red",
        source="decision",
        reason="守信",
        evidence="x",
    )


@writer("credit.services.record_lift")
def _(w):
    from credit import services

    record = services.record_create(
        by=w["central"],
        organization=OrganizationFactory(),
        kind="black",
        source="decision",
        reason="失信",
        evidence="x",
    )
    return lambda: services.record_lift(record=record, by=w["central"], reason="撤销")


@writer("challenges.services.challenge_from_demand")
def _(w):
    from challenges import services

    demand = DemandFactory(status="published", is_challenge=True, reward="100000.00")
    return lambda: services.challenge_from_demand(demand=demand)
