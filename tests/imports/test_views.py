"""The web import: upload, map the columns, preview, start, follow the progress."""

from __future__ import annotations

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from constellation.imports.models import ImportJob, ImportStatus
from constellation.networks.models import Membership, Organisation
from tests import factories
from tests.conftest import give_totp
from tests.imports.factories import ImportJobFactory
from tests.imports.helpers import ORGANISATIONS, csv_bytes, xlsx_bytes

pytestmark = pytest.mark.django_db

MAPPING = {
    "map_name": "Name", "map_kinds": "Type", "map_city": "Town", "map_country": "Country",
    "map_year_founded": "Founded", "map_networks": "Networks", "map_description": "Description",
    "key_column": "ID",
}


def upload(client, content: bytes, name: str = "members.csv", **data):
    payload = {"kind": "organisations", "encoding": "utf-8", "file": SimpleUploadedFile(name, content), **data}
    return client.post(reverse("imports:job-new"), payload)


def test_staff_import_organisations_end_to_end(login, staff_a, network_a, django_capture_on_commit_callbacks):
    client = login(staff_a)

    response = upload(client, csv_bytes(ORGANISATIONS))

    job = ImportJob.objects.get()
    assert response["Location"] == reverse("imports:job-map", args=[job.pk])
    assert (job.created_by, job.total, job.status) == (staff_a, 4, ImportStatus.PENDING)
    assert job.columns == ["ID", "Name", "Type", "Town", "Country", "Founded", "Networks", "Description"]

    page = client.get(reverse("imports:job-map", args=[job.pk])).content.decode()
    assert '<option value="Name" selected>Name</option>' in page
    assert "NETA: Network A" in page

    response = client.post(reverse("imports:job-map", args=[job.pk]), MAPPING)

    assert response["Location"] == reverse("imports:job-preview", args=[job.pk])
    job.refresh_from_db()
    assert job.mapping["kinds"] == "Type"
    assert job.key_column == "ID"

    page = client.get(reverse("imports:job-preview", args=[job.pk])).content.decode()
    assert "Musée des Confluences" in page
    assert "Science museum" in page
    assert "45.7491, 4.8479 (from the city)" in page
    assert "Not imported: Country: “Frnace” is not a country we know" in page
    assert Organisation.objects.count() == 0

    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("imports:job-preview", args=[job.pk]))

    assert response["Location"] == job.get_absolute_url()
    job.refresh_from_db()
    assert (job.status, job.processed, job.created_count, job.updated_count, job.failed_count) == (
        ImportStatus.DONE, 4, 2, 0, 2,
    )
    assert [e["row"] for e in job.errors] == [4, 5]
    assert sorted(Organisation.objects.values_list("name", flat=True)) == ["Cosmos Planetarium", "Musée des Confluences"]
    assert Membership.objects.filter(network=network_a).count() == 2
    organisation = Organisation.objects.get(name="Musée des Confluences")
    assert organisation.history.get().history_user == staff_a

    page = client.get(job.get_absolute_url()).content.decode()
    assert '<progress class="progress" max="100" value="100"' in page
    assert "hx-trigger" not in page
    assert "<dt>Created</dt><dd>2</dd>" in page
    assert "<dt>Not imported</dt><dd>2</dd>" in page
    assert '<th scope="row">5</th><td>Year founded: Enter a year between 1000 and this year.</td>' in page


def test_starting_twice_imports_once(login, staff_a, network_a, django_capture_on_commit_callbacks):
    client = login(staff_a)
    upload(client, csv_bytes(ORGANISATIONS[:2]))
    job = ImportJob.objects.get()
    client.post(reverse("imports:job-map", args=[job.pk]), MAPPING)
    with django_capture_on_commit_callbacks(execute=True):
        client.post(reverse("imports:job-preview", args=[job.pk]))

    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        response = client.post(reverse("imports:job-preview", args=[job.pk]), follow=True)

    assert callbacks == []
    assert "This import had already been started; it was not started again." in response.content.decode()
    assert Organisation.objects.count() == 1


def test_mapping_cannot_change_once_started(login, staff_a):
    job = ImportJobFactory(created_by=staff_a, status=ImportStatus.DONE)
    client = login(staff_a)

    response = client.post(reverse("imports:job-map", args=[job.pk]), {"map_name": "Country"}, follow=True)

    job.refresh_from_db()
    assert job.mapping == {"name": "Name", "country": "Country"}
    assert "its columns can no longer change" in response.content.decode()


def test_mapping_requires_a_name_column_and_a_country(login, staff_a):
    client = login(staff_a)
    upload(client, csv_bytes([["Name", "Town"], ["Le Lab", "Lyon"]]))
    job = ImportJob.objects.get()

    response = client.post(reverse("imports:job-map", args=[job.pk]), {"map_city": "Town"})

    page = response.content.decode()
    assert response.status_code == 200
    assert page.count("Choose the column that holds this field.") == 2
    job.refresh_from_db()
    assert job.mapping == {"name": "Name"}


def test_fixed_country_and_network_apply_to_every_row(login, staff_a, network_a, django_capture_on_commit_callbacks):
    client = login(staff_a)
    upload(client, xlsx_bytes([["Name", "Town"], ["Le Lab", "Lyon"], ["La Casemate", "Grenoble"]]), name="labs.xlsx")
    job = ImportJob.objects.get()

    client.post(reverse("imports:job-map", args=[job.pk]), {
        "map_name": "Name", "map_city": "Town", "fixed_country": "FR", "fixed_networks": ["NETA"],
    })
    with django_capture_on_commit_callbacks(execute=True):
        client.post(reverse("imports:job-preview", args=[job.pk]))

    assert {str(o.country) for o in Organisation.objects.all()} == {"FR"}
    assert Membership.objects.filter(network=network_a).count() == 2


def test_staff_cannot_add_members_to_a_network_they_do_not_run(
    login, staff_a, network_b, django_capture_on_commit_callbacks
):
    client = login(staff_a)
    upload(client, csv_bytes([["Name", "Country", "Networks"], ["Le Lab", "FR", "NETB"]]))
    job = ImportJob.objects.get()

    page = client.get(reverse("imports:job-map", args=[job.pk])).content.decode()
    client.post(reverse("imports:job-map", args=[job.pk]), {
        "map_name": "Name", "map_country": "Country", "map_networks": "Networks",
    })
    with django_capture_on_commit_callbacks(execute=True):
        client.post(reverse("imports:job-preview", args=[job.pk]))

    assert "NETB" not in page
    job.refresh_from_db()
    assert job.errors == [{"row": 2, "message": "Networks: You do not run NETB, so you cannot add members to it."}]
    assert Organisation.objects.count() == 0


def test_dry_run_checks_every_row_and_writes_nothing(login, staff_a, network_a, django_capture_on_commit_callbacks):
    client = login(staff_a)
    upload(client, csv_bytes(ORGANISATIONS), dry_run="on")
    job = ImportJob.objects.get()
    client.post(reverse("imports:job-map", args=[job.pk]), MAPPING)

    with django_capture_on_commit_callbacks(execute=True):
        client.post(reverse("imports:job-preview", args=[job.pk]))

    job.refresh_from_db()
    assert (job.status, job.created_count, job.failed_count) == (ImportStatus.DONE, 2, 2)
    assert Organisation.objects.count() == 0
    assert "<dt>Would be created</dt><dd>2</dd>" in client.get(job.get_absolute_url()).content.decode()


def test_too_large_upload_gets_a_form_error_and_no_job(login, staff_a, settings):
    settings.IMPORT_MAX_UPLOAD_MB = 1
    client = login(staff_a)

    response = upload(client, b"Name\n" + b"x" * (1024 * 1024))

    assert response.status_code == 200
    assert "The file is 1.1 MB; files can be up to 1 MB. Split it into smaller files." in response.content.decode()
    assert ImportJob.objects.count() == 0


@pytest.mark.parametrize(
    ("name", "content", "message"),
    [
        ("members.pdf", b"%PDF-1.4", "Choose a CSV or XLSX file"),
        ("members.xlsx", b"not a workbook", "The file is not a readable XLSX workbook."),
        ("members.csv", "Name\nCité\n".encode("latin-1"), "The file is not valid utf-8 (line 2"),
        ("members.csv", b"", "The submitted file is empty."),
        ("members.csv", b"\n\n", "The file is empty: the first row must name the columns."),
    ],
)
def test_unreadable_upload_gets_a_clear_message_and_no_job(login, staff_a, name, content, message):
    client = login(staff_a)

    response = upload(client, content, name=name)

    assert response.status_code == 200
    assert message in response.content.decode()
    assert ImportJob.objects.count() == 0


def test_latin1_upload_with_its_encoding(login, staff_a):
    client = login(staff_a)

    upload(client, "Name;Country\nCité des Sciences;FR\n".encode("latin-1"), encoding="latin-1")

    job = ImportJob.objects.get()
    page = client.get(reverse("imports:job-preview", args=[job.pk])).content.decode()
    assert "Cité des Sciences" in page


def test_progress_partial_polls_while_running(login, staff_a):
    job = ImportJobFactory(created_by=staff_a, status=ImportStatus.RUNNING, total=200, processed=100)
    client = login(staff_a)

    response = client.get(job.get_absolute_url(), headers={"HX-Request": "true"})

    page = response.content.decode()
    assert "<html" not in page
    assert 'hx-trigger="every 2s"' in page
    assert '<progress class="progress" max="100" value="50"' in page
    assert "100 of 200 rows read" in page


def test_poll_that_sees_the_end_reloads_the_page(login, staff_a):
    job = ImportJobFactory(created_by=staff_a, status=ImportStatus.DONE)
    client = login(staff_a)

    response = client.get(job.get_absolute_url(), headers={"HX-Request": "true"})

    assert response["HX-Redirect"] == job.get_absolute_url()


def test_failed_job_shows_why(login, staff_a):
    job = ImportJobFactory(created_by=staff_a, status=ImportStatus.FAILED, message="The file has no column “Name”.")
    client = login(staff_a)

    page = client.get(job.get_absolute_url()).content.decode()

    assert '<p class="errors-summary" role="alert">The file has no column “Name”.</p>' in page


def test_org_admin_gets_404_everywhere(login, admin_alice, staff_a):
    job = ImportJobFactory(created_by=staff_a)
    client = login(admin_alice)

    responses = [
        client.get(reverse("imports:job-list")),
        client.get(reverse("imports:job-new")),
        upload(client, csv_bytes(ORGANISATIONS)),
        client.get(job.get_absolute_url()),
        client.post(reverse("imports:job-preview", args=[job.pk])),
    ]

    assert [r.status_code for r in responses] == [404] * 5
    assert ImportJob.objects.count() == 1


def test_staff_do_not_see_each_others_jobs(login, staff_a, staff_b):
    job = ImportJobFactory(created_by=staff_a)
    client = login(staff_b)

    assert client.get(job.get_absolute_url()).status_code == 404
    assert client.get(reverse("imports:job-map", args=[job.pk])).status_code == 404
    assert job.original_name not in client.get(reverse("imports:job-list")).content.decode()


def test_superuser_sees_every_job(login, staff_a):
    job = ImportJobFactory(created_by=staff_a)
    root = factories.UserFactory(is_superuser=True, is_staff=True)
    give_totp(root)

    page = login(root).get(reverse("imports:job-list")).content.decode()

    assert job.original_name in page


def test_anonymous_visitor_is_sent_to_sign_in(client):
    response = client.get(reverse("imports:job-list"))

    assert response.status_code == 302
    assert response["Location"].startswith(reverse("account_login"))


@pytest.mark.parametrize("count", [1, 3])
def test_job_list_has_a_fixed_number_of_queries(login, staff_a, django_assert_num_queries, count):
    jobs = ImportJobFactory.create_batch(count, created_by=staff_a)
    client = login(staff_a)

    with django_assert_num_queries(6):
        response = client.get(reverse("imports:job-list"))

    page = response.content.decode()
    assert all(job.original_name in page for job in jobs)
    assert page.count('<th scope="row">') == count
