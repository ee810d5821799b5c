"""Passport pages: the public finder and participant list, the front desk, venue and programme settings."""

from __future__ import annotations

import csv
import hashlib
from urllib.parse import urlencode

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.cache import cache
from django.core.paginator import Paginator
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from constellation.core.htmx import render_page
from constellation.core.spreadsheets import safe_row
from constellation.insights.reports import pdf_from_html
from constellation.networks.models import MembershipStatus, Organisation
from constellation.networks.services import DomainError
from constellation.passport import queries, services
from constellation.passport.forms import BenefitForm, FinderForm, FrontDeskForm, ProgrammeForm
from constellation.passport.models import Programme, Venue, VenueStatus

PAGE_SIZE = 25
EXCLUDED_SHOWN = 20


def _programme_or_404(request, network: str) -> Programme:
    programme = queries.programme_for(request.user, network)
    if programme is None:
        raise Http404
    return programme


def programme_list(request):
    programmes = list(queries.programmes_public())
    return render(request, "passport/programme_list.html", {"programmes": programmes})


def finder(request, network: str):
    """'I am a member of X and I live in Y': where the benefit applies, on a list and a map."""
    programme = _programme_or_404(request, network)
    table = queries.venue_table(programme)
    asked = any(key in request.GET for key in ("member", "place", "latitude"))
    form = FinderForm(request.GET if asked else None, table=table)
    finding = page = None
    if asked and form.is_valid():
        data = form.cleaned_data
        finding = services.find_venues(
            table=table, member=data["member"], home=data["home"], radius_km=programme.radius_km,
            going_to=data.get("destination"),
        )
        page = Paginator(finding.eligible, PAGE_SIZE).get_page(request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    no_place, no_going = query.copy(), query.copy()
    for key in ("place", "latitude", "longitude"):
        no_place.pop(key, None)
    no_going.pop("going_to", None)
    context = {
        "programme": programme,
        "form": form,
        "finding": finding,
        "page": page,
        "excluded": finding.excluded[:EXCLUDED_SHOWN] if finding else [],
        "excluded_count": len(finding.excluded) if finding else 0,
        # Translated once, not once per listed venue.
        "near_member_text": _("within %(radius)s of your member venue") % {"radius": services.format_radius(programme)},
        "near_home_text": _("within %(radius)s of your home") % {"radius": services.format_radius(programme)},
        "radius": services.format_radius(programme),
        "query": query.urlencode(),
        "query_no_place": no_place.urlencode(),
        "query_no_going": no_going.urlencode(),
        "points_url": (
            reverse("api-1.0.0:passport_eligible_points", args=[programme.pk]) + "?" + urlencode(
                {"member": form.cleaned_data["member"].id, "lat": finding.home.latitude, "lon": finding.home.longitude}
            )
            if finding else ""
        ),
        "venue_count": len(table),
        # One reverse() for the page's links to organisations, not one per listed venue.
        "organisation_url": reverse("networks:organisation-detail", args=["__slug__"]).split("__slug__"),
        "can_manage": queries.can_manage(request.user, programme),
    }
    return render_page(request, "passport/finder.html", context, partial="results")


def participants(request, network: str):
    programme = _programme_or_404(request, network)
    table = queries.venue_table(programme)
    context = {"programme": programme, "table": table, "radius": services.format_radius(programme)}
    return render(request, "passport/participants.html", context)


CSV_COLUMNS = (
    "id", "name", "city", "region", "country", "latitude", "longitude", "free_general_admission", "other_benefit",
    "adults_covered", "children_covered", "id_required", "exclusions", "notes",
)


def participants_csv(request, network: str):
    programme = _programme_or_404(request, network)
    table = queries.venue_table(programme)
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="passport-{programme.network.slug}.csv"'
    writer = csv.writer(response)
    writer.writerow(CSV_COLUMNS)
    for row in table.rows:
        writer.writerow(safe_row([
            row.id, row.name, row.city, row.region, row.country, row.latitude, row.longitude,
            "yes" if row.free_general_admission else "no", row.other_benefit, row.adults_covered, row.children_covered,
            "yes" if row.id_required else "no", row.exclusions, row.notes,
        ]))
    return response


def participants_pdf(request, network: str):
    """The list as networks print it. Built once per version of the venues and the rules, then cached."""
    programme = _programme_or_404(request, network)
    language = translation.get_language() or ""
    stamp = hashlib.sha256(
        "\x1f".join([programme.name, str(programme.radius), programme.unit, programme.rules, programme.contact_email])
        .encode()
    ).hexdigest()[:16]
    key = f"passport-pdf:{programme.pk}:{programme.venues_version}:{language}:{stamp}"
    pdf = cache.get(key)
    if pdf is None:
        table = queries.venue_table(programme)
        html = render_to_string(
            "passport/participants_document.html",
            {"programme": programme, "table": table, "radius": services.format_radius(programme), "LANGUAGE_CODE": language},
            request=request,
        )
        pdf = pdf_from_html(html)
        cache.set(key, pdf, timeout=24 * 3600)
    response = HttpResponse(pdf, content_type="application/pdf")
    response["Content-Disposition"] = f'attachment; filename="passport-{programme.network.slug}.pdf"'
    return response


@login_required
def front_desk(request, network: str):
    """Venue staff: may this visitor come in free here? A big yes or no, with the reasons."""
    programme = _programme_or_404(request, network)
    table = queries.venue_table(programme)
    venues = queries.front_desk_venues(request.user, programme, table)
    if not venues:
        raise Http404
    initial = {"venue": venues[0].id} if len(venues) == 1 else {}
    form = FrontDeskForm(request.POST if request.method == "POST" else None, table=table, venues=venues, initial=initial)
    verdict = None
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        verdict = services.check_admission(
            programme=programme, table=table, venue=data["venue"], member=data["member"], home=data["home"]
        )
    context = {"programme": programme, "form": form, "verdict": verdict,
               "radius": services.format_radius(programme)}
    return render_page(request, "passport/front_desk.html", context, partial="verdict")


@login_required
def my_venues(request, network: str):
    """The organisations the user may opt in or out, with their status in the programme."""
    programme = _programme_or_404(request, network)
    organisations = list(
        queries.organisations_managed_by(request.user)
        .filter(memberships__network=programme.network, memberships__status=MembershipStatus.ACTIVE)
        .distinct().order_by("name")
    )
    venues = {v.organisation_id: v for v in Venue.objects.filter(programme=programme, organisation__in=organisations)}
    rows = [(organisation, venues.get(organisation.pk)) for organisation in organisations]
    return render(request, "passport/my_venues.html", {"programme": programme, "rows": rows})


@login_required
def venue_settings(request, network: str, organisation: str):
    """An organisation's participation: join with a benefit, edit it, or withdraw."""
    programme = _programme_or_404(request, network)
    organisation = get_object_or_404(Organisation, slug=organisation)
    if not request.user.has_perm("passport.change_organisation_venue", organisation):
        raise Http404
    venue = Venue.objects.filter(programme=programme, organisation=organisation).first()
    joined = venue is not None and venue.status != VenueStatus.WITHDRAWN
    form = BenefitForm(request.POST or None, instance=venue if venue else Venue(programme=programme, organisation=organisation))
    if request.method == "POST" and form.is_valid():
        benefit = {name: form.cleaned_data[name] for name in services.BENEFIT_FIELDS}
        try:
            if joined:
                services.update_benefit(venue=venue, actor=request.user, **benefit)
                messages.success(request, _("The benefit is saved."))
            else:
                approve = queries.can_manage(request.user, programme)
                services.join_programme(programme=programme, organisation=organisation, actor=request.user, approve=approve, **benefit)
                messages.success(
                    request,
                    _("%(name)s takes part.") % {"name": organisation.name} if approve
                    else _("Thank you: the network will confirm %(name)s's participation.") % {"name": organisation.name},
                )
        except DomainError as error:
            form.add_error(None, error.message)
        else:
            return redirect("passport:venue-settings", network=network, organisation=organisation.slug)
    context = {
        "programme": programme, "organisation": organisation, "venue": venue, "joined": joined, "form": form,
        "can_manage": queries.can_manage(request.user, programme),
    }
    return render(request, "passport/venue_settings.html", context, status=422 if form.errors else 200)


@login_required
@require_POST
def venue_status(request, network: str, organisation: str, action: str):
    """Withdraw (the organisation or the network) or approve (the network only)."""
    programme = _programme_or_404(request, network)
    venue = get_object_or_404(Venue.objects.select_related("organisation"), programme=programme, organisation__slug=organisation)
    manager = queries.can_manage(request.user, programme)
    if not request.user.has_perm("passport.change_venue", venue) and not manager:
        raise Http404
    try:
        if action == "approve":
            if not manager:
                raise Http404
            done = services.approve_venue(venue=venue, actor=request.user)
            messages.success(request, _("%(name)s takes part.") % {"name": venue.organisation.name} if done else _("Already taking part."))
        elif action == "withdraw":
            done = services.withdraw_venue(venue=venue, actor=request.user)
            messages.success(request, _("%(name)s has left the programme.") % {"name": venue.organisation.name} if done else _("Already withdrawn."))
        else:
            raise Http404
    except DomainError as error:
        messages.error(request, error.message)
    target = request.POST.get("next", "")
    if target == "manage" and manager:
        return redirect("passport:manage", network=network)
    return redirect("passport:venue-settings", network=network, organisation=organisation)


@login_required
def manage(request, network: str):
    """Network staff: the programme's radius and rules, and the venues waiting for approval."""
    programme = _programme_or_404(request, network)
    if not request.user.has_perm("passport.manage_programme", programme):
        raise Http404
    form = ProgrammeForm(request.POST or None, instance=programme)
    if request.method == "POST" and form.is_valid():
        services.update_programme(programme=programme, actor=request.user, **{f: form.cleaned_data[f] for f in services.PROGRAMME_FIELDS})
        messages.success(request, _("The programme is saved."))
        return redirect("passport:manage", network=network)
    venues = list(Venue.objects.filter(programme=programme).select_related("organisation").order_by("status", "organisation__name"))
    context = {"programme": programme, "form": form, "venues": venues}
    return render(request, "passport/manage.html", context, status=422 if form.errors else 200)


def place_suggestions(request):
    """Town names for the finder's datalist (htmx)."""
    from constellation.passport import places

    return render(request, "passport/finder.html#suggestions", {"suggestions": places.suggest(request.GET.get("place", ""))})
