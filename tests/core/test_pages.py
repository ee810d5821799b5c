from __future__ import annotations

import pytest
from django.urls import reverse

pytestmark = pytest.mark.django_db


def test_switching_to_arabic_turns_the_page_right_to_left(client):
    response = client.post(reverse("set_language"), {"language": "ar", "next": "/organisations/"}, follow=True)

    html = response.content.decode()
    assert '<html lang="ar" dir="rtl">' in html


@pytest.mark.parametrize("language", ["en", "fr", "es"])
def test_left_to_right_languages(client, language):
    response = client.get(reverse("networks:organisation-list"), headers={"Accept-Language": language})

    assert f'<html lang="{language}" dir="ltr">' in response.content.decode()


def test_every_page_has_landmarks_and_a_skip_link(client):
    html = client.get(reverse("home")).content.decode()

    assert '<a class="skip-link" href="#main">' in html
    assert '<main id="main"' in html
    assert "<header" in html and "<footer" in html and "<nav" in html


def test_api_docs_and_schema_are_served(client):
    docs = client.get("/api/v1/docs")
    schema = client.get("/api/v1/openapi.json")

    assert docs.status_code == 200
    assert schema.json()["info"]["title"] == "Constellation API"
    assert "/api/v1/organisations" in schema.json()["paths"]


def test_unknown_page_is_a_404_not_a_500(client):
    assert client.get("/no/such/page/").status_code == 404


def test_staff_navigation_reaches_reports_and_imports(login, staff_a):
    html = login(staff_a).get(reverse("home")).content.decode()

    assert f'href="{reverse("insights:report-list")}"' in html
    assert f'href="{reverse("imports:job-list")}"' in html


def test_members_navigation_has_no_staff_links(login, member_bob):
    html = login(member_bob).get(reverse("home")).content.decode()

    assert f'href="{reverse("insights:report-list")}"' not in html
    assert f'href="{reverse("insights:survey-list")}"' in html
