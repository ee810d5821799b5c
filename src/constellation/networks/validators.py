"""Checks shared by forms, the API and imports, so every path rejects the same things."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext as _

LANGUAGE_CODES = {
    "af", "am", "ar", "az", "be", "bg", "bn", "bs", "ca", "cs", "cy", "da", "de", "el", "en", "es", "et",
    "eu", "fa", "fi", "fil", "fr", "ga", "gl", "gu", "ha", "he", "hi", "hr", "hu", "hy", "id", "ig", "is",
    "it", "ja", "ka", "kk", "km", "kn", "ko", "ky", "lo", "lt", "lv", "mi", "mk", "ml", "mn", "mr", "ms",
    "mt", "my", "nb", "ne", "nl", "nn", "no", "pa", "pl", "ps", "pt", "qu", "ro", "ru", "rw", "si", "sk",
    "sl", "so", "sq", "sr", "sv", "sw", "ta", "te", "tg", "th", "tk", "tl", "tr", "uk", "ur", "uz", "vi",
    "xh", "yo", "zh", "zu",
}


def validate_year_founded(value: int | None) -> None:
    if value is None:
        return
    if value < 1000 or value > timezone.now().year:
        raise ValidationError(_("Enter a year between 1000 and this year."), code="year")


def validate_latitude(value: float | None) -> None:
    if value is not None and not -90 <= value <= 90:
        raise ValidationError(_("Latitude must be between -90 and 90."), code="latitude")


def validate_longitude(value: float | None) -> None:
    if value is not None and not -180 <= value <= 180:
        raise ValidationError(_("Longitude must be between -180 and 180."), code="longitude")


def parse_language_codes(raw: str | list[str]) -> list[str]:
    """'fr, en' or ['fr', 'en'] -> ['fr', 'en'], rejecting codes that are not ISO 639-1."""
    items = raw if isinstance(raw, list) else raw.replace(";", ",").replace("|", ",").split(",")
    codes: list[str] = []
    for item in items:
        code = item.strip().lower()
        if not code:
            continue
        if code not in LANGUAGE_CODES:
            raise ValidationError(_("“%(code)s” is not a language code such as en, fr or ar.") % {"code": code})
        if code not in codes:
            codes.append(code)
    return codes
