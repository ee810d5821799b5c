from django.db import migrations


def seed(apps, schema_editor):
    from constellation.networks.vocabularies import ACCESSIBILITY, KINDS, TOPICS

    Kind = apps.get_model("networks", "Kind")
    Topic = apps.get_model("networks", "Topic")
    Feature = apps.get_model("networks", "AccessibilityFeature")
    for position, (slug, name) in enumerate(KINDS, start=1):
        Kind.objects.update_or_create(slug=slug, defaults={"name": name, "position": position})
    sdg = 0
    for position, (slug, name, is_sdg) in enumerate(TOPICS, start=1):
        sdg += 1 if is_sdg else 0
        Topic.objects.update_or_create(
            slug=slug, defaults={"name": name, "is_sdg": is_sdg, "position": sdg if is_sdg else position}
        )
    for position, (slug, name) in enumerate(ACCESSIBILITY, start=1):
        Feature.objects.update_or_create(slug=slug, defaults={"name": name, "position": position})


def unseed(apps, schema_editor):
    for model in ("Kind", "Topic", "AccessibilityFeature"):
        apps.get_model("networks", model).objects.all().delete()


class Migration(migrations.Migration):
    dependencies = [("networks", "0001_networks_people_memberships")]
    operations = [migrations.RunPython(seed, unseed)]
