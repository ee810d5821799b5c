from __future__ import annotations

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.db.models import Count, Q
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.http import urlencode
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from constellation.core.htmx import render_page
from constellation.networks import queries, services
from constellation.networks.forms import (
    AffiliationForm,
    DirectoryFilterForm,
    InvitationForm,
    OrganisationForm,
)
from constellation.networks.models import (
    Affiliation,
    Invitation,
    MembershipStatus,
    Network,
    Organisation,
)


def home(request: HttpRequest) -> HttpResponse:
    networks = Network.objects.annotate(
        member_count=Count("memberships", filter=Q(memberships__status=MembershipStatus.ACTIVE))
    )
    counts = Organisation.objects.aggregate(n=Count("pk"), countries=Count("country", distinct=True))
    return render(
        request,
        "core/home.html",
        {"networks": networks, "organisation_count": counts["n"], "country_count": counts["countries"]},
    )


def read_filters(request: HttpRequest) -> tuple[DirectoryFilterForm, queries.DirectoryFilters]:
    """The directory's filters from the query string: shared by the pages and the API."""
    vocabulary = queries.directory_vocabulary()
    form = DirectoryFilterForm(
        request.GET or None,
        network_slugs=[slug for _pk, slug, _acronym in vocabulary.networks],
        kind_slugs=[kind.slug for kind in vocabulary.kinds],
        topic_slugs=[topic.slug for topic in vocabulary.topics],
    )
    data = form.clean_data_lenient() if request.GET else {}
    return form, queries.DirectoryFilters(**{k: v for k, v in data.items() if v})


def _directory(request: HttpRequest, *, view: str) -> HttpResponse:
    form, filters = read_filters(request)
    page = queries.CountedPaginator(
        queries.directory_results(filters), settings.DIRECTORY_PAGE_SIZE, count=queries.directory_count(filters)
    ).get_page(request.GET.get("page"))
    query_without_page = urlencode([(k, v) for k, vs in request.GET.lists() if k != "page" for v in vs])
    context = {
        "form": form,
        "filters": filters,
        "facets": queries.directory_facets(filters),
        # The facet lists' HTML is cached too, under the same key as their counts.
        "facets_key": queries.facet_cache_key(filters),
        "page": page,
        "view": view,
        "query_without_page": query_without_page,
        "map_tile_url": settings.MAP_TILE_URL,
        "map_tile_attribution": settings.MAP_TILE_ATTRIBUTION,
        "points_url": reverse("api-1.0.0:organisation_points") + (f"?{query_without_page}" if query_without_page else ""),
    }
    return render_page(request, "networks/organisation_list.html", context, partial="results")


def organisation_list(request: HttpRequest) -> HttpResponse:
    return _directory(request, view="list")


def organisation_map(request: HttpRequest) -> HttpResponse:
    return _directory(request, view="map")


def _audience(request: HttpRequest) -> str:
    return "members" if request.user.has_perm("networks.view_people") else "public"


def organisation_detail(request: HttpRequest, slug: str) -> HttpResponse:
    organisation = get_object_or_404(queries.organisation_detail_queryset(), slug=slug)
    user = request.user
    return render(
        request,
        "networks/organisation_detail.html",
        {
            "organisation": organisation,
            "staff": queries.public_staff(organisation, _audience(request)),
            "can_edit": user.has_perm("networks.change_organisation", organisation),
            "can_view_history": user.has_perm("networks.view_organisation_history", organisation),
            "map_points": {
                "items": [
                    {
                        "name": organisation.name, "url": organisation.get_absolute_url(), "city": organisation.city,
                        "country_name": str(organisation.country.name),
                        "latitude": organisation.latitude, "longitude": organisation.longitude,
                    }
                ]
                if organisation.has_coordinates
                else [],
                "count": 1 if organisation.has_coordinates else 0,
            },
            "map_tile_url": settings.MAP_TILE_URL,
            "map_tile_attribution": settings.MAP_TILE_ATTRIBUTION,
        },
    )


def _organisation_for(request: HttpRequest, slug: str, perm: str) -> Organisation:
    """The organisation if the user holds `perm` on it; strangers get a 404, not a hint."""
    organisation = get_object_or_404(Organisation, slug=slug)
    if not request.user.has_perm(perm, organisation):
        raise Http404
    return organisation


@login_required
def organisation_edit(request: HttpRequest, slug: str) -> HttpResponse:
    organisation = _organisation_for(request, slug, "networks.change_organisation")
    form = OrganisationForm(request.POST or None, instance=organisation)
    if request.method == "POST" and form.is_valid():
        data = dict(form.cleaned_data)
        services.save_organisation(organisation=organisation, data=data, actor=request.user)
        messages.success(request, _("Saved the changes to %(name)s.") % {"name": organisation.name})
        return redirect(organisation)
    return render(request, "networks/organisation_form.html", {"form": form, "organisation": organisation})


@login_required
def organisation_staff(request: HttpRequest, slug: str) -> HttpResponse:
    organisation = _organisation_for(request, slug, "networks.manage_affiliations")
    invite_form = InvitationForm(request.POST or None, prefix="invite")
    if request.method == "POST" and invite_form.is_valid():
        try:
            services.invite_colleague(organisation=organisation, invited_by=request.user, **invite_form.cleaned_data)
        except services.DomainError as error:
            invite_form.add_error("email", error.message)
        else:
            messages.success(
                request, _("Invitation sent to %(email)s.") % {"email": invite_form.cleaned_data["email"]}
            )
            return redirect("networks:organisation-staff", slug=organisation.slug)
    affiliations = (
        Affiliation.objects.current().filter(organisation=organisation).select_related("person").order_by("person__name")
    )
    invitations = Invitation.objects.filter(organisation=organisation, accepted_at__isnull=True)
    return render(
        request,
        "networks/organisation_staff.html",
        {"organisation": organisation, "affiliations": affiliations, "invitations": invitations, "invite_form": invite_form},
    )


@login_required
@require_POST
def affiliation_update(request: HttpRequest, slug: str, pk: int) -> HttpResponse:
    organisation = _organisation_for(request, slug, "networks.manage_affiliations")
    affiliation = get_object_or_404(Affiliation.objects.current(), pk=pk, organisation=organisation)
    try:
        if request.POST.get("action") == "end":
            services.end_affiliation(affiliation=affiliation, actor=request.user)
            messages.success(request, _("%(name)s was removed from the staff list.") % {"name": affiliation.person.name})
        else:
            form = AffiliationForm(request.POST)
            if form.is_valid():
                services.update_affiliation(
                    affiliation=affiliation, role=form.cleaned_data["role"],
                    is_admin=form.cleaned_data["is_admin"], actor=request.user,
                )
                messages.success(request, _("Saved."))
            else:
                messages.error(request, _("The role could not be saved: %(errors)s") % {"errors": form.errors.as_text()})
    except services.DomainError as error:
        messages.error(request, error.message)
    return redirect("networks:organisation-staff", slug=organisation.slug)


@login_required
def organisation_history(request: HttpRequest, slug: str) -> HttpResponse:
    organisation = _organisation_for(request, slug, "networks.view_organisation_history")
    entries = list(organisation.history.select_related("history_user").order_by("-history_date")[:100])
    changes = []
    for entry in entries:
        previous = entry.prev_record
        delta = entry.diff_against(previous).changes if previous else []
        changes.append({"entry": entry, "changes": delta})
    memberships = organisation.memberships.model.history.filter(organisation_id=organisation.pk).select_related(
        "history_user", "network"
    ).order_by("-history_date")[:100]
    return render(
        request,
        "networks/organisation_history.html",
        {"organisation": organisation, "changes": changes, "membership_history": memberships},
    )


def network_list(request: HttpRequest) -> HttpResponse:
    networks = Network.objects.annotate(
        member_count=Count("memberships", filter=Q(memberships__status=MembershipStatus.ACTIVE))
    )
    return render(request, "networks/network_list.html", {"networks": networks})


def network_detail(request: HttpRequest, slug: str) -> HttpResponse:
    network = get_object_or_404(Network.objects.prefetch_related("categories"), slug=slug)
    return render(
        request,
        "networks/network_detail.html",
        {
            "network": network,
            "member_count": network.memberships.filter(status=MembershipStatus.ACTIVE).count(),
            "country_count": network.memberships.filter(status=MembershipStatus.ACTIVE)
            .values("organisation__country").distinct().count(),
            "is_staff": request.user.has_perm("networks.manage_network", network),
        },
    )


@login_required
def person_list(request: HttpRequest) -> HttpResponse:
    if not request.user.has_perm("networks.view_people"):
        return render(request, "networks/members_only.html", status=403)
    query = request.GET.get("q", "")[:200]
    page = Paginator(queries.people_directory(query), 30).get_page(request.GET.get("page"))
    return render_page(
        request, "networks/person_list.html", {"page": page, "q": query}, partial="results"
    )


@login_required
def person_detail(request: HttpRequest, pk: int) -> HttpResponse:
    if not request.user.has_perm("networks.view_people"):
        return render(request, "networks/members_only.html", status=403)
    person = get_object_or_404(queries.people_directory(), pk=pk)
    return render(request, "networks/person_detail.html", {"person": person, "audience": "members"})


def invitation_accept(request: HttpRequest, token: str) -> HttpResponse:
    invitation = get_object_or_404(Invitation.objects.select_related("organisation"), token=token)
    if not request.user.is_authenticated:
        return render(request, "networks/invitation.html", {"invitation": invitation})
    if request.method == "POST":
        try:
            affiliation = services.accept_invitation(invitation=invitation, user=request.user)
        except services.DomainError as error:
            messages.error(request, error.message)
        else:
            messages.success(request, _("Welcome to %(name)s.") % {"name": affiliation.organisation.name})
            return redirect(affiliation.organisation)
    return render(request, "networks/invitation.html", {"invitation": invitation})
