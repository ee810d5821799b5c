"""Badges: name, organisation, ticket and a QR code that opens the check-in page.

One badge per A6 page for the person, or four per A4 page (A6 is a quarter of A4) when staff
print a batch. The QR code is inline SVG (segno), so WeasyPrint fetches nothing.
"""

from __future__ import annotations

from collections.abc import Iterable

import segno
from django.conf import settings
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import translation
from django.utils.http import urlencode
from django.utils.safestring import mark_safe

from constellation.events.models import Event, Registration

PER_SHEET = 4


def checkin_url(registration: Registration, event: Event) -> str:
    return (
        settings.SITE_URL
        + reverse("events:checkin", args=[event.slug])
        + "?"
        + urlencode({"code": registration.badge_token})
    )


def qr_svg(data: str) -> str:
    return segno.make(data, error="m").svg_inline(scale=4, border=2, omitsize=True)


def badges_pdf(
    event: Event, registrations: Iterable[Registration], *, sheet: bool, language: str | None = None
) -> bytes:
    from constellation.insights.reports import pdf_from_html

    badges = [
        {"registration": r, "qr": mark_safe(qr_svg(checkin_url(r, event))), "number": f"{r.pk:05d}"}  # noqa: S308
        for r in registrations
    ]
    pages = (
        [badges[i : i + PER_SHEET] for i in range(0, len(badges), PER_SHEET)]
        if sheet
        else [[b] for b in badges]
    )
    language = language or translation.get_language() or "en"
    with translation.override(language):
        html = render_to_string(
            "events/registration/badge_document.html",
            {"event": event, "pages": pages, "sheet": sheet, "LANGUAGE_CODE": language},
        )
    return pdf_from_html(html)
