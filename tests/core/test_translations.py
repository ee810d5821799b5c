from __future__ import annotations

import re
from pathlib import Path

import pytest
from django.urls import reverse

from tests import factories

LOCALE = Path(__file__).resolve().parents[2] / "src" / "constellation" / "locale"


@pytest.mark.parametrize("language", ["fr", "es", "ar"])
def test_catalog_has_no_untranslated_or_fuzzy_entry(language):
    text = (LOCALE / language / "LC_MESSAGES" / "django.po").read_text(encoding="utf-8")
    entries = text.split("\n\n")[1:]  # the first block is the header

    empty = [e for e in entries if re.search(r'^msgstr(\[\d\])? ""\Z', e.strip(), re.M) and not e.startswith("#~")]
    fuzzy = [e for e in entries if "#, fuzzy" in e]

    assert not empty, empty[:3]
    assert not fuzzy, fuzzy[:3]


@pytest.mark.django_db
def test_arabic_directory_speaks_arabic(client):
    organisation = factories.OrganisationFactory(kinds=["science-centre"])

    html = client.get(reverse("networks:organisation-list"), headers={"Accept-Language": "ar"}).content.decode()

    assert "دليل المؤسسات" in html
    assert "مركز علوم" in html
    assert organisation.name in html


@pytest.mark.django_db
def test_spanish_counts_countries_in_the_singular(client):
    factories.OrganisationFactory(country="MX")

    html = client.get(reverse("home"), headers={"Accept-Language": "es"}).content.decode()

    assert "en 1 país," in " ".join(html.split())
