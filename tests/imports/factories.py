"""Factories for import jobs (kept beside the import tests; the shared ones are in tests/factories.py)."""

from __future__ import annotations

import factory

from constellation.imports.models import ImportJob, ImportKind, ImportStatus
from tests.factories import UserFactory


class ImportJobFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = ImportJob

    kind = ImportKind.ORGANISATIONS
    file = factory.Sequence(lambda n: f"imports/job-{n}.csv")
    original_name = factory.Sequence(lambda n: f"members-{n}.csv")
    columns = factory.LazyFunction(lambda: ["Name", "Country"])
    mapping = factory.LazyFunction(lambda: {"name": "Name", "country": "Country"})
    status = ImportStatus.DONE
    total = 10
    processed = 10
    created_count = 8
    failed_count = 2
    created_by = factory.SubFactory(UserFactory)
