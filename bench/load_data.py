"""Fill an empty, migrated database with a large synthetic directory, fast.

    uv run python bench/load_data.py --organisations 10000 --people 50000
    uv run python bench/load_data.py --small        # 300 organisations, 1,500 people

Reads DATABASE_URL and DATA_DIR like the app. Rows go in with bulk_create (1,000 a batch)
inside one transaction, so a 10,000-organisation directory loads in seconds. bulk_create
skips Model.save(), so search_text is computed here with the model's own helpers, and no
audit history is written (a real directory's history would not change the directory's
read queries). The same seed always gives the same data.
"""

from __future__ import annotations

import argparse
import os
import random
import sys
import time
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

import synthetic  # noqa: E402

BATCH = 1000
# Dates are counted back from a fixed day, not from today, so every run loads the same rows.
REFERENCE_DAY = date(2025, 1, 1)
SMALL = {"organisations": 300, "people": 1500}


def parse_args(argv: list[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--organisations", type=int, default=10_000)
    parser.add_argument("--people", type=int, default=50_000)
    parser.add_argument("--small", action="store_true", help="300 organisations and 1,500 people")
    parser.add_argument("--seed", type=int, default=2026)
    args = parser.parse_args(argv)
    if args.small:
        args.organisations, args.people = SMALL["organisations"], SMALL["people"]
    return args


def setup_django() -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "constellation.settings")
    import django

    django.setup()


class Clock:
    def __init__(self) -> None:
        self.start = self.last = time.perf_counter()

    def lap(self, label: str) -> None:
        now = time.perf_counter()
        print(f"  {label:<34} {now - self.last:6.2f} s", flush=True)
        self.last = now


def load(organisations: int, people: int, seed: int) -> dict[str, int]:
    from django.db import connection, transaction

    from constellation.networks.models import Organisation

    if Organisation.objects.exists():
        raise SystemExit("The database already has organisations: load into a freshly migrated database.")
    rng = random.Random(seed)
    clock = Clock()
    with transaction.atomic():
        networks, categories = _networks()
        clock.lap("networks")
        org_ids, counts = _organisations(rng, organisations, networks, categories, clock)
        counts["people"], counts["affiliations"] = _people(rng, people, org_ids, clock)
    if connection.vendor == "postgresql":
        # Autovacuum would analyse the new tables within a minute; do it now so the first
        # measurements see the plans a running site would get.
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE")
        clock.lap("ANALYZE")
    print(f"  {'total':<34} {time.perf_counter() - clock.start:6.2f} s")
    return counts


def _networks():
    from django.utils.text import slugify

    from constellation.networks.models import MembershipCategory, Network

    networks, categories = {}, {}
    for acronym, name, region, website in synthetic.NETWORKS:
        network, _created = Network.objects.get_or_create(
            acronym=acronym,
            defaults={
                "name": name, "slug": slugify(acronym), "region": region, "website": website,
                "descriptions": {"en": f"{name}: the network of science engagement in {region}."},
            },
        )
        networks[acronym] = network
        categories[acronym] = [
            MembershipCategory.objects.get_or_create(network=network, slug=slug, defaults={"name": label})[0]
            for slug, label in (("full", "Full member"), ("associate", "Associate member"))
        ]
    return networks, categories


def _organisations(rng, count, networks, categories, clock):
    from django.utils.text import slugify

    from constellation.networks.models import (
        AccessibilityFeature,
        CoordinatesSource,
        Kind,
        Membership,
        MembershipStatus,
        Organisation,
        Topic,
        VisitorsBand,
    )

    kind_ids = dict(Kind.objects.values_list("slug", "pk"))
    topic_ids = dict(Topic.objects.values_list("slug", "pk"))
    feature_ids = list(AccessibilityFeature.objects.order_by("pk").values_list("pk", flat=True))
    bands = [band.value for band in VisitorsBand] + [""]
    epoch = datetime(2022, 1, 1, tzinfo=UTC)

    drafts, objects, slugs = [], [], set()
    for _ in range(count):
        draft = synthetic.organisation(rng)
        base = slugify(draft.name)[:200].strip("-") or "organisation"
        slug, n = base, 2
        while slug in slugs:
            slug, n = f"{base}-{n}", n + 1
        slugs.add(slug)
        located = rng.random() < 0.95
        organisation = Organisation(
            name=draft.name, slug=slug, city=draft.city.name, country=draft.country,
            latitude=round(draft.city.latitude + rng.uniform(-0.03, 0.03), 5) if located else None,
            longitude=round(draft.city.longitude + rng.uniform(-0.03, 0.03), 5) if located else None,
            coordinates_source=CoordinatesSource.GEOCODED if located else CoordinatesSource.NONE,
            address=f"{rng.randint(1, 250)} {rng.choice(['Museum', 'Station', 'Harbour', 'Park', 'Market'])} Road",
            website=draft.website, descriptions=draft.descriptions, year_founded=draft.year_founded,
            visitors_band=rng.choice(bands), languages=draft.languages,
            created_at=epoch + timedelta(minutes=rng.randint(0, 3 * 365 * 24 * 60)),
        )
        organisation.search_text = organisation.build_search_text()
        drafts.append(draft)
        objects.append(organisation)
    clock.lap(f"build {count:,} organisations")
    Organisation.objects.bulk_create(objects, batch_size=BATCH)
    clock.lap("insert organisations")

    kinds_through = Organisation.kinds.through
    topics_through = Organisation.topics.through
    features_through = Organisation.accessibility.through
    kinds, topics, features, memberships = [], [], [], []
    for organisation, draft in zip(objects, drafts, strict=True):
        kinds += [kinds_through(organisation_id=organisation.pk, kind_id=kind_ids[k]) for k in draft.kinds]
        topics += [topics_through(organisation_id=organisation.pk, topic_id=topic_ids[t]) for t in draft.topics]
        features += [
            features_through(organisation_id=organisation.pk, accessibilityfeature_id=f)
            for f in rng.sample(feature_ids, rng.randint(0, 3))
        ]
        for acronym in draft.networks:
            start = REFERENCE_DAY - timedelta(days=rng.randint(30, 15 * 365))
            memberships.append(
                Membership(
                    organisation_id=organisation.pk, network=networks[acronym],
                    category=rng.choice(categories[acronym]), status=MembershipStatus.ACTIVE, start_date=start,
                )
            )
            if rng.random() < 0.05:
                # An earlier membership that ended: history the directory must not count.
                memberships.append(
                    Membership(
                        organisation_id=organisation.pk, network=networks[acronym],
                        status=MembershipStatus.ENDED, start_date=start - timedelta(days=3 * 365),
                        end_date=start - timedelta(days=365),
                    )
                )
    kinds_through.objects.bulk_create(kinds, batch_size=BATCH)
    topics_through.objects.bulk_create(topics, batch_size=BATCH)
    features_through.objects.bulk_create(features, batch_size=BATCH)
    Membership.objects.bulk_create(memberships, batch_size=BATCH)
    clock.lap("insert kinds, topics, memberships")
    counts = {
        "organisations": len(objects), "kinds": len(kinds), "topics": len(topics),
        "accessibility": len(features), "memberships": len(memberships),
    }
    return [o.pk for o in objects], counts


def _people(rng, count, org_ids, clock):
    from constellation.networks.models import Affiliation, Person, Visibility, normalise

    visibilities = [Visibility.PUBLIC, Visibility.MEMBERS, Visibility.PRIVATE]
    epoch = datetime(2022, 1, 1, tzinfo=UTC)
    people = []
    for i in range(count):
        name = synthetic.person_name(rng)
        title = rng.choice(synthetic.TITLES)
        expertise = ", ".join(rng.sample(synthetic.EXPERTISE, rng.randint(1, 3)))
        local = "".join(ch for ch in normalise(name).replace(" ", ".") if ch.isalnum() or ch == ".")
        person = Person(
            name=name, email=f"{local}.{i}@example.org", title=title, expertise=expertise,
            bio=f"{title} with a soft spot for {expertise.split(', ')[0]}.",
            languages=rng.sample(["en", "fr", "es", "ar", "pt", "de"], rng.randint(1, 2)),
            name_visibility=rng.choices(visibilities, weights=[30, 60, 10])[0],
            email_visibility=rng.choices(visibilities, weights=[10, 30, 60])[0],
            affiliations_visibility=rng.choices(visibilities, weights=[40, 55, 5])[0],
            created_at=epoch + timedelta(minutes=rng.randint(0, 3 * 365 * 24 * 60)),
            search_text=normalise(" ".join([name, title, expertise])),
        )
        people.append(person)
    clock.lap(f"build {count:,} people")
    Person.objects.bulk_create(people, batch_size=BATCH)
    clock.lap("insert people")

    affiliations = []
    for person in people:
        places = rng.sample(org_ids, 2 if rng.random() < 0.15 else 1)
        for n, organisation_id in enumerate(places):
            start = REFERENCE_DAY - timedelta(days=rng.randint(60, 20 * 365))
            ended = n == 1 or rng.random() < 0.05
            affiliations.append(
                Affiliation(
                    person_id=person.pk, organisation_id=organisation_id, role=rng.choice(synthetic.ROLES),
                    is_admin=rng.random() < 0.1, start_date=start,
                    end_date=start + timedelta(days=rng.randint(30, (REFERENCE_DAY - start).days)) if ended else None,
                )
            )
    Affiliation.objects.bulk_create(affiliations, batch_size=BATCH)
    clock.lap("insert affiliations")
    return len(people), len(affiliations)


def main(argv: list[str] | None = None) -> None:
    args = parse_args(argv)
    setup_django()
    from django.db import connection

    print(
        f"Loading {args.organisations:,} organisations and {args.people:,} people "
        f"into {connection.vendor} ({connection.settings_dict['NAME']})",
        flush=True,
    )
    counts = load(args.organisations, args.people, args.seed)
    print("  " + ", ".join(f"{n:,} {label}" for label, n in counts.items()))


if __name__ == "__main__":
    main()
