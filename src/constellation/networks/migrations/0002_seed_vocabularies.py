from django.db import migrations


def seed(apps, schema_editor):
    from constellation.networks.vocabularies import seed_vocabularies

    seed_vocabularies(
        apps.get_model("networks", "Kind"), apps.get_model("networks", "Topic"),
        apps.get_model("networks", "AccessibilityFeature"),
    )


def unseed(apps, schema_editor):
    for model in ("Kind", "Topic", "AccessibilityFeature"):
        apps.get_model("networks", model).objects.all().delete()


class Migration(migrations.Migration):
    dependencies = [("networks", "0001_networks_people_memberships")]
    operations = [migrations.RunPython(seed, unseed)]
