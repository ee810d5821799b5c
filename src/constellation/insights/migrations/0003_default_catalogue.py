from django.db import migrations


def load(apps, schema_editor):
    from constellation.insights.catalogue import load_default_catalogue

    load_default_catalogue(apps.get_model("insights", "Indicator"))


def unload(apps, schema_editor):
    from constellation.insights.catalogue import unload_default_catalogue

    unload_default_catalogue(apps.get_model("insights", "Indicator"))


class Migration(migrations.Migration):
    dependencies = [
        ("insights", "0002_indicator_decimals_answer_history"),
    ]

    operations = [migrations.RunPython(load, unload)]
