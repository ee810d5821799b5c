from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from constellation.globalday.models import Activity, Campaign


@admin.register(Campaign)
class CampaignAdmin(admin.ModelAdmin):
    list_display = ["year", "title", "theme", "date", "registration_opens", "registration_closes", "is_published"]
    filter_horizontal = ["partner_networks"]
    autocomplete_fields = ["partner_organisations"]


@admin.register(Activity)
class ActivityAdmin(SimpleHistoryAdmin):
    list_display = ["title", "organisation", "campaign", "country", "format", "status", "starts_at"]
    list_filter = ["campaign", "status", "format"]
    search_fields = ["title", "organisation__name", "city"]
    list_select_related = ["organisation", "campaign"]
    raw_id_fields = ["organisation", "submitted_by", "moderated_by"]
    filter_horizontal = ["sdgs"]
