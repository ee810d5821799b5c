from django.contrib import admin

from constellation.imports.models import ImportJob, ImportKey


@admin.register(ImportJob)
class ImportJobAdmin(admin.ModelAdmin):
    list_display = ["original_name", "kind", "status", "total", "created_count", "updated_count", "failed_count", "created_by", "created_at"]
    list_filter = ["kind", "status", "dry_run"]
    search_fields = ["original_name", "created_by__email"]
    list_select_related = ["created_by"]
    # Jobs are records of what happened: changed only by the import itself.
    readonly_fields = [field.name for field in ImportJob._meta.fields]

    def has_add_permission(self, request):
        return False


@admin.register(ImportKey)
class ImportKeyAdmin(admin.ModelAdmin):
    list_display = ["kind", "key_column", "key_value", "object_id", "created_at"]
    list_filter = ["kind", "key_column"]
    search_fields = ["key_value"]
