from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from constellation.events.models import (
    BillingDetails,
    CallForProposals,
    CommitteeMember,
    DecisionTemplate,
    Event,
    Interest,
    Invoice,
    Payment,
    PersonUnavailability,
    Placement,
    Presenter,
    Proposal,
    Registration,
    ReviewAssignment,
    ReviewCriterion,
    Room,
    ScheduleRun,
    SessionFormat,
    Slot,
    TicketType,
    TimetableVersion,
    Track,
)


class RoomInline(admin.TabularInline):
    model = Room
    extra = 0
    prepopulated_fields = {"slug": ["name"]}


class SlotInline(admin.TabularInline):
    model = Slot
    extra = 0


class SessionFormatInline(admin.TabularInline):
    model = SessionFormat
    extra = 0
    fields = ["name", "kind", "duration_slots", "max_presenters", "accepts_proposals", "position"]


class TrackInline(admin.TabularInline):
    model = Track
    extra = 0
    prepopulated_fields = {"slug": ["name"]}


@admin.register(Event)
class EventAdmin(SimpleHistoryAdmin):
    list_display = [
        "name",
        "network",
        "start_date",
        "end_date",
        "city",
        "is_published",
        "timetable_published_at",
    ]
    list_filter = ["is_published", "network"]
    search_fields = ["name", "slug", "city"]
    prepopulated_fields = {"slug": ["name"]}
    list_select_related = ["network"]
    inlines = [RoomInline, SlotInline, SessionFormatInline, TrackInline]


class TicketTypeInline(admin.TabularInline):
    model = TicketType
    extra = 0
    fields = [
        "name",
        "kind",
        "price",
        "early_bird_price",
        "early_bird_until",
        "vat_rate",
        "capacity",
        "on_sale",
        "position",
    ]


class ReviewCriterionInline(admin.TabularInline):
    model = ReviewCriterion
    extra = 0


class DecisionTemplateInline(admin.StackedInline):
    model = DecisionTemplate
    extra = 0


class CallForProposalsInline(admin.StackedInline):
    model = CallForProposals
    extra = 0


EventAdmin.inlines = [
    *EventAdmin.inlines,
    CallForProposalsInline,
    TicketTypeInline,
    ReviewCriterionInline,
    DecisionTemplateInline,
]


@admin.register(BillingDetails)
class BillingDetailsAdmin(SimpleHistoryAdmin):
    list_display = ["legal_name", "network", "vat_number", "invoice_prefix"]


@admin.register(CommitteeMember)
class CommitteeMemberAdmin(admin.ModelAdmin):
    list_display = ["user", "event", "is_chair", "max_assignments"]
    list_filter = ["event"]
    raw_id_fields = ["user"]
    filter_horizontal = ["expertise", "tracks", "conflict_organisations", "conflict_proposals"]


@admin.register(ReviewAssignment)
class ReviewAssignmentAdmin(admin.ModelAdmin):
    list_display = ["proposal", "reviewer", "is_manual", "created_at"]
    list_filter = ["proposal__event", "is_manual"]
    raw_id_fields = ["proposal", "reviewer"]


@admin.register(ScheduleRun)
class ScheduleRunAdmin(admin.ModelAdmin):
    list_display = ["event", "status", "seconds", "created_at", "finished_at"]
    list_filter = ["event", "status"]
    readonly_fields = ["progress", "message", "figures", "started_at", "finished_at"]


@admin.register(Registration)
class RegistrationAdmin(SimpleHistoryAdmin):
    list_display = [
        "name",
        "event",
        "ticket_type",
        "status",
        "payment_status",
        "created_at",
        "checked_in_at",
    ]
    list_filter = ["event", "status", "payment_status", "ticket_type"]
    search_fields = ["name", "user__email", "organisation_name"]
    raw_id_fields = ["user", "organisation"]
    list_select_related = ["event", "ticket_type"]


@admin.register(Invoice)
class InvoiceAdmin(admin.ModelAdmin):
    list_display = ["number", "network", "issued_at", "total", "currency"]
    list_filter = ["network"]
    search_fields = ["number"]
    raw_id_fields = ["registration", "credits"]

    def has_change_permission(self, request, obj=None) -> bool:
        return False  # an issued invoice never changes; a credit note cancels it

    def has_delete_permission(self, request, obj=None) -> bool:
        return False


@admin.register(Payment)
class PaymentAdmin(admin.ModelAdmin):
    list_display = ["registration", "amount", "currency", "provider", "status", "recorded_at"]
    list_filter = ["provider", "status"]
    raw_id_fields = ["registration", "invoice", "recorded_by"]


@admin.register(SessionFormat)
class SessionFormatAdmin(admin.ModelAdmin):
    list_display = ["name", "event", "kind", "duration_slots"]
    list_filter = ["event", "kind"]
    filter_horizontal = ["rooms"]


class PresenterInline(admin.TabularInline):
    model = Presenter
    extra = 0
    fields = ["name", "email", "person", "organisation", "role", "position", "confirmed_at"]
    raw_id_fields = ["person", "organisation"]


@admin.register(Proposal)
class ProposalAdmin(SimpleHistoryAdmin):
    list_display = ["title", "code", "event", "state", "format", "track", "submitted_at"]
    list_filter = ["event", "state", "track", "format"]
    search_fields = ["title", "code", "external_id", "presenters__name"]
    list_select_related = ["event", "format", "track"]
    readonly_fields = ["code"]
    raw_id_fields = ["event"]
    filter_horizontal = ["unavailable_slots"]
    inlines = [PresenterInline]


class PlacementInline(admin.TabularInline):
    model = Placement
    extra = 0
    raw_id_fields = ["proposal", "slot", "room"]


@admin.register(TimetableVersion)
class TimetableVersionAdmin(admin.ModelAdmin):
    list_display = ["event", "label", "published_at", "created_at"]
    list_filter = ["event"]
    inlines = [PlacementInline]


@admin.register(Placement)
class PlacementAdmin(admin.ModelAdmin):
    list_display = ["proposal", "version", "slot", "room", "is_fixed"]
    list_filter = ["version__event", "is_fixed", "room"]
    list_select_related = ["proposal", "version__event", "slot__event", "room"]
    raw_id_fields = ["proposal", "slot", "room", "version"]


@admin.register(Interest)
class InterestAdmin(admin.ModelAdmin):
    list_display = ["user", "proposal", "created_at"]
    raw_id_fields = ["user", "proposal"]


@admin.register(PersonUnavailability)
class PersonUnavailabilityAdmin(admin.ModelAdmin):
    list_display = ["person", "slot", "reason"]
    raw_id_fields = ["person", "slot"]
