import factory

from accounts.models import BrokerProfile, Market, Organization, User
from accounts.services import market_for_region
from accounts.validators import credit_code_check_char

PASSWORD = "Str0ng-test-passw0rd"


def credit_code(n: int) -> str:
    body = f"9142{n:013d}"
    return body + credit_code_check_char(body)


class OrganizationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Organization

    name = factory.Sequence(lambda n: f"测试机构{n}")
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
