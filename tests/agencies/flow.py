"""Filed transfer agencies, for the agencies tests, the monitoring test and the audit walk."""

import datetime

from django.utils import timezone

from agencies import services
from tests.factories import OrganizationFactory, StaffFactory, member_of


def filed(founded_years: int = 5, name: str = "某技术转移中心"):
    org = OrganizationFactory(kind="agency", name=name, region_code="420111")
    person = member_of(org)
    agency = services.agency_file(
        by=person,
        data={
            "kind": "independent",
            "founded_on": timezone.localdate() - datetime.timedelta(days=365 * founded_years),
            "premises": "武汉市洪山区",
            "fulltime_staff": 12,
        },
    )
    return services.agency_register(agency=agency, by=StaffFactory()), person
