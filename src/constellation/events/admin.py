from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from constellation.events.models import (
    Event,
    Interest,
    PersonUnavailability,
    Placement,
    Presenter,
    Proposal,
    Room,
    SessionFormat,
    Slot,
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
    list_display = ["name", "network", "start_date", "end_date", "city", "is_published", "timetable_published_at"]
    list_filter = ["is_published", "network"]
    search_fields = ["name", "slug", "city"]
    prepopulated_fields = {"slug": ["name"]}
    list_select_related = ["network"]
    inlines = [RoomInline, SlotInline, SessionFormatInline, TrackInline]


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
