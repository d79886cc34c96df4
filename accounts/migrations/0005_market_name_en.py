from django.db import migrations, models

NAMES_EN = {
    "wuhan": "Hubei Technology Exchange (central market)",
    "xiangyang": "Xiangyang Regional Technology Market",
    "yichang": "Yichang Regional Technology Market",
}


def name_markets(apps, schema_editor):
    Market = apps.get_model("accounts", "Market")
    for code, name_en in NAMES_EN.items():
        Market.objects.filter(code=code, name_en="").update(name_en=name_en)


class Migration(migrations.Migration):
    dependencies = [("accounts", "0004_organization_name_key_alter_organization_name")]

    operations = [
        migrations.AddField(
            model_name="market",
            name="name_en",
            field=models.CharField(blank=True, max_length=100, verbose_name="name in English"),
        ),
        migrations.RunPython(name_markets, migrations.RunPython.noop),
    ]
