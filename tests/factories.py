import datetime

import factory

from accounts.models import BrokerProfile, Market, Organization, User
from accounts.services import market_for_region
from accounts.validators import credit_code_check_char, name_skeleton

PASSWORD = "Str0ng-test-passw0rd"


def credit_code(n: int) -> str:
    body = f"9142{n:013d}"
    return body + credit_code_check_char(body)


class OrganizationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Organization

    name = factory.Sequence(lambda n: f"测试机构{n}")
    name_key = factory.LazyAttribute(lambda o: name_skeleton(o.name))
    kind = Organization.Kind.ENTERPRISE
    credit_code = factory.Sequence(lambda n: credit_code(n + 1000))
    region_code = "420111"
    verified = True
    market = factory.LazyAttribute(lambda o: market_for_region(o.region_code))


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = User
        skip_postgeneration_save = True

    username = factory.Sequence(lambda n: f"user{n}")
    email = factory.LazyAttribute(lambda u: f"{u.username}@example.cn")
    organization = factory.SubFactory(OrganizationFactory)
    password = factory.PostGenerationMethodCall("set_password", PASSWORD)

    @factory.post_generation
    def _save(obj, create, extracted, **kwargs):
        if create:
            obj.save()

    @factory.post_generation
    def role(obj, create, extracted, **kwargs):
        """An account with an organisation is its active member: an administrator
        unless `role="member"` or `role="reader"` says otherwise."""
        if create and obj.organization_id:
            from accounts.models import Membership

            Membership.objects.create(
                user=obj,
                organization_id=obj.organization_id,
                status=Membership.Status.ACTIVE,
                role=extracted or Membership.Role.ADMINISTRATOR,
            )


class StaffFactory(UserFactory):
    organization = None
    staff_market = factory.LazyFunction(lambda: Market.objects.get(code="wuhan"))


class BrokerFactory(UserFactory):
    organization = factory.SubFactory(OrganizationFactory, kind=Organization.Kind.AGENCY)
    broker_profile = factory.RelatedFactory(
        "tests.factories.BrokerProfileFactory", factory_related_name="user"
    )


class BrokerProfileFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = BrokerProfile

    level = BrokerProfile.Level.INTERMEDIATE
    certificate_number = factory.Sequence(lambda n: f"HB-JJR-T{n:05d}")


class AchievementFactory(factory.django.DjangoModelFactory):
    """A draft; `published=True` (or status=...) for others. Indexed for search."""

    class Meta:
        model = "achievements.Achievement"
        skip_postgeneration_save = True

    title = factory.Sequence(lambda n: f"高效节能电机控制技术{n}")
    summary = "一种面向工业电机的高效节能控制技术。"
    description = "采用矢量控制与自适应算法，节能率达到15%以上。"
    organization = factory.SubFactory(OrganizationFactory, kind="university")
    tech_field = "energy"
    industries = factory.LazyFunction(lambda: ["smart_mfg"])
    keywords = factory.LazyFunction(lambda: ["电机", "节能"])
    trl = 6
    transfer_modes = factory.LazyFunction(lambda: ["transfer"])
    pricing_mode = "negotiated"
    status = "draft"

    @factory.post_generation
    def index(obj, create, extracted, **kwargs):
        if create:
            from portal.library.services import item_reindex

            item_reindex(obj)


class DemandFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = "demands.Demand"
        skip_postgeneration_save = True

    title = factory.Sequence(lambda n: f"工业废水深度处理需求{n}")
    description = "我公司需要一种低成本的工业废水深度处理技术，出水达到一级A标准。"
    organization = factory.SubFactory(OrganizationFactory, kind="enterprise")
    tech_field = "environment"
    industries = factory.LazyFunction(lambda: ["green_chem"])
    keywords = factory.LazyFunction(lambda: ["废水", "深度处理"])
    budget_min = 100000
    budget_max = 500000
    deadline = factory.LazyFunction(lambda: datetime.date.today() + datetime.timedelta(days=60))
    cooperation_modes = factory.LazyFunction(lambda: ["purchase"])
    status = "draft"

    @factory.post_generation
    def index(obj, create, extracted, **kwargs):
        if create:
            from portal.library.services import item_reindex

            item_reindex(obj)


def _now():
    from django.utils import timezone

    return timezone.now()


def api_token(user) -> str:
    """A fresh API token's key for the account (as POST /api/v1/auth/token/ gives)."""
    from accounts.tokens import token_issue

    return token_issue(user=user)[1]


def member_of(org, **kwargs):
    return UserFactory(organization=org, **kwargs)


def _pdf(name="contract.pdf"):
    from django.core.files.base import ContentFile

    from tests.files import PDF

    return ContentFile(PDF, name=name)


class ContractFactory(factory.django.DjangoModelFactory):
    """A registered transfer contract by default (status="draft" etc. for others)."""

    class Meta:
        model = "contracts.Contract"

    title = factory.Sequence(lambda n: f"石墨烯散热膜技术转让合同{n}")
    contract_type = "transfer"
    buyer = factory.SubFactory(OrganizationFactory, kind="enterprise")
    seller = factory.SubFactory(OrganizationFactory, kind="university")
    signed_on = datetime.date(2025, 3, 1)
    valid_from = datetime.date(2025, 3, 1)
    valid_to = datetime.date(2027, 3, 1)
    amount = "1200000.00"
    tech_transaction_amount = "1000000.00"
    payment_method = "instalments"
    tech_field = "materials"
    status = "registered"
    market = factory.LazyAttribute(lambda c: c.seller.market)
    document = factory.LazyFunction(_pdf)
    registration_number = factory.Sequence(lambda n: f"4201002025{n:06d}")
    # Both parties agreed to it (confirmed=False for a contract nobody confirmed yet).
    buyer_confirmed_at = factory.LazyFunction(_now)
    seller_confirmed_at = factory.LazyFunction(_now)

    class Params:
        unconfirmed = factory.Trait(buyer_confirmed_at=None, seller_confirmed_at=None)


class PaymentFactory(factory.django.DjangoModelFactory):
    """A verified payment by default."""

    class Meta:
        model = "contracts.Payment"

    contract = factory.SubFactory(ContractFactory)
    amount = "100000.00"
    paid_on = datetime.date(2025, 6, 1)
    evidence = factory.LazyFunction(lambda: _pdf("receipt.pdf"))
    status = "verified"
    buyer_confirmed_at = factory.LazyFunction(_now)


class ProgramFactory(factory.django.DjangoModelFactory):
    """The 2025 programme, open for applications around today."""

    class Meta:
        model = "contracts.SubsidyProgram"

    name = "2025年度技术合同成交补助"
    year = 2025
    payment_from = datetime.date(2025, 1, 1)
    payment_to = datetime.date(2025, 12, 31)
    opens_on = factory.LazyFunction(lambda: datetime.date.today() - datetime.timedelta(days=30))
    closes_on = factory.LazyFunction(lambda: datetime.date.today() + datetime.timedelta(days=30))


def city_reviewed_applications(n: int, paid_each: str):
    """n subsidy applications of one enterprise, each claiming one payment of
    `paid_each` yuan, submitted and city-reviewed: waiting for the central approval."""
    from contracts import services

    buyer = OrganizationFactory(kind="enterprise", region_code="420111")
    member = member_of(buyer)
    program = ProgramFactory()
    contract = ContractFactory(
        buyer=buyer, amount="100000000.00", tech_transaction_amount="100000000.00"
    )
    city = StaffFactory()
    applications = []
    for _ in range(n):
        PaymentFactory(contract=contract, amount=paid_each)
        application = services.subsidy_apply(by=member, program=program)
        services.subsidy_submit(application=application, by=member)
        services.subsidy_city_review(application=application, by=city)
        applications.append(application)
    return program, buyer, applications
