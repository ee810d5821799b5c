"""What network staff may touch through an import: only their own networks' members."""

from __future__ import annotations

import pytest

from constellation.imports.models import ImportKey
from constellation.imports.services import ImportSpec, import_table
from constellation.networks.models import Organisation
from tests import factories
from tests.imports.helpers import write_csv

pytestmark = pytest.mark.django_db


def test_staff_cannot_update_an_organisation_outside_their_networks(tmp_path, staff_a, network_b):
    outside = factories.OrganisationFactory(name="Elsewhere", year_founded=1990)
    factories.MembershipFactory(organisation=outside, network=network_b)
    ImportKey.objects.create(kind="organisations", key_column="ID", key_value="9", object_id=outside.pk)
    path = write_csv(tmp_path / "x.csv", [["ID", "Name", "Country", "Founded"], ["9", "Hijacked", "FR", "2000"]])
    spec = ImportSpec(
        kind="organisations", mapping={"name": "Name", "country": "Country", "year_founded": "Founded"}, key_column="ID"
    )

    result = import_table(str(path), spec=spec, actor=staff_a)

    assert result.errors == [{"row": 2, "message": "This row updates Elsewhere, which is not in a network you run."}]
    outside.refresh_from_db()
    assert (outside.name, outside.year_founded) == ("Elsewhere", 1990)
    assert Organisation.objects.count() == 1


def test_staff_may_update_their_own_members(tmp_path, staff_a, atomium):
    ImportKey.objects.create(kind="organisations", key_column="ID", key_value="1", object_id=atomium.pk)
    path = write_csv(tmp_path / "x.csv", [["ID", "Name", "Country", "Founded"], ["1", "Atomium", "BE", "1958"]])
    spec = ImportSpec(
        kind="organisations", mapping={"name": "Name", "country": "Country", "year_founded": "Founded"}, key_column="ID"
    )

    result = import_table(str(path), spec=spec, actor=staff_a)

    assert (result.updated, result.failed) == (1, 0)
    atomium.refresh_from_db()
    assert (atomium.name, atomium.year_founded) == ("Atomium", 1958)
    assert atomium.history.first().history_user == staff_a
