"""What one row of an import may contain, and how it is checked.

Each kind of import has a row form: its fields are the targets a column can be mapped to,
its cleaning turns spreadsheet text ("Science centre | Planetarium", "France", "45,76")
into values the networks services accept. `Lookups` holds the vocabularies, networks and
countries for one import, loaded once, so checking 10,000 rows costs a handful of queries.
"""

from __future__ import annotations

import re
from functools import cached_property

from django import forms
from django.conf import settings
from django.core.exceptions import ValidationError
from django.utils import translation
from django.utils.text import format_lazy
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django_countries import countries

from constellation.networks import geocoding, validators
from constellation.networks.models import (
    Kind,
    Membership,
    MembershipCategory,
    Network,
    Organisation,
    Topic,
    VisitorsBand,
    normalise,
)
from constellation.networks.rules import staff_network_ids

LIST_SEPARATORS = re.compile(r"[|;]")
COUNTRY_ALIASES = {"united states": "US", "uk": "GB", "great britain": "GB", "ivory coast": "CI"}


def split_list(raw: str) -> list[str]:
    """'Aquarium | Zoo; Festival' -> ['Aquarium', 'Zoo', 'Festival']."""
    return [part.strip() for part in LIST_SEPARATORS.split(raw or "") if part.strip()]


def match_key(text: str) -> str:
    """'Year founded', 'year_founded' and 'YEAR-FOUNDED' all give 'yearfounded'."""
    return re.sub(r"[\s_\-]+", "", normalise(str(text)))


class Lookups:
    """Everything a row refers to by name, loaded on first use and kept for the whole import.

    `actor` limits what the import may touch: network staff may only add memberships of
    networks they run and only update organisations of those networks. No actor (the
    command line) or a superuser may touch everything.
    """

    def __init__(self, *, actor=None):
        self.actor = actor
        self.unrestricted = actor is None or actor.is_superuser
        self._countries: dict[str, str] = {}

    @staticmethod
    def _by_slug_and_name(rows) -> dict[str, int]:
        index: dict[str, int] = {}
        for pk, slug, name in rows:
            index.setdefault(normalise(name), pk)
            index[normalise(slug)] = pk
        return index

    @cached_property
    def kinds(self) -> dict[str, int]:
        return self._by_slug_and_name(Kind.objects.values_list("pk", "slug", "name"))

    @cached_property
    def topics(self) -> dict[str, int]:
        return self._by_slug_and_name(Topic.objects.values_list("pk", "slug", "name"))

    @cached_property
    def networks(self) -> dict[str, Network]:
        index: dict[str, Network] = {}
        for network in Network.objects.all():
            index[normalise(network.slug)] = network
            index[normalise(network.acronym)] = network
        return index

    @cached_property
    def allowed_network_ids(self) -> set[int] | None:
        return None if self.unrestricted else staff_network_ids(self.actor)

    @cached_property
    def categories(self) -> dict[tuple[int, str], MembershipCategory]:
        index: dict[tuple[int, str], MembershipCategory] = {}
        for category in MembershipCategory.objects.select_related("network"):
            index.setdefault((category.network_id, normalise(category.name)), category)
            index[(category.network_id, normalise(category.slug))] = category
        return index

    @cached_property
    def organisations(self) -> dict[str, list[int]]:
        index: dict[str, list[int]] = {}
        for pk, slug, name in Organisation.objects.values_list("pk", "slug", "name"):
            index.setdefault(normalise(name), []).append(pk)
            index.setdefault(normalise(slug), []).append(pk)
        return index

    @cached_property
    def manageable_organisation_ids(self) -> set[int] | None:
        """Organisations the actor may change: those with a membership in a network they run."""
        if self.unrestricted:
            return None
        return set(
            Membership.objects.filter(network_id__in=self.allowed_network_ids).values_list("organisation_id", flat=True)
        )

    def may_change_organisation(self, organisation_id: int) -> bool:
        allowed = self.manageable_organisation_ids
        return allowed is None or organisation_id in allowed

    def remember_organisation(self, organisation_id: int) -> None:
        """An organisation this import created: later rows with the same key may update it."""
        if self.manageable_organisation_ids is not None:
            self.manageable_organisation_ids.add(organisation_id)

    def country(self, raw: str) -> str:
        """An ISO code (FR, FRA), or a country's name in English or a content language."""
        key = normalise(raw).strip()
        if key not in self._countries:
            self._countries[key] = self._find_country(raw.strip())
        code = self._countries[key]
        if not code:
            raise ValidationError(_("“%(value)s” is not a country we know; use its ISO code, such as FR.") % {"value": raw})
        return code

    @staticmethod
    def _find_country(raw: str) -> str:
        if len(raw) in (2, 3) and raw.isalpha():
            code = countries.alpha2(raw)
            if code:
                return code
        name = raw.casefold().removeprefix("the ").strip()
        if name in COUNTRY_ALIASES:
            return COUNTRY_ALIASES[name]
        for language, _name in settings.CONTENT_LANGUAGES:
            code = countries.by_name(name, language=language)
            if code:
                return code
        return ""

    def resolve(self, raw: str, index: dict, message: str) -> list:
        found, unknown = [], []
        for item in split_list(raw):
            value = index.get(normalise(item))
            if value is None:
                unknown.append(item)
            elif value not in found:
                found.append(value)
        if unknown:
            raise ValidationError(message % {"values": ", ".join(f"“{item}”" for item in unknown)})
        return found


class CommaFloatField(forms.FloatField):
    """Accepts 45.76 and 45,76: spreadsheets in many languages write a decimal comma."""

    def to_python(self, value):
        if isinstance(value, str):
            value = value.replace(",", ".")
        return super().to_python(value)


def _text(label, max_length: int, **kwargs) -> forms.CharField:
    return forms.CharField(label=label, max_length=max_length, required=kwargs.pop("required", False), **kwargs)


def description_fields() -> dict[str, str]:
    """Row field -> language code: `description` is English, `description_fr` French..."""
    fields = {"description": settings.LANGUAGE_CODE}
    for code, _name in settings.CONTENT_LANGUAGES:
        if code != settings.LANGUAGE_CODE:
            fields[f"description_{code}"] = code
    return fields


class RowForm(forms.Form):
    """Checks one row. `data` maps field names to the raw text from the file.

    A kind another app provides (see `ImportsConfig.ready`) also writes its own rows
    (`write_row`), may refuse a key column (`accepts_key`) and may offer one value for
    every row on the mapping page (`fixed_value_fields`).
    """

    accepts_key = True

    def __init__(self, data: dict[str, str], *, lookups: Lookups):
        super().__init__(data)
        self.lookups = lookups

    @classmethod
    def targets(cls) -> list[tuple[str, str, bool]]:
        """(field, label, required) for every field a column can be mapped to."""
        return [(name, str(field.label), field.required) for name, field in cls.base_fields.items()]

    def error_message(self) -> str:
        """All of the row's problems in one line, each prefixed with the field's label."""
        parts = []
        for field, errors in self.errors.items():
            text = " ".join(errors)
            if field == forms.forms.NON_FIELD_ERRORS or field not in self.fields:
                parts.append(text)
            else:
                parts.append(f"{self.fields[field].label}: {text}")
        return "; ".join(parts)

    def display(self, present: set[str]) -> list[tuple[str, str]]:
        """(label, text) of each imported field, as the import will store it."""
        cells = []
        for name, field in self.fields.items():
            if name not in present:
                continue
            value = self.cleaned_data.get(name) if self.is_bound and not self.errors else self.data.get(name)
            cells.append((str(field.label), self.display_value(name, value)))
        return cells

    def display_value(self, name: str, value) -> str:
        if value is None:
            return ""
        if isinstance(value, list | tuple):
            return ", ".join(self.display_value(name, item) for item in value)
        return str(value)

    def coordinates_preview(self) -> str:
        return ""

    @classmethod
    def fixed_value_fields(cls, user) -> dict[str, forms.Field]:
        """Form fields offering one value for every row, by row field name."""
        return {}

    def is_new(self) -> bool | None:
        """Whether the row adds a record, for kinds that know it without a key column."""
        return None

    @classmethod
    def write_row(cls, data: dict, *, actor) -> bool:
        """Write a checked row through the owning app's services; True if it added a record."""
        raise NotImplementedError

    def _list(self, name: str, index: dict, message: str) -> list:
        return self.lookups.resolve(self.cleaned_data.get(name) or "", index, message)


class OrganisationRowForm(RowForm):
    name = _text(gettext_lazy("Name"), 200, required=True)
    native_name = _text(gettext_lazy("Name in its own language"), 200)
    kinds = forms.CharField(label=gettext_lazy("Kinds"), required=False)
    address = _text(gettext_lazy("Address"), 300)
    city = _text(gettext_lazy("City"), 120)
    region = _text(gettext_lazy("Region"), 120)
    country = forms.CharField(label=gettext_lazy("Country"))
    latitude = CommaFloatField(
        label=gettext_lazy("Latitude"), required=False, validators=[validators.validate_latitude]
    )
    longitude = CommaFloatField(
        label=gettext_lazy("Longitude"), required=False, validators=[validators.validate_longitude]
    )
    website = forms.URLField(label=gettext_lazy("Website"), required=False, max_length=200, assume_scheme="https")
    year_founded = forms.IntegerField(label=gettext_lazy("Year founded"), required=False)
    visitors_band = forms.CharField(label=gettext_lazy("Annual visitors"), required=False)
    topics = forms.CharField(label=gettext_lazy("Topics"), required=False)
    languages = forms.CharField(label=gettext_lazy("Languages"), required=False)
    networks = forms.CharField(label=gettext_lazy("Networks"), required=False)
    membership_category = forms.CharField(label=gettext_lazy("Membership category"), required=False)

    def clean_kinds(self) -> list[int]:
        return self._list("kinds", self.lookups.kinds, _("Unknown kind %(values)s; use the slugs or English names listed in the admin."))

    def clean_topics(self) -> list[int]:
        return self._list("topics", self.lookups.topics, _("Unknown topic %(values)s."))

    def clean_country(self) -> str:
        return self.lookups.country(self.cleaned_data["country"])

    def clean_year_founded(self) -> int | None:
        value = self.cleaned_data.get("year_founded")
        validators.validate_year_founded(value)
        return value

    def clean_visitors_band(self) -> str:
        raw = self.cleaned_data.get("visitors_band") or ""
        if not raw:
            return ""
        for value, label in VisitorsBand.choices:
            if normalise(raw) in (normalise(value), normalise(str(label))):
                return value
        raise ValidationError(
            _("“%(value)s” is not one of %(choices)s.") % {"value": raw, "choices": ", ".join(VisitorsBand.values)}
        )

    def clean_languages(self) -> list[str]:
        return validators.parse_language_codes(self.cleaned_data.get("languages") or "")

    def clean_networks(self) -> list[Network]:
        networks = self._list("networks", self.lookups.networks, _("Unknown network %(values)s; use the network's acronym."))
        allowed = self.lookups.allowed_network_ids
        forbidden = [str(n) for n in networks if allowed is not None and n.pk not in allowed]
        if forbidden:
            raise ValidationError(_("You do not run %(networks)s, so you cannot add members to it.") % {"networks": ", ".join(forbidden)})
        return networks

    def clean(self):
        data = super().clean()
        if (data.get("latitude") is None) != (data.get("longitude") is None) and not (
            self.has_error("latitude") or self.has_error("longitude")
        ):
            raise ValidationError(_("Give both latitude and longitude, or neither."))
        raw_category = data.get("membership_category")
        data["membership_category"] = None
        # Without a networks field (checking `--set` values alone) there is nothing to match.
        if raw_category and "networks" in self.data and "networks" in data:
            data["membership_category"] = self._category(raw_category, data["networks"])
        return data

    def _category(self, raw: str, networks: list[Network]) -> MembershipCategory | None:
        if not networks:
            self.add_error("membership_category", _("Give the network this category belongs to."))
            return None
        for network in networks:
            category = self.lookups.categories.get((network.pk, normalise(raw)))
            if category is not None:
                return category
        self.add_error(
            "membership_category",
            _("“%(value)s” is not a membership category of %(networks)s.")
            % {"value": raw, "networks": ", ".join(str(n) for n in networks)},
        )
        return None

    def display_value(self, name: str, value) -> str:
        if name in ("kinds", "topics") and isinstance(value, list):
            model = Kind if name == "kinds" else Topic
            return ", ".join(str(item) for item in model.objects.filter(pk__in=value))
        if name == "country" and value and not self.errors:
            return f"{countries.name(value)} ({value})"
        return super().display_value(name, value)

    def coordinates_preview(self) -> str:
        """Where the coordinates will come from, for the preview."""
        data = self.cleaned_data
        if data.get("latitude") is not None:
            return _("%(lat)s, %(lon)s (supplied)") % {"lat": data["latitude"], "lon": data["longitude"]}
        point = geocoding.locate(data.get("city") or "", data.get("country") or "")
        if point:
            return _("%(lat)s, %(lon)s (from the city)") % {"lat": round(point[0], 4), "lon": round(point[1], 4)}
        return _("none: city not found")


def _add_description_fields(form_class: type[RowForm]) -> None:
    """One field per content language, after the website: `description`, `description_fr`..."""
    names = dict(settings.CONTENT_LANGUAGES)
    fields = {}
    for name, field in form_class.base_fields.items():
        fields[name] = field
        if name == "website":
            for description, code in description_fields().items():
                label = format_lazy(gettext_lazy("Description ({language})"), language=names[code])
                fields[description] = _text(label, 5000)
    form_class.base_fields = fields


_add_description_fields(OrganisationRowForm)


class PersonRowForm(RowForm):
    name = _text(gettext_lazy("Name"), 200, required=True)
    email = forms.EmailField(label=gettext_lazy("Email"), required=False)
    title = _text(gettext_lazy("Job title"), 200)
    bio = _text(gettext_lazy("Biography"), 5000)
    expertise = _text(gettext_lazy("Expertise"), 300)
    languages = forms.CharField(label=gettext_lazy("Languages"), required=False)
    organisation = forms.CharField(label=gettext_lazy("Organisation"), required=False)
    role = _text(gettext_lazy("Role"), 200)

    def clean_languages(self) -> list[str]:
        return validators.parse_language_codes(self.cleaned_data.get("languages") or "")

    def clean_organisation(self) -> int | None:
        raw = self.cleaned_data.get("organisation") or ""
        if not raw:
            return None
        matches = self.lookups.organisations.get(normalise(raw), [])
        if not matches:
            raise ValidationError(_("No organisation is called “%(value)s”; use its exact name or slug.") % {"value": raw})
        if len(set(matches)) > 1:
            raise ValidationError(_("Several organisations are called “%(value)s”; use the slug instead.") % {"value": raw})
        return matches[0]

    def clean(self):
        data = super().clean()
        if data.get("role") and "organisation" in self.data and not data.get("organisation") and not self.has_error("organisation"):
            self.add_error("role", _("A role needs an organisation."))
        return data

    def display_value(self, name: str, value) -> str:
        if name == "organisation" and isinstance(value, int):
            return Organisation.objects.filter(pk=value).values_list("name", flat=True).first() or ""
        return super().display_value(name, value)


class SharedFields(dict):
    """Row forms never change their fields, so all rows share one set instead of a deep copy
    each (copying the fields was a fifth of the time of a large import)."""

    def __deepcopy__(self, memo):
        return self


ROW_FORMS: dict[str, type[RowForm]] = {"organisations": OrganisationRowForm, "people": PersonRowForm}
for _form_class in ROW_FORMS.values():
    _form_class.base_fields = SharedFields(_form_class.base_fields)


def fixed_value_errors(kind: str, fixed_values: dict[str, str], *, lookups: Lookups) -> list[str]:
    """Check values given for every row (`--set country=FR`) before any row is read."""
    form = ROW_FORMS[kind](dict(fixed_values), lookups=lookups)
    form.is_valid()
    return [
        f"{form.fields[field].label}: {' '.join(errors)}"
        for field, errors in form.errors.items()
        if field in fixed_values
    ]


def translated(language: str | None):
    """Row messages in the language of the person who started the import."""
    return translation.override(language or settings.LANGUAGE_CODE)
