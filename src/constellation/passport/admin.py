from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from constellation.passport.models import Programme, Venue


@admin.register(Programme)
class ProgrammeAdmin(SimpleHistoryAdmin):
    list_display = ["name", "network", "radius", "unit", "is_active"]
    list_select_related = ["network"]


@admin.register(Venue)
class VenueAdmin(SimpleHistoryAdmin):
    list_display = ["organisation", "programme", "status", "free_general_admission", "joined_on"]
    list_filter = ["programme", "status"]
    list_select_related = ["organisation", "programme"]
    search_fields = ["organisation__name", "organisation__city"]
    autocomplete_fields = ["organisation"]
