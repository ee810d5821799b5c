"""Reads: the venues of a programme as one table, and who may see what.

The finder, the front desk and the API evaluate the rule over every active venue of a
programme on each request, so the table is read with one `values_list` query (no model
instances, no per-venue queries) and its coordinates become numpy arrays.
"""

from __future__ import annotations

import threading
from dataclasses import dataclass
from functools import cached_property

import numpy as np
from django.db.models import QuerySet
from django.utils import translation
from django_countries import countries

from constellation.networks.models import Affiliation, Organisation
from constellation.networks.rules import staff_network_ids
from constellation.passport.models import Programme, Venue, new_version

STATE_COUNTRIES = ("US", "CA", "AU", "MX")
COLUMNS = (
    "organisation_id", "organisation__slug", "organisation__name", "organisation__city", "organisation__region",
    "organisation__country", "organisation__latitude", "organisation__longitude", "free_general_admission",
    "other_benefit", "adults_covered", "children_covered", "id_required", "exclusions", "notes",
)


@dataclass(frozen=True)
class VenueRow:
    """A participating venue; `id` is its organisation's id, as everywhere in the API."""

    id: int
    slug: str
    name: str
    city: str
    region: str
    country: str
    latitude: float
    longitude: float
    free_general_admission: bool
    other_benefit: str
    adults_covered: int
    children_covered: int
    id_required: bool
    exclusions: str
    notes: str
    country_name: str = ""

    @property
    def group(self) -> str:
        """Country, and the state or region where networks list venues by state (US, Canada...)."""
        if self.region and self.country in STATE_COUNTRIES:
            return f"{self.country_name}: {self.region}"
        return self.country_name

    @property
    def place(self) -> str:
        return ", ".join(part for part in (self.city, self.region if self.country in ("US", "CA") else "") if part)


class VenueTable:
    """The active venues of a programme, sorted by country, region and name."""

    def __init__(self, rows: list[VenueRow]):
        self.rows = sorted(rows, key=lambda r: (r.country_name, r.region, r.name.casefold(), r.id))
        self.lats = np.array([r.latitude for r in self.rows], dtype=float)
        self.lons = np.array([r.longitude for r in self.rows], dtype=float)
        self.position = {row.id: i for i, row in enumerate(self.rows)}
        self._benefits: dict[int, str] = {}

    def __len__(self) -> int:
        return len(self.rows)

    def benefit_html(self, row: VenueRow) -> str:
        """The venue's benefit in words (passport/benefit.html), rendered once per table."""
        html = self._benefits.get(row.id)
        if html is None:
            from django.template.loader import render_to_string

            html = self._benefits[row.id] = render_to_string("passport/benefit.html", {"venue": row})
        return html

    def get(self, organisation_id) -> VenueRow | None:
        try:
            index = self.position.get(int(organisation_id))
        except (TypeError, ValueError):
            return None
        return None if index is None else self.rows[index]

    @cached_property
    def options_html(self) -> str:
        """The <option>s of a venue select, grouped, rendered once per table (forms.VenueSelect)."""
        from django.utils.html import conditional_escape

        parts = []
        for group, rows in self.groups:
            parts.append(f'<optgroup label="{conditional_escape(group)}">')
            for row in rows:
                label = f"{row.name} ({row.city})" if row.city else row.name
                parts.append(f'<option value="{row.id}">{conditional_escape(label)}</option>')
            parts.append("</optgroup>")
        return "".join(parts)

    @cached_property
    def groups(self) -> list[tuple[str, list[VenueRow]]]:
        grouped: dict[str, list[VenueRow]] = {}
        for row in self.rows:
            grouped.setdefault(row.group, []).append(row)
        return list(grouped.items())


# Per process: programme id and language -> (version, table). A finder request then costs one
# small aggregate query instead of reading and sorting thousands of rows.
_TABLES: dict[tuple[int, str], tuple[tuple, VenueTable]] = {}
_TABLES_LOCK = threading.Lock()


def venue_table(programme: Programme) -> VenueTable:
    """The programme's active venues, read again only when `venues_version` has moved on.

    Every save or delete of a venue or of a participating organisation bumps the version
    (signals.py), in the same transaction. A queryset `.update()` on organisations would
    not: call `bump_venues_version` after one.
    """
    key = (programme.pk, translation.get_language() or "")
    cached = _TABLES.get(key)
    if cached is not None and cached[0] == programme.venues_version:
        return cached[1]
    table = read_venue_table(programme)
    with _TABLES_LOCK:
        _TABLES[key] = (programme.venues_version, table)
    return table


def bump_venues_version(**filters) -> None:
    """Mark the venue tables of the matching programmes stale, e.g. `pk=3` or `venues__organisation_id=7`."""
    ids = list(Programme.objects.filter(**filters).values_list("pk", flat=True).distinct())
    if ids:
        Programme.objects.filter(pk__in=ids).update(venues_version=new_version())


def read_venue_table(programme: Programme) -> VenueTable:
    values = Venue.objects.active().filter(programme=programme).values_list(*COLUMNS)
    # Country names are translated lookups: once per country, not once per venue.
    names: dict[str, str] = {}
    rows = []
    for value in values:
        country = value[5]
        if country not in names:
            names[country] = countries.name(country) or country
        rows.append(VenueRow(*(v if v is not None else "" for v in value), country_name=names[country]))
    return VenueTable(rows)


def programmes_public() -> QuerySet[Programme]:
    return Programme.objects.filter(is_active=True).select_related("network").order_by("name")


def programme_for(user, network_slug: str) -> Programme | None:
    """A programme by its network's slug; a closed one only for that network's staff."""
    programme = Programme.objects.select_related("network").filter(network__slug=network_slug).first()
    if programme is None:
        return None
    if programme.is_active or can_manage(user, programme):
        return programme
    return None


def can_manage(user, programme: Programme) -> bool:
    return user.is_authenticated and (user.is_superuser or programme.network_id in staff_network_ids(user))


def front_desk_venues(user, programme: Programme, table: VenueTable) -> list[VenueRow]:
    """Where the user may check visitors: every venue for network staff, else their workplaces."""
    if not user.is_authenticated:
        return []
    if can_manage(user, programme):
        return table.rows
    mine = set(
        Affiliation.objects.current().filter(person__user=user).values_list("organisation_id", flat=True)
    )
    return [row for row in table.rows if row.id in mine]


def organisations_managed_by(user) -> QuerySet[Organisation]:
    """Organisations whose passport participation the user may change (admins, network staff)."""
    if not user.is_authenticated:
        return Organisation.objects.none()
    if user.is_superuser:
        return Organisation.objects.all()
    from django.db.models import Q

    admin_of = Affiliation.objects.current().filter(person__user=user, is_admin=True).values("organisation_id")
    return Organisation.objects.filter(
        Q(pk__in=admin_of) | Q(memberships__network_id__in=staff_network_ids(user))
    ).distinct()
