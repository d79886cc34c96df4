"""Every existing broker account enters the registry without loss: its record
(practising), its certificate under the number it had, and a full-time
affiliation with its agency. The ID number was never asked before: staff add
it (the record has no hash until then). A certificate older than its three
years stays valid one more year from the migration, for its renewal."""

import datetime

from django.db import migrations


def carry_over(apps, schema_editor):
    BrokerProfile = apps.get_model("accounts", "BrokerProfile")
    Broker = apps.get_model("brokers", "Broker")
    Certificate = apps.get_model("brokers", "Certificate")
    Affiliation = apps.get_model("brokers", "Affiliation")
    for profile in BrokerProfile.objects.select_related("user", "user__organization"):
        user = profile.user
        if Broker.objects.filter(user=user).exists():
            continue
        name = f"{user.last_name}{user.first_name}".strip() or user.username
        broker = Broker.objects.create(user=user, real_name=name, level=profile.level, status="active")
        issued = profile.created_at.date()
        try:
            until = issued.replace(year=issued.year + 3)
        except ValueError:
            until = issued.replace(year=issued.year + 3, day=28)
        Certificate.objects.create(
            broker=broker,
            level=profile.level,
            number=profile.certificate_number,
            issued_on=issued,
            valid_until=max(until, datetime.date.today() + datetime.timedelta(days=365)),
        )
        organization = user.organization
        if organization is not None and organization.kind == "agency":
            Affiliation.objects.create(
                broker=broker,
                agency=organization,
                kind="full_time",
                starts_on=issued,
                created_by=user,
            )


class Migration(migrations.Migration):
    dependencies = [("brokers", "0001_initial"), ("accounts", "0006_alter_organization_kind")]

    operations = [migrations.RunPython(carry_over, migrations.RunPython.noop)]
