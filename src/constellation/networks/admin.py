"""Staff screens for networks, organisations, people and memberships (mounted at /staff/).

Superusers see everything. Network staff (Django `is_staff`, a NetworkStaff row and the
"Network staff" group for model permissions) see only what touches the networks they run:
memberships of those networks, organisations with such a membership, and the people who
work there. Changes go through the same services as the site, so the audit history
(django-simple-history, readable on each object's History page) records who did what.
"""

from __future__ import annotations

import csv
from collections.abc import Callable, Sequence
from typing import Any

from django import forms
from django.contrib import admin, messages
from django.contrib.auth.models import Group, Permission
from django.db.models import Count, Prefetch, Q, QuerySet
from django.http import Http404, HttpRequest, HttpResponse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext
from django_countries.filters import CountryFilter
from simple_history.admin import SimpleHistoryAdmin

from constellation.core.spreadsheets import safe_cell
from constellation.networks import services
from constellation.networks.forms import OrganisationForm, TranslatedTextField
from constellation.networks.models import (
    AccessibilityFeature,
    Affiliation,
    Invitation,
    Kind,
    Membership,
    MembershipCategory,
    MembershipStatus,
    Network,
    NetworkStaff,
    Organisation,
    Person,
    Topic,
)
from constellation.networks.rules import staff_network_ids

# ---------------------------------------------------------------------------------------
# The "Network staff" group: the model permissions every network's staff need here.

NETWORK_STAFF_GROUP = "Network staff"
NETWORK_STAFF_PERMISSIONS = (
    "view_organisation", "change_organisation",
    "view_person", "change_person",
    "view_membership", "change_membership", "add_membership",
    "view_affiliation", "change_affiliation",
)


def ensure_network_staff_group() -> Group:
    """Create the group (or bring its permissions up to date); safe to run again."""
    group, _created = Group.objects.get_or_create(name=NETWORK_STAFF_GROUP)
    permissions = Permission.objects.filter(
        content_type__app_label="networks", codename__in=NETWORK_STAFF_PERMISSIONS
    )
    group.permissions.set(permissions)
    return group


# ---------------------------------------------------------------------------------------
# CSV export, written once and given a list of columns per model.

Column = tuple[str, str | Callable[[Any], Any]]

def _cell(obj: Any, accessor: str | Callable[[Any], Any]) -> Any:
    if callable(accessor):
        value = accessor(obj)
    else:
        value = obj
        for part in accessor.split("."):
            value = getattr(value, part, None) if value is not None else None
    if value is None:
        return ""
    if isinstance(value, list | tuple):
        value = "|".join(str(item) for item in value)
    if isinstance(value, str):
        return safe_cell(value)
    return value if isinstance(value, int | float) else str(value)


def csv_export_action(columns: Sequence[Column], *, filename: str) -> Callable:
    """An admin action downloading the selected rows as CSV, one column per (header, accessor).

    An accessor is a dotted attribute path ("organisation.name") or a function of the row;
    lists are joined with "|", as in our import files.
    """

    @admin.action(description=_("Export selected as CSV"), permissions=["view"])
    def export_as_csv(modeladmin, request: HttpRequest, queryset: QuerySet) -> HttpResponse:
        response = HttpResponse(content_type="text/csv; charset=utf-8")
        stamp = timezone.localdate().isoformat()
        response["Content-Disposition"] = f'attachment; filename="{filename}-{stamp}.csv"'
        # Excel reads a CSV as UTF-8 (and shows "Cité" rather than "CitÃ©") only with a BOM.
        response.write("\ufeff")
        writer = csv.writer(response)
        writer.writerow([header for header, _accessor in columns])
        for obj in queryset:
            writer.writerow([_cell(obj, accessor) for _header, accessor in columns])
        return response

    return export_as_csv


# ---------------------------------------------------------------------------------------
# Scoping: what a network's staff may see.


def _memberships_of(network_ids: set[int]) -> QuerySet:
    return Membership.objects.filter(network_id__in=network_ids)


class NetworkScopedAdmin(admin.ModelAdmin):
    """Superusers see every row; anyone else only rows tied to the networks they staff."""

    def scope(self, queryset: QuerySet, network_ids: set[int]) -> QuerySet:
        raise NotImplementedError

    def get_queryset(self, request: HttpRequest) -> QuerySet:
        queryset = super().get_queryset(request)
        if request.user.is_superuser:
            return queryset
        return self.scope(queryset, staff_network_ids(request.user))

    def _ensure_in_scope(self, request: HttpRequest, object_id: str) -> None:
        # simple_history shows the history of a row missing from get_queryset() as if
        # it had been deleted; for staff of another network it must not exist at all.
        if not request.user.is_superuser and not self.get_queryset(request).filter(pk=object_id).exists():
            raise Http404

    def history_view(self, request, object_id, extra_context=None):
        self._ensure_in_scope(request, object_id)
        return super().history_view(request, object_id, extra_context)

    def history_form_view(self, request, object_id, version_id, extra_context=None):
        self._ensure_in_scope(request, object_id)
        return super().history_form_view(request, object_id, version_id, extra_context)


def _limit_network_choices(db_field, request: HttpRequest, kwargs: dict) -> None:
    """In membership forms, staff choose among their own networks and their categories."""
    if db_field.name == "network":
        queryset = Network.objects.all()
        if not request.user.is_superuser:
            queryset = queryset.filter(pk__in=staff_network_ids(request.user))
        kwargs["queryset"] = queryset
    elif db_field.name == "category":
        queryset = MembershipCategory.objects.select_related("network")
        if not request.user.is_superuser:
            queryset = queryset.filter(network_id__in=staff_network_ids(request.user))
        kwargs["queryset"] = queryset


class MembershipAdminForm(forms.ModelForm):
    class Meta:
        model = Membership
        fields = ["organisation", "network", "category", "status", "start_date", "end_date"]

    def clean(self):
        data = super().clean()
        category, network = data.get("category"), data.get("network")
        if category is not None and network is not None and category.network_id != network.pk:
            self.add_error("category", _("That category belongs to another network."))
        return data


# ---------------------------------------------------------------------------------------
# Networks and their vocabularies.


class MembershipCategoryInline(admin.TabularInline):
    model = MembershipCategory
    extra = 0
    prepopulated_fields = {"slug": ["name"]}


class NetworkAdminForm(forms.ModelForm):
    descriptions = TranslatedTextField(label=_("Description"))

    class Meta:
        model = Network
        fields = ["name", "acronym", "slug", "region", "website", "descriptions"]


@admin.register(Network)
class NetworkAdmin(admin.ModelAdmin):
    form = NetworkAdminForm
    list_display = ("acronym", "name", "region", "website", "active_members")
    search_fields = ("name", "acronym")
    prepopulated_fields = {"slug": ["acronym"]}
    inlines = [MembershipCategoryInline]

    def get_queryset(self, request: HttpRequest) -> QuerySet:
        return super().get_queryset(request).annotate(
            active_member_count=Count("memberships", filter=Q(memberships__status=MembershipStatus.ACTIVE))
        )

    @admin.display(description=_("active members"), ordering="active_member_count")
    def active_members(self, obj: Network) -> int:
        return obj.active_member_count


@admin.register(Kind)
class KindAdmin(admin.ModelAdmin):
    list_display = ("name", "slug", "position")
    list_editable = ("position",)
    search_fields = ("name", "slug")
    prepopulated_fields = {"slug": ["name"]}


@admin.register(Topic)
class TopicAdmin(admin.ModelAdmin):
    list_display = ("name", "slug", "is_sdg", "position")
    list_editable = ("position",)
    list_filter = ("is_sdg",)
    search_fields = ("name", "slug")
    prepopulated_fields = {"slug": ["name"]}


@admin.register(AccessibilityFeature)
class AccessibilityFeatureAdmin(admin.ModelAdmin):
    list_display = ("name", "slug", "position")
    list_editable = ("position",)
    search_fields = ("name", "slug")
    prepopulated_fields = {"slug": ["name"]}


@admin.register(NetworkStaff)
class NetworkStaffAdmin(admin.ModelAdmin):
    list_display = ("user", "network")
    list_filter = ("network",)
    list_select_related = ("user", "network")
    search_fields = ("user__email", "user__display_name")
    autocomplete_fields = ("user",)


# ---------------------------------------------------------------------------------------
# Organisations.


class MembershipInline(admin.TabularInline):
    model = Membership
    form = MembershipAdminForm
    fields = ["network", "category", "status", "start_date", "end_date"]
    extra = 0

    def get_queryset(self, request: HttpRequest) -> QuerySet:
        queryset = super().get_queryset(request).select_related("network", "category__network")
        if request.user.is_superuser:
            return queryset
        return queryset.filter(network_id__in=staff_network_ids(request.user))

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        _limit_network_choices(db_field, request, kwargs)
        return super().formfield_for_foreignkey(db_field, request, **kwargs)


class AffiliationInline(admin.TabularInline):
    model = Affiliation
    fields = ["person", "role", "is_admin", "start_date", "end_date"]
    autocomplete_fields = ["person"]
    extra = 0

    def get_queryset(self, request: HttpRequest) -> QuerySet:
        return super().get_queryset(request).select_related("person").filter(person__is_erased=False)


class OrganisationAdminForm(OrganisationForm):
    """The site's organisation form (same checks), in the admin."""


def _active_network_acronyms(organisation: Organisation) -> list[str]:
    return [membership.network.acronym for membership in organisation.active_memberships]


def _kind_names(organisation: Organisation) -> list[str]:
    return [str(kind) for kind in organisation.kinds.all()]


ORGANISATION_COLUMNS: list[Column] = [
    ("name", "name"),
    ("native_name", "native_name"),
    ("city", "city"),
    ("region", "region"),
    ("country", "country.code"),
    ("latitude", "latitude"),
    ("longitude", "longitude"),
    ("coordinates_source", "coordinates_source"),
    ("website", "website"),
    ("year_founded", "year_founded"),
    ("visitors_band", "visitors_band"),
    ("kinds", lambda o: [kind.slug for kind in o.kinds.all()]),
    ("networks", _active_network_acronyms),
    ("languages", "languages"),
    ("description_en", lambda o: o.descriptions.get("en", "")),
]


@admin.register(Organisation)
class OrganisationAdmin(NetworkScopedAdmin, SimpleHistoryAdmin):
    form = OrganisationAdminForm
    list_display = ("name", "city", "country", "kinds_list", "networks_list")
    search_fields = ("name", "native_name", "city")
    list_filter = (
        ("country", CountryFilter), "kinds", "topics", "memberships__network", "memberships__status",
        "visitors_band",
    )
    readonly_fields = ("slug", "coordinates_source", "created_at", "updated_at")
    fieldsets = (
        (None, {"fields": ("name", "native_name", "slug", "kinds")}),
        (
            _("Place"),
            {
                "fields": ("address", "city", "region", "country", "latitude", "longitude", "coordinates_source"),
                "description": _(
                    "Coordinates you type here are kept as set by staff; leave both empty to fill them "
                    "from the city and country."
                ),
            },
        ),
        (
            _("About"),
            {"fields": ("website", "descriptions", "year_founded", "visitors_band", "topics", "languages",
                        "accessibility")},
        ),
        (_("Record"), {"fields": ("created_at", "updated_at")}),
    )
    inlines = [MembershipInline, AffiliationInline]
    actions = [csv_export_action(ORGANISATION_COLUMNS, filename="organisations")]

    def scope(self, queryset: QuerySet, network_ids: set[int]) -> QuerySet:
        return queryset.filter(pk__in=_memberships_of(network_ids).values("organisation_id"))

    def get_queryset(self, request: HttpRequest) -> QuerySet:
        active = Membership.objects.active().select_related("network")
        return super().get_queryset(request).prefetch_related(
            "kinds", Prefetch("memberships", queryset=active, to_attr="active_memberships")
        )

    def get_search_results(self, request, queryset, search_term):
        # Names and places of organisations are public (the directory lists them), so when
        # staff pick an organisation to add as a member, they may pick any of them.
        if request.resolver_match and request.resolver_match.url_name == "autocomplete":
            queryset = Organisation.objects.all()
        return super().get_search_results(request, queryset, search_term)

    @admin.display(description=_("kinds"))
    def kinds_list(self, obj: Organisation) -> str:
        return ", ".join(_kind_names(obj))

    @admin.display(description=_("networks"))
    def networks_list(self, obj: Organisation) -> str:
        return ", ".join(_active_network_acronyms(obj))

    def save_model(self, request, obj, form, change):
        # The admin has already copied the form onto obj. Put back the stored coordinates so
        # the service sees a change and marks typed coordinates as set by staff, as the site does.
        stored = Organisation.objects.filter(pk=obj.pk).values_list("latitude", "longitude").first()
        obj.latitude, obj.longitude = stored or (None, None)
        services.save_organisation(organisation=obj, data=form.cleaned_data, actor=request.user)


# ---------------------------------------------------------------------------------------
# People and affiliations.


class PersonAffiliationInline(admin.TabularInline):
    model = Affiliation
    fields = ["organisation", "role", "is_admin", "start_date", "end_date"]
    autocomplete_fields = ["organisation"]
    extra = 0

    def get_queryset(self, request: HttpRequest) -> QuerySet:
        return super().get_queryset(request).select_related("organisation")


PERSON_COLUMNS: list[Column] = [
    ("name", "name"),
    ("email", "email"),
    ("title", "title"),
    ("expertise", "expertise"),
    ("languages", "languages"),
    ("organisations", lambda p: [a.organisation.name for a in p.affiliations.all()]),
    ("name_visibility", "name_visibility"),
    ("email_visibility", "email_visibility"),
]


@admin.register(Person)
class PersonAdmin(NetworkScopedAdmin, SimpleHistoryAdmin):
    list_display = ("name", "email", "title", "name_visibility", "has_account")
    search_fields = ("name", "email")
    list_filter = ("name_visibility", "email_visibility")
    autocomplete_fields = ("user",)
    readonly_fields = ("created_at",)
    fieldsets = (
        (None, {"fields": ("name", "email", "user", "title", "bio", "expertise", "languages", "created_at")}),
        (
            _("Who sees what"),
            {
                "fields": (
                    "name_visibility", "email_visibility", "title_visibility", "bio_visibility",
                    "expertise_visibility", "languages_visibility", "affiliations_visibility",
                )
            },
        ),
    )
    inlines = [PersonAffiliationInline]
    actions = [csv_export_action(PERSON_COLUMNS, filename="people")]

    def scope(self, queryset: QuerySet, network_ids: set[int]) -> QuerySet:
        organisations = _memberships_of(network_ids).values("organisation_id")
        return queryset.filter(
            pk__in=Affiliation.objects.filter(organisation_id__in=organisations).values("person_id")
        )

    def get_queryset(self, request: HttpRequest) -> QuerySet:
        # Erased people are anonymous rows kept for the records; nobody needs to find them.
        return (
            super().get_queryset(request)
            .filter(is_erased=False)
            .prefetch_related(Prefetch("affiliations", queryset=Affiliation.objects.select_related("organisation")))
        )

    def get_readonly_fields(self, request: HttpRequest, obj=None) -> Sequence[str]:
        # Linking a profile to a sign-in account is for superusers, who also manage accounts.
        if request.user.is_superuser:
            return self.readonly_fields
        return (*self.readonly_fields, "user")

    @admin.display(description=_("account"), boolean=True)
    def has_account(self, obj: Person) -> bool:
        return obj.user_id is not None


@admin.register(Affiliation)
class AffiliationAdmin(NetworkScopedAdmin, SimpleHistoryAdmin):
    list_display = ("person", "organisation", "role", "is_admin", "start_date", "end_date")
    list_select_related = ("person", "organisation")
    list_filter = ("is_admin",)
    search_fields = ("person__name", "person__email", "organisation__name")
    autocomplete_fields = ("person", "organisation")

    def scope(self, queryset: QuerySet, network_ids: set[int]) -> QuerySet:
        return queryset.filter(organisation_id__in=_memberships_of(network_ids).values("organisation_id"))

    def get_queryset(self, request: HttpRequest) -> QuerySet:
        return super().get_queryset(request).filter(person__is_erased=False)


# ---------------------------------------------------------------------------------------
# Memberships.

STATUS_ACTION_LABELS = {
    MembershipStatus.ACTIVE: _("Mark active"),
    MembershipStatus.LAPSED: _("Mark lapsed"),
    MembershipStatus.SUSPENDED: _("Mark suspended"),
    MembershipStatus.ENDED: _("Mark ended"),
}


def _status_action(status: MembershipStatus) -> Callable:
    """A bulk action moving the selected memberships to `status` through the service."""

    def action(modeladmin, request: HttpRequest, queryset: QuerySet) -> None:
        changed = 0
        for membership in queryset.select_related("organisation", "network"):
            if membership.status == status:
                continue
            try:
                services.change_membership_status(membership=membership, status=status, actor=request.user)
            except services.DomainError as error:
                modeladmin.message_user(request, f"{membership.organisation}: {error.message}", messages.ERROR)
            else:
                changed += 1
        message = ngettext(
            "%(count)d membership changed to “%(status)s”.",
            "%(count)d memberships changed to “%(status)s”.",
            changed,
        ) % {"count": changed, "status": status.label}
        modeladmin.message_user(request, message, messages.SUCCESS if changed else messages.WARNING)

    action.__name__ = f"mark_{status.value}"
    return admin.action(description=STATUS_ACTION_LABELS[status], permissions=["change"])(action)


class CategoryFilter(admin.RelatedFieldListFilter):
    """Categories named with their network (one query), and for staff only their networks'."""

    def field_choices(self, field, request, model_admin):
        categories = MembershipCategory.objects.select_related("network")
        if not request.user.is_superuser:
            categories = categories.filter(network_id__in=staff_network_ids(request.user))
        return [(category.pk, str(category)) for category in categories]


MEMBERSHIP_COLUMNS: list[Column] = [
    ("organisation", "organisation.name"),
    ("country", "organisation.country.code"),
    ("network", "network.acronym"),
    ("category", "category.name"),
    ("status", "status"),
    ("start_date", "start_date"),
    ("end_date", "end_date"),
]


@admin.register(Membership)
class MembershipAdmin(NetworkScopedAdmin, SimpleHistoryAdmin):
    form = MembershipAdminForm
    list_display = ("organisation", "network", "category_name", "status", "start_date", "end_date")
    list_select_related = ("organisation", "network", "category")
    list_filter = ("network", "status", ("category", CategoryFilter))
    search_fields = ("organisation__name", "organisation__city")
    autocomplete_fields = ("organisation",)
    date_hierarchy = "start_date"
    actions = [
        *(_status_action(status) for status in STATUS_ACTION_LABELS),
        csv_export_action(MEMBERSHIP_COLUMNS, filename="memberships"),
    ]

    def scope(self, queryset: QuerySet, network_ids: set[int]) -> QuerySet:
        return queryset.filter(network_id__in=network_ids)

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        _limit_network_choices(db_field, request, kwargs)
        return super().formfield_for_foreignkey(db_field, request, **kwargs)

    @admin.display(description=_("category"), ordering="category__name")
    def category_name(self, obj: Membership) -> str:
        return obj.category.name if obj.category else ""


# ---------------------------------------------------------------------------------------
# Invitations: a record of who invited whom; the invitee acts on the site, not here.


@admin.register(Invitation)
class InvitationAdmin(admin.ModelAdmin):
    list_display = ("email", "organisation", "role", "is_admin", "invited_by", "created_at", "expires_at",
                    "accepted_at")
    list_select_related = ("organisation", "invited_by")
    list_filter = ("is_admin", ("accepted_at", admin.EmptyFieldListFilter))
    search_fields = ("email", "organisation__name")
    fields = ("organisation", "email", "role", "is_admin", "invited_by", "created_at", "expires_at",
              "accepted_at")
    readonly_fields = fields

    def has_add_permission(self, request) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False
