"""`constellation import`: the command line import, synchronous, for operators."""

from __future__ import annotations

from io import StringIO

import pytest
from django.core.management import CommandError, call_command

from constellation.imports.models import ImportKey
from constellation.networks.models import (
    CoordinatesSource,
    Membership,
    MembershipStatus,
    Organisation,
    Person,
)
from tests import factories
from tests.imports.helpers import ORGANISATION_MAP, ORGANISATIONS, write_csv, xlsx_bytes

pytestmark = pytest.mark.django_db


def run_import(*args) -> tuple[str, int]:
    """Run the command; return its output and exit code."""
    out = StringIO()
    try:
        call_command("import", *args, stdout=out)
    except CommandError as exc:
        return out.getvalue() + str(exc), exc.returncode
    return out.getvalue(), 0


def test_import_creates_organisations_with_kinds_memberships_and_coordinates(tmp_path, network_a):
    path = write_csv(tmp_path / "members.csv", ORGANISATIONS[:3])

    output, code = run_import("organisations", str(path), *ORGANISATION_MAP, "--key", "ID")

    assert code == 0
    assert "2 created, 0 updated, 0 failed, of 2 rows." in output
    lyon = Organisation.objects.get(name="Musée des Confluences")
    assert [k.slug for k in lyon.kinds.all()] == ["science-museum"]
    assert str(lyon.country) == "FR"
    assert lyon.year_founded == 2014
    assert lyon.descriptions == {"en": "Sciences and societies."}
    assert (round(lyon.latitude, 2), round(lyon.longitude, 2)) == (45.75, 4.85)
    assert lyon.coordinates_source == CoordinatesSource.GEOCODED
    membership = Membership.objects.get(organisation=lyon)
    assert (membership.network, membership.status) == (network_a, MembershipStatus.ACTIVE)
    assert lyon.history.count() == 1
    madrid = Organisation.objects.get(name="Cosmos Planetarium")
    assert str(madrid.country) == "ES"
    assert sorted(k.slug for k in madrid.kinds.all()) == ["aquarium", "planetarium"]


def test_reimport_with_key_updates_instead_of_duplicating(tmp_path, network_a):
    path = write_csv(tmp_path / "members.csv", ORGANISATIONS[:3])
    run_import("organisations", str(path), *ORGANISATION_MAP, "--key", "ID")
    changed = [row[:] for row in ORGANISATIONS[:3]]
    changed[1][5] = "2015"
    write_csv(path, changed)

    output, code = run_import("organisations", str(path), *ORGANISATION_MAP, "--key", "ID")

    assert code == 0
    assert "0 created, 2 updated, 0 failed, of 2 rows." in output
    assert Organisation.objects.count() == 2
    assert Organisation.objects.get(name="Musée des Confluences").year_founded == 2015
    assert Membership.objects.count() == 2
    assert ImportKey.objects.filter(kind="organisations", key_column="ID").count() == 2
    # The unchanged row wrote nothing, so its history has only the creation.
    assert Organisation.objects.get(name="Cosmos Planetarium").history.count() == 1


def test_bad_rows_are_reported_with_their_number_and_not_written(tmp_path, network_a):
    path = write_csv(tmp_path / "members.csv", ORGANISATIONS)

    output, code = run_import("organisations", str(path), *ORGANISATION_MAP)

    assert code == 1
    assert "2 created, 0 updated, 2 failed, of 4 rows." in output
    assert "row 4: Country: “Frnace” is not a country we know; use its ISO code, such as FR." in output
    assert "row 5: Year founded: Enter a year between 1000 and this year." in output
    assert sorted(Organisation.objects.values_list("name", flat=True)) == ["Cosmos Planetarium", "Musée des Confluences"]


def test_unknown_kind_and_network_are_row_errors(tmp_path, network_a):
    path = write_csv(tmp_path / "members.csv", [
        ["Name", "Type", "Country", "Networks"],
        ["Odd Place", "Spaceport", "FR", "NETA"],
        ["Lost Centre", "Zoo", "FR", "NOPE"],
    ])

    output, code = run_import(
        "organisations", str(path), "--map", "name=Name", "--map", "kinds=Type", "--map", "country=Country",
        "--map", "networks=Networks",
    )

    assert code == 1
    assert "row 2: Kinds: Unknown kind “Spaceport”" in output
    assert "row 3: Networks: Unknown network “NOPE”" in output
    assert Organisation.objects.count() == 0


def test_dry_run_writes_nothing(tmp_path, network_a):
    path = write_csv(tmp_path / "members.csv", ORGANISATIONS)

    output, code = run_import("organisations", str(path), *ORGANISATION_MAP, "--key", "ID", "--dry-run")

    assert code == 1
    assert "Dry run, nothing written: 2 would be created, 0 updated, 2 failed, of 4 rows." in output
    assert "row 4: Country" in output
    assert Organisation.objects.count() == 0
    assert Membership.objects.count() == 0
    assert ImportKey.objects.count() == 0


def test_latin1_file_with_semicolons_and_fixed_country(tmp_path):
    path = write_csv(
        tmp_path / "latin.csv", [["Nom", "Ville"], ["Cité des Sciences", "Paris"], ["Vaisseau", "Strasbourg"]],
        encoding="latin-1", delimiter=";",
    )

    output, code = run_import(
        "organisations", str(path), "--map", "name=Nom", "--map", "city=Ville", "--set", "country=FR",
        "--encoding", "latin-1",
    )

    assert code == 0, output
    cite = Organisation.objects.get(city="Paris")
    assert cite.name == "Cité des Sciences"
    assert str(cite.country) == "FR"
    assert cite.slug == "cite-des-sciences"
    assert cite.coordinates_source == CoordinatesSource.GEOCODED


def test_latin1_file_read_as_utf8_is_refused_clearly(tmp_path):
    path = write_csv(tmp_path / "latin.csv", [["Name", "Country"], ["Cité", "FR"]], encoding="latin-1")

    output, code = run_import("organisations", str(path), "--map", "name=Name", "--map", "country=Country")

    assert code == 2
    assert "not valid utf-8 (line 2" in output
    assert "latin-1" in output
    assert Organisation.objects.count() == 0


def test_xlsx_import(tmp_path):
    path = tmp_path / "members.xlsx"
    path.write_bytes(xlsx_bytes([
        ["Name", "Country", "Founded", "Latitude", "Longitude"],
        ["Experimentarium", "Denmark", 1991, 55.73, 12.57],
        [None, None, None, None, None],
        ["Heureka", "FI", 1989.0, None, None],
    ]))

    output, code = run_import(
        "organisations", str(path), "--map", "name=Name", "--map", "country=Country",
        "--map", "year_founded=Founded", "--map", "latitude=Latitude", "--map", "longitude=Longitude",
    )

    assert code == 0, output
    assert "2 created, 0 updated, 0 failed, of 2 rows." in output
    experimentarium = Organisation.objects.get(name="Experimentarium")
    assert (str(experimentarium.country), experimentarium.year_founded) == ("DK", 1991)
    assert (experimentarium.latitude, experimentarium.longitude) == (55.73, 12.57)
    assert experimentarium.coordinates_source == CoordinatesSource.SUPPLIED
    assert Organisation.objects.get(name="Heureka").year_founded == 1989


def test_reimport_keeps_coordinates_staff_set_by_hand(tmp_path):
    path = write_csv(tmp_path / "members.csv", [["ID", "Name", "Town", "Country"], ["7", "Le Lab", "Lyon", "FR"]])
    options = ["--map", "name=Name", "--map", "city=Town", "--map", "country=Country", "--key", "ID"]
    run_import("organisations", str(path), *options)
    organisation = Organisation.objects.get()
    organisation.latitude, organisation.longitude = 45.7, 4.9
    organisation.coordinates_source = CoordinatesSource.MANUAL
    organisation.save()
    write_csv(path, [["ID", "Name", "Town", "Country"], ["7", "Le Lab", "Marseille", "FR"]])

    output, code = run_import("organisations", str(path), *options)

    assert code == 0, output
    organisation.refresh_from_db()
    assert organisation.city == "Marseille"
    assert (organisation.latitude, organisation.longitude, organisation.coordinates_source) == (
        45.7, 4.9, CoordinatesSource.MANUAL,
    )


def test_reimport_moves_geocoded_coordinates_with_the_city(tmp_path):
    path = write_csv(tmp_path / "members.csv", [["ID", "Name", "Town", "Country"], ["7", "Le Lab", "Lyon", "FR"]])
    options = ["--map", "name=Name", "--map", "city=Town", "--map", "country=Country", "--key", "ID"]
    run_import("organisations", str(path), *options)
    write_csv(path, [["ID", "Name", "Town", "Country"], ["7", "Le Lab", "Marseille", "FR"]])

    run_import("organisations", str(path), *options)

    organisation = Organisation.objects.get()
    assert (round(organisation.latitude, 1), round(organisation.longitude, 1)) == (43.3, 5.4)
    assert organisation.coordinates_source == CoordinatesSource.GEOCODED


def test_people_import_with_affiliation(tmp_path, atomium):
    path = write_csv(tmp_path / "people.csv", [
        ["Full name", "Email", "Works at", "Role", "Languages"],
        ["Ada Lovelace", "ada@example.org", "Atomium Science Centre", "Curator", "en; fr"],
        ["Grace Hopper", "grace@example.org", "atomium", "", ""],
        ["Nobody", "nobody@example.org", "Unknown Place", "Guide", ""],
    ])

    output, code = run_import(
        "people", str(path), "--map", "name=Full name", "--map", "email=Email", "--map", "organisation=Works at",
        "--map", "role=Role", "--map", "languages=Languages",
    )

    assert code == 1
    assert "row 4: Organisation: No organisation is called “Unknown Place”" in output
    ada = Person.objects.get(email="ada@example.org")
    assert ada.languages == ["en", "fr"]
    assert [(a.organisation, a.role) for a in ada.affiliations.all()] == [(atomium, "Curator")]
    assert Person.objects.get(email="grace@example.org").affiliations.get().organisation == atomium
    assert not Person.objects.filter(name="Nobody").exists()


def test_people_reimport_never_overwrites_a_profile_its_owner_manages(tmp_path, atomium):
    path = write_csv(tmp_path / "people.csv", [["ID", "Name", "Title"], ["p1", "Bob", "Guide"]])
    options = ["--map", "name=Name", "--map", "title=Title", "--key", "ID"]
    run_import("people", str(path), *options)
    person = Person.objects.get()
    person.user = factories.UserFactory()
    person.title = "Head of education"
    person.save()

    output, code = run_import("people", str(path), *options)

    assert code == 1
    assert "row 2: Bob has an account and keeps their own profile up to date" in output
    person.refresh_from_db()
    assert person.title == "Head of education"


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--map", "name=Nom"], "The file has no column “Nom”."),
        (["--map", "colour=Name"], "“colour” is not a field of organisations"),
        (["--map", "name=Name", "--set", "country=Atlantis"], "“Atlantis” is not a country we know"),
        (["--map", "name=Name", "--set", "country=FR", "--key", "Id"], "no column “Id” to use as the key"),
        (["--map", "name=Name", "--set", "country=FR", "--encoding", "klingon"], "not an encoding we know"),
        (["--map", "country=Country"], "Choose the column for “Name”: it is required."),
    ],
)
def test_unusable_input_exits_with_2_and_writes_nothing(tmp_path, args, message):
    path = write_csv(tmp_path / "members.csv", [["Name", "Country"], ["Le Lab", "FR"]])

    output, code = run_import("organisations", str(path), *args)

    assert code == 2
    assert message in output
    assert Organisation.objects.count() == 0


def test_missing_file_exits_with_2(tmp_path):
    output, code = run_import("organisations", str(tmp_path / "nope.csv"), "--map", "name=Name")

    assert code == 2
    assert "Cannot open" in output


def test_without_map_columns_named_like_fields_are_used(tmp_path):
    path = write_csv(tmp_path / "members.csv", [["name", "Country", "Year founded"], ["Le Lab", "FR", "2001"]])

    output, code = run_import("organisations", str(path))

    assert code == 0, output
    assert Organisation.objects.get().year_founded == 2001


def test_malformed_csv_row_is_reported_and_the_rest_imported(tmp_path):
    path = tmp_path / "members.csv"
    path.write_text('Name,Country\nGood One,FR\n"Bad" quote,FR\nGood Two,BE\nToo,FR,many,cells\n', encoding="utf-8")

    output, code = run_import("organisations", str(path), "--map", "name=Name", "--map", "country=Country")

    assert code == 1
    assert "row 3: This row is not valid CSV" in output
    assert "row 5: This row has 4 cells but the header has 2 columns." in output
    assert sorted(Organisation.objects.values_list("name", flat=True)) == ["Good One", "Good Two"]


def test_staff_import_ignores_the_duplicate_network_in_a_row(tmp_path, network_a):
    path = write_csv(tmp_path / "members.csv", [["Name", "Country", "Networks"], ["Le Lab", "FR", "NETA | neta"]])

    output, code = run_import(
        "organisations", str(path), "--map", "name=Name", "--map", "country=Country", "--map", "networks=Networks"
    )

    assert code == 0, output
    assert Membership.objects.get().network == network_a


def test_the_same_key_twice_in_one_file_updates_the_first_row(tmp_path, network_a):
    path = write_csv(tmp_path / "members.csv", [
        ["ID", "Name", "Country", "Type", "Networks"],
        ["1", "Le Lab", "FR", "Open lab / makerspace", "NETA"],
        ["1", "Le Lab", "FR", "Festival", "NETA"],
    ])
    options = [
        "--map", "name=Name", "--map", "country=Country", "--map", "kinds=Type", "--map", "networks=Networks",
        "--key", "ID",
    ]

    dry_output, _code = run_import("organisations", str(path), *options, "--dry-run")
    output, code = run_import("organisations", str(path), *options)

    assert "1 would be created, 1 updated" in dry_output
    assert code == 0, output
    assert "1 created, 1 updated, 0 failed, of 2 rows." in output
    organisation = Organisation.objects.get()
    assert [k.slug for k in organisation.kinds.all()] == ["festival"]
    assert Membership.objects.get().organisation == organisation
