"""Everything that changes a passport programme, and the two questions visitors ask.

State changes (`create_programme`, `update_programme`, `join_programme`, `update_benefit`,
`approve_venue`, `withdraw_venue`) run in one transaction each and leave an audit row
(django-simple-history, with the actor). `find_venues` (the finder, the API) and
`check_admission` (the front desk) only read: both apply `eligibility.evaluate`.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

import numpy as np
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from constellation.core.geo import distances_km
from constellation.networks.models import MembershipStatus, Network, Organisation
from constellation.networks.services import DomainError
from constellation.passport.eligibility import evaluate
from constellation.passport.models import DistanceUnit, Programme, Venue, VenueStatus
from constellation.passport.places import Place
from constellation.passport.queries import VenueRow, VenueTable

BENEFIT_FIELDS = (
    "free_general_admission", "other_benefit", "adults_covered", "children_covered", "id_required", "exclusions",
    "notes",
)
PROGRAMME_FIELDS = ("name", "radius", "unit", "is_active", "description", "rules", "contact_email")


def _mark_actor(instance, actor) -> None:
    if actor is not None and getattr(actor, "is_authenticated", False):
        instance._history_user = actor


def _check_benefit(values: dict[str, Any]) -> None:
    if not values.get("free_general_admission", True) and not (values.get("other_benefit") or "").strip():
        raise DomainError(_("Say what the benefit is: free general admission, or another benefit."))


# -- The programme ------------------------------------------------------------------------------


def create_programme(
    *, network: Network, name: str, radius: Decimal | float | str, unit: str = DistanceUnit.MILES, actor=None, **fields
) -> Programme:
    """A network's programme (one per network). The radius is kept as entered, with its unit."""
    programme = Programme(network=network, name=name, radius=Decimal(str(radius)), unit=unit, **fields)
    _mark_actor(programme, actor)
    try:
        with transaction.atomic():
            programme.full_clean(validate_unique=False)
            programme.save()
    except IntegrityError:
        raise DomainError(_("%(network)s already runs a passport programme.") % {"network": network.acronym}) from None
    return programme


def update_programme(*, programme: Programme, actor=None, **fields) -> Programme:
    unknown = set(fields) - set(PROGRAMME_FIELDS)
    if unknown:
        raise ValueError(f"Not programme fields: {sorted(unknown)}")
    with transaction.atomic():
        for name, value in fields.items():
            setattr(programme, name, value)
        programme.full_clean()
        _mark_actor(programme, actor)
        programme.save()
    return programme


# -- Venues ---------------------------------------------------------------------------------------


def join_programme(*, programme: Programme, organisation: Organisation, actor=None, approve: bool = False, **benefit) -> Venue:
    """Opt an organisation in; it waits for the network unless `approve` (network staff).

    Only an active member of the programme's network with coordinates can take part: the
    rule is about distances. A withdrawn venue joins again with its benefit kept; joining
    twice is an error, so a form sent twice writes once.
    """
    _check_benefit(benefit)
    if not organisation.has_coordinates:
        raise DomainError(
            _("%(name)s has no map coordinates yet: add them to the organisation before joining, "
              "since the passport rule is about distances.") % {"name": organisation.name}
        )
    with transaction.atomic():
        if not organisation.memberships.filter(network=programme.network, status=MembershipStatus.ACTIVE).exists():
            raise DomainError(
                _("Only active members of %(network)s can take part in its passport programme.")
                % {"network": programme.network.acronym}
            )
        venue = Venue.objects.select_for_update().filter(programme=programme, organisation=organisation).first()
        if venue is not None and venue.status != VenueStatus.WITHDRAWN:
            raise DomainError(_("%(name)s already takes part (or asked to).") % {"name": organisation.name})
        if venue is None:
            venue = Venue(programme=programme, organisation=organisation)
        for name, value in benefit.items():
            if name not in BENEFIT_FIELDS:
                raise ValueError(f"Not a benefit field: {name}")
            setattr(venue, name, value)
        venue.status = VenueStatus.ACTIVE if approve else VenueStatus.PENDING
        if approve:
            venue.joined_on = timezone.localdate()
        venue.full_clean(validate_unique=False, validate_constraints=False)
        _mark_actor(venue, actor)
        venue.save()
    return venue


def update_benefit(*, venue: Venue, actor=None, **benefit) -> Venue:
    """Change what a venue offers; the finder and the lists show it at once."""
    unknown = set(benefit) - set(BENEFIT_FIELDS)
    if unknown:
        raise ValueError(f"Not benefit fields: {sorted(unknown)}")
    merged = {name: getattr(venue, name) for name in BENEFIT_FIELDS} | benefit
    _check_benefit(merged)
    with transaction.atomic():
        for name, value in benefit.items():
            setattr(venue, name, value)
        venue.full_clean(validate_unique=False, validate_constraints=False)
        _mark_actor(venue, actor)
        venue.save()
    return venue


def approve_venue(*, venue: Venue, actor=None) -> bool:
    """Pending -> taking part. False (nothing written) when it already takes part."""
    with transaction.atomic():
        venue = Venue.objects.select_for_update().select_related("organisation").get(pk=venue.pk)
        if venue.status == VenueStatus.ACTIVE:
            return False
        if not venue.organisation.has_coordinates:
            raise DomainError(_("%(name)s has no map coordinates yet.") % {"name": venue.organisation.name})
        venue.status = VenueStatus.ACTIVE
        venue.joined_on = venue.joined_on or timezone.localdate()
        _mark_actor(venue, actor)
        venue.save()
    return True


def withdraw_venue(*, venue: Venue, actor=None) -> bool:
    """Leave the programme (the venue or the network decides). False when already withdrawn."""
    with transaction.atomic():
        venue = Venue.objects.select_for_update().get(pk=venue.pk)
        if venue.status == VenueStatus.WITHDRAWN:
            return False
        venue.status = VenueStatus.WITHDRAWN
        _mark_actor(venue, actor)
        venue.save()
    return True


# -- The visitor's questions ------------------------------------------------------------------------


@dataclass(frozen=True)
class Match:
    venue: VenueRow
    distance_km: float  # from where the visitor is going (or their home)
    to_member_km: float
    to_home_km: float
    near_member: bool = False
    near_home: bool = False
    benefit_html: str = ""


class Matches(Sequence):
    """Venues in order, made into Match objects only when read (a page of thousands)."""

    def __init__(self, table: VenueTable, indices: np.ndarray, distance: np.ndarray, result):
        self.table, self.indices, self.distance, self.result = table, indices, distance, result

    def __len__(self) -> int:
        return len(self.indices)

    def _match(self, i: int) -> Match:
        r = self.result
        return Match(
            self.table.rows[i], float(self.distance[i]), float(r.to_member_km[i]), float(r.to_home_km[i]),
            bool(r.near_member[i]), bool(r.near_home[i]), self.table.benefit_html(self.table.rows[i]),
        )

    def __getitem__(self, key):
        if isinstance(key, slice):
            return [self._match(i) for i in self.indices[key].tolist()]
        return self._match(int(self.indices[key]))


@dataclass(frozen=True)
class Finding:
    member: VenueRow
    home: Place
    origin: Place  # distances and order are from here
    eligible: Matches
    excluded: Matches  # the other venues, nearest first, each with its reason (not the member's own)


def find_venues(*, table: VenueTable, member: VenueRow, home: Place, radius_km: float, going_to: Place | None = None) -> Finding:
    """Where a member of `member`, living at `home`, gets the benefit, nearest to `going_to` first."""
    index = table.position[member.id]
    result = evaluate(
        table.lats, table.lons, member_index=index, home_lat=home.latitude, home_lon=home.longitude, radius_km=radius_km
    )
    origin = going_to or home
    distance = result.to_home_km if going_to is None else distances_km(origin.latitude, origin.longitude, table.lats, table.lons)
    order = np.lexsort((np.arange(len(table)), distance))  # nearest first; ties in table order
    eligible = order[result.eligible[order]]
    excluded = order[~result.eligible[order] & (order != index)]
    return Finding(member, home, origin, Matches(table, eligible, distance, result), Matches(table, excluded, distance, result))


@dataclass(frozen=True)
class AdmissionCheck:
    admitted: bool
    reasons: list[str]
    to_member_km: float
    to_home_km: float


def check_admission(*, programme: Programme, table: VenueTable, venue: VenueRow, member: VenueRow, home: Place) -> AdmissionCheck:
    """The front desk's yes or no, with every reason that applies and both distances."""
    index = table.position[member.id]
    here = table.position[venue.id]
    result = evaluate(
        table.lats[[here, index]], table.lons[[here, index]], member_index=1, home_lat=home.latitude,
        home_lon=home.longitude, radius_km=programme.radius_km,
    )
    radius = format_radius(programme)
    reasons = []
    if venue.id == member.id:
        reasons.append(_("This is the visitor's own venue: their membership applies as usual, not the passport."))
    else:
        if result.near_member[0]:
            reasons.append(
                _("%(venue)s is %(distance)s from %(member)s, the visitor's venue: within the %(radius)s radius.")
                % {"venue": venue.name, "member": member.name, "distance": _format_distance(programme, result.to_member_km[0]),
                   "radius": radius}
            )
        if result.near_home[0]:
            reasons.append(
                _("%(venue)s is %(distance)s from the visitor's home (%(home)s): within the %(radius)s radius.")
                % {"venue": venue.name, "home": home.label, "distance": _format_distance(programme, result.to_home_km[0]),
                   "radius": radius}
            )
    admitted = bool(result.eligible[0])
    if admitted:
        reasons.append(
            _("More than %(radius)s from both the visitor's venue (%(member_distance)s) and their home (%(home_distance)s).")
            % {"radius": radius, "member_distance": _format_distance(programme, result.to_member_km[0]),
               "home_distance": _format_distance(programme, result.to_home_km[0])}
        )
    return AdmissionCheck(admitted, reasons, float(result.to_member_km[0]), float(result.to_home_km[0]))


def _format_distance(programme: Programme, km: float) -> str:
    value = programme.in_unit(float(km))
    if programme.unit == DistanceUnit.MILES:
        return _("%(value).1f mi") % {"value": value}
    return _("%(value).1f km") % {"value": value}


format_distance = _format_distance


def format_radius(programme: Programme) -> str:
    """The radius as the network gives it: "90 mi", "100 km", "12.5 km"."""
    value = f"{programme.radius.normalize():f}" if isinstance(programme.radius, Decimal) else str(programme.radius)
    if programme.unit == DistanceUnit.MILES:
        return _("%(value)s mi") % {"value": value}
    return _("%(value)s km") % {"value": value}
