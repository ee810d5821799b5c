"""The passport router: programmes, their venues, and where a membership gets the benefit."""

from __future__ import annotations

from typing import Annotated

from django.core.exceptions import ValidationError
from django.http import Http404
from django.urls import reverse
from django.utils.translation import gettext as _
from ninja import Path, Query, Router

from constellation.networks.schemas import errors
from constellation.passport import places, queries, services
from constellation.passport.models import Programme
from constellation.passport.schemas import (
    EligibleList,
    EligibleQuery,
    PassportPointList,
    ProgrammeList,
    VenueList,
)

router = Router(tags=["passport"])

IdPath = Annotated[int, Path(ge=1, le=2**31 - 1)]


def _programme(request, programme_id: int) -> Programme:
    programme = Programme.objects.select_related("network").filter(pk=programme_id).first()
    if programme is None or not (programme.is_active or queries.can_manage(request.user, programme)):
        raise Http404
    return programme


def _organisation_url_template() -> str:
    """reverse() once per request, not once per venue: a programme may list thousands."""
    return reverse("networks:organisation-detail", args=["__slug__"])


def _venue(row, url_template: str) -> dict:
    return {
        "id": row.id, "slug": row.slug, "name": row.name, "city": row.city, "region": row.region,
        "country": row.country, "country_name": row.country_name, "latitude": row.latitude,
        "longitude": row.longitude, "url": url_template.replace("__slug__", row.slug),
        "free_general_admission": row.free_general_admission, "other_benefit": row.other_benefit,
        "adults_covered": row.adults_covered, "children_covered": row.children_covered,
        "id_required": row.id_required, "exclusions": row.exclusions,
    }


@router.get("/programmes", response=ProgrammeList, url_name="passport_programmes")
def list_programmes(request):
    from django.db.models import Count, Q

    from constellation.passport.models import VenueStatus

    programmes = queries.programmes_public().annotate(
        active_venues=Count("venues", filter=Q(venues__status=VenueStatus.ACTIVE))
    )
    items = [
        {
            "id": p.pk, "network": p.network.acronym, "network_slug": p.network.slug, "name": p.name,
            "radius": float(p.radius), "unit": p.unit, "radius_km": p.radius_km, "venue_count": p.active_venues,
            "url": p.get_absolute_url(),
        }
        for p in programmes
    ]
    return {"items": items, "count": len(items)}


@router.get("/programmes/{programme_id}/venues", response={200: VenueList, **errors(404, 422)}, url_name="passport_venues")
def list_venues(request, programme_id: IdPath):
    table = queries.venue_table(_programme(request, programme_id))
    template = _organisation_url_template()
    items = [_venue(row, template) for row in table.rows]
    return {"items": items, "count": len(items)}


@router.get(
    "/programmes/{programme_id}/eligible/points", response={200: PassportPointList, **errors(404, 422)},
    url_name="passport_eligible_points",
)
def eligible_points(request, programme_id: IdPath, params: Query[EligibleQuery]):
    """The same venues as `eligible`, with only what a map needs (the finder's map reads this)."""
    programme, table, finding = _find(request, programme_id, params)
    template = _organisation_url_template()
    items = [
        {"name": m.venue.name, "url": template.replace("__slug__", m.venue.slug), "city": m.venue.city,
         "country_name": m.venue.country_name, "latitude": m.venue.latitude, "longitude": m.venue.longitude}
        for m in finding.eligible[:]
    ]
    return {"items": items, "count": len(items)}


@router.get("/programmes/{programme_id}/eligible", response={200: EligibleList, **errors(404, 422)}, url_name="passport_eligible")
def eligible(request, programme_id: IdPath, params: Query[EligibleQuery]):
    """Venues where a member of `member`, living at `place` (or `lat`/`lon`), gets the benefit, nearest first."""
    programme, table, finding = _find(request, programme_id, params)
    template = _organisation_url_template()
    items = [
        _venue(m.venue, template) | {"distance_km": m.to_home_km, "to_member_km": m.to_member_km}
        for m in finding.eligible[:]
    ]
    return {
        "items": items, "count": len(items), "member": finding.member.id, "residence": finding.home.label,
        "radius_km": programme.radius_km,
    }


def _find(request, programme_id: int, params: EligibleQuery):
    programme = _programme(request, programme_id)
    table = queries.venue_table(programme)
    member = table.get(params.member)
    if member is None:
        raise ValidationError({"member": [_("Not a venue taking part in this programme.")]})
    if params.place.strip():
        lookup = places.look_up(params.place)
        if lookup.place is None:
            choices = "; ".join(c.label for c in lookup.choices)
            raise ValidationError({"place": [f"{lookup.message} {choices}".strip()]})
        home = lookup.place
    elif params.lat is not None and params.lon is not None:
        home = places.Place(f"{params.lat}, {params.lon}", params.lat, params.lon)
    else:
        raise ValidationError({"place": [_("Give a place, or lat and lon.")]})
    return programme, table, services.find_venues(table=table, member=member, home=home, radius_km=programme.radius_km)
