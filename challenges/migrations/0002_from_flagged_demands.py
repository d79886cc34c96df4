"""Every demand flagged `is_challenge` becomes a challenge linked to it
(issue 19, point 1), losing nothing: the demand stays as it was; the
challenge carries its title, description, field, reward and dates, is open
for applications when the demand is published (with a JB code) and a draft
otherwise, and takes the default milestones and score card, which its issuer
reviews. Reversing removes only the challenges this made."""

import datetime

from django.db import migrations

MILESTONES = [
    {"percent": 30, "trigger": "signing"},
    {"percent": 40, "trigger": "midterm"},
    {"percent": 30, "trigger": "acceptance"},
]
CRITERIA = ["技术方案", "团队能力", "实施计划"]


def forwards(apps, schema_editor):
    Demand = apps.get_model("demands", "Demand")
    Challenge = apps.get_model("challenges", "Challenge")
    Sequence = apps.get_model("market", "Sequence")
    for demand in Demand.objects.filter(is_challenge=True, challenge__isnull=True).order_by("pk"):
        published = demand.status == "published"
        opens = (demand.published_at or demand.created_at).date()
        closes = max(demand.deadline, opens + datetime.timedelta(days=20))
        code = None
        if published:
            sequence, _created = Sequence.objects.get_or_create(name="challenge", year=opens.year)
            sequence.last += 1
            sequence.save(update_fields=["last"])
            code = f"JB-{opens.year}-{sequence.last:05d}"
        Challenge.objects.create(
            code=code,
            issuer_id=demand.organization_id,
            demand=demand,
            title=demand.title,
            public_summary=demand.description,
            tech_field=demand.tech_field,
            indicators=[{"name": demand.title, "target": "见需求描述", "method": "验收测试"}],
            ip_terms="shared",
            reward_total=demand.reward or demand.budget_max or demand.budget_min or 1,
            milestones=MILESTONES,
            application_opens_on=opens,
            application_closes_on=closes,
            implementation_months=12,
            evaluation_method="expert_review",
            criteria=CRITERIA,
            status="published" if published else "draft",
            published_at=demand.published_at if published else None,
            created_by_id=demand.created_by_id,
        )


def backwards(apps, schema_editor):
    apps.get_model("challenges", "Challenge").objects.filter(demand__isnull=False).delete()


class Migration(migrations.Migration):
    dependencies = [
        ("challenges", "0001_initial"),
        ("market", "0001_initial"),
    ]

    operations = [migrations.RunPython(forwards, backwards)]
