from django.contrib import admin

from constellation.atlas.models import Analysis


@admin.register(Analysis)
class AnalysisAdmin(admin.ModelAdmin):
    """Staff see and remove analyses; they are made through the atlas page or the API."""

    list_display = (
        "__str__",
        "status",
        "radius",
        "unit",
        "network",
        "kind",
        "new_sites",
        "is_public",
        "created_by",
        "created_at",
    )
    list_filter = ("status", "is_public", "source")
    list_select_related = ("network", "kind", "created_by")
    search_fields = ("title",)
    readonly_fields = (
        "created_by",
        "radius_km",
        "status",
        "stage",
        "processed",
        "total",
        "message",
        "summary",
        "chosen",
        "upload_name",
        "created_at",
        "finished_at",
    )
    exclude = ("regions", "facilities", "places", "uploaded_demand")

    def has_add_permission(self, request) -> bool:
        return False
