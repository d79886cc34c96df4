from django.db import migrations

# The "1+2" of the "1+2+N" market network; sub-markets are added by admins as data.
MARKETS = [
    ("wuhan", "湖北技术交易大市场", "central", "420100"),
    ("xiangyang", "襄阳区域技术交易市场", "regional", "420600"),
    ("yichang", "宜昌区域技术交易市场", "regional", "420500"),
]


def create_markets(apps, schema_editor):
    Market = apps.get_model("accounts", "Market")
    for code, name, level, area_code in MARKETS:
        Market.objects.update_or_create(
            code=code, defaults={"name": name, "level": level, "area_code": area_code}
        )


class Migration(migrations.Migration):
    dependencies = [("accounts", "0001_initial")]
    operations = [migrations.RunPython(create_markets, migrations.RunPython.noop)]
