"""Loading a whole year of survey answers through the foundation's importer."""

from __future__ import annotations

from decimal import Decimal
from io import StringIO

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import CommandError, call_command
from django.urls import reverse

from constellation.imports.models import ImportJob, ImportStatus
from constellation.insights.models import Answer, ResponseStatus, SurveyResponse
from tests import factories
from tests.imports.helpers import csv_bytes, write_csv, xlsx_bytes
from tests.insights.factories import SurveyFactory, default_catalogue, submitted_response

pytestmark = pytest.mark.django_db

ROWS = [
    ["Organisation", "Currency", "onsite_visitors", "Staff (full-time equivalent)", "operating_budget", "governance"],
    ["Atomium Science Centre", "EUR", "120000", "13.5", "2100000", "Public"],
    ["cosmos", "", "45 000", "8", "900000", "Privé à but non lucratif"],
    ["Nowhere Centre", "EUR", "1000", "2", "50000", ""],
    ["Atomium Science Centre", "EUR", "-3", "1.5", "lots", ""],
]


@pytest.fixture
def survey(db, network_a, atomium):
    default_catalogue()
    cosmos = factories.OrganisationFactory(name="Cosmos Planetarium", slug="cosmos")
    factories.MembershipFactory(organisation=cosmos, network=network_a)
    return SurveyFactory(network=network_a, year=2024)


def run_import(*args) -> tuple[str, int]:
    out = StringIO()
    try:
        call_command("import", *args, stdout=out)
    except CommandError as exc:
        return out.getvalue() + str(exc), exc.returncode
    return out.getvalue(), 0


def figures() -> dict[str, dict[str, Decimal | str]]:
    result: dict[str, dict] = {}
    for answer in Answer.objects.select_related("indicator", "response__organisation"):
        result.setdefault(answer.response.organisation.slug, {})[answer.indicator.key] = answer.answer
    return result


def test_command_loads_a_year_and_reports_bad_rows(tmp_path, survey):
    path = write_csv(tmp_path / "2024.csv", ROWS)

    output, code = run_import("survey_answers", str(path), "--set", "survey=NETA:2024")

    assert code == 1
    assert "row 4: Organisation: No organisation is called “Nowhere Centre”; use its exact name or slug." in output
    assert (
        "row 5: On-site visitors: Enter 0 or more.; Staff (full-time equivalent): Enter a whole number."
        not in output
    )
    assert "row 5: On-site visitors: Enter 0 or more.; Operating budget: Enter a number, such as 1250 or 1250.50." in output
    assert "2 created, 0 updated, 2 failed, of 4 rows." in output
    assert figures() == {
        "atomium": {
            "onsite_visitors": Decimal(120000), "staff_fte": Decimal("13.5"), "operating_budget": Decimal(2100000),
            "governance": "public",
        },
        "cosmos": {
            "onsite_visitors": Decimal(45000), "staff_fte": Decimal(8), "operating_budget": Decimal(900000),
            "governance": "nonprofit",
        },
    }
    assert set(SurveyResponse.objects.values_list("status", flat=True)) == {ResponseStatus.SUBMITTED}


def test_importing_again_updates_the_same_responses(tmp_path, survey):
    path = write_csv(tmp_path / "2024.csv", ROWS[:3])
    run_import("survey_answers", str(path), "--set", "survey=NETA:2024")
    changed = [row[:] for row in ROWS[:3]]
    changed[1][2] = "125000"
    write_csv(path, changed)

    output, code = run_import("survey_answers", str(path), "--set", "survey=NETA:2024")

    assert code == 0
    assert "0 created, 2 updated, 0 failed, of 2 rows." in output
    assert SurveyResponse.objects.count() == 2
    assert figures()["atomium"]["onsite_visitors"] == Decimal(125000)


def test_an_unknown_survey_is_refused_before_any_row(tmp_path, survey):
    path = write_csv(tmp_path / "2024.csv", ROWS[:2])

    output, code = run_import("survey_answers", str(path), "--set", "survey=NETA:1999")

    assert code == 2
    assert "NETA has no survey for 1999; open it first." in output
    assert not SurveyResponse.objects.exists()


def test_imported_changes_over_half_are_accepted_with_a_note(tmp_path, survey, network_a, atomium):
    submitted_response(SurveyFactory(network=network_a, year=2023), atomium, onsite_visitors=10_000)
    path = write_csv(tmp_path / "2024.csv", ROWS[:2])

    output, code = run_import("survey_answers", str(path), "--set", "survey=NETA:2024")

    assert code == 0
    answer = Answer.objects.get(response__survey=survey, indicator__key="onsite_visitors")
    assert answer.comment == "Imported; the change was not confirmed by the organisation."


def test_staff_load_a_year_on_the_web_with_row_errors(login, staff_a, survey, django_capture_on_commit_callbacks):
    client = login(staff_a)

    response = client.post(
        reverse("imports:job-new"),
        {"kind": "survey_answers", "encoding": "utf-8", "file": SimpleUploadedFile("2024.xlsx", xlsx_bytes(ROWS))},
    )

    job = ImportJob.objects.get()
    assert response["Location"] == reverse("imports:job-map", args=[job.pk])
    page = client.get(reverse("imports:job-map", args=[job.pk])).content.decode()
    assert '<option value="NETA:2024">NETA 2024</option>' in page
    assert "Key column" not in page
    assert '<option value="Staff (full-time equivalent)" selected>' in page

    mapping = {
        "map_organisation": "Organisation", "map_currency": "Currency", "map_onsite_visitors": "onsite_visitors",
        "map_staff_fte": "Staff (full-time equivalent)", "map_operating_budget": "operating_budget",
        "map_governance": "governance", "fixed_survey": "NETA:2024",
    }
    response = client.post(reverse("imports:job-map", args=[job.pk]), mapping)

    assert response["Location"] == reverse("imports:job-preview", args=[job.pk])
    page = client.get(reverse("imports:job-preview", args=[job.pk])).content.decode()
    assert "Not imported: Organisation: No organisation is called “Nowhere Centre”" in page
    assert not SurveyResponse.objects.exists()

    with django_capture_on_commit_callbacks(execute=True):
        client.post(reverse("imports:job-preview", args=[job.pk]))

    job.refresh_from_db()
    assert (job.status, job.created_count, job.updated_count, job.failed_count) == (ImportStatus.DONE, 2, 0, 2)
    assert [error["row"] for error in job.errors] == [4, 5]
    assert sorted(figures()) == ["atomium", "cosmos"]
    response = SurveyResponse.objects.get(organisation__slug="atomium")
    assert (response.status, response.submitted_by) == (ResponseStatus.SUBMITTED, staff_a)


def test_staff_cannot_load_another_networks_survey(login, staff_b, survey):
    client = login(staff_b)
    client.post(
        reverse("imports:job-new"),
        {"kind": "survey_answers", "encoding": "utf-8", "file": SimpleUploadedFile("2024.csv", csv_bytes(ROWS))},
    )
    job = ImportJob.objects.get()

    page = client.get(reverse("imports:job-map", args=[job.pk])).content.decode()
    response = client.post(
        reverse("imports:job-map", args=[job.pk]),
        {"map_organisation": "Organisation", "map_onsite_visitors": "onsite_visitors", "fixed_survey": "NETA:2024"},
    )

    assert "NETA 2024" not in page
    assert response.status_code == 200
    job.refresh_from_db()
    assert job.fixed_values == {}
    assert not SurveyResponse.objects.exists()
