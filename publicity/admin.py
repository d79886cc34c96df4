from django.contrib import admin

from publicity.models import Objection, Publicity


@admin.register(Publicity)
class PublicityAdmin(admin.ModelAdmin):
    list_display = ["title", "kind", "version", "starts_on", "ends_on", "status"]
    list_filter = ["kind", "status"]
    search_fields = ["title"]
    readonly_fields = [f.name for f in Publicity._meta.fields]

    def has_add_permission(self, request):
        return False


@admin.register(Objection)
class ObjectionAdmin(admin.ModelAdmin):
    list_display = ["publicity", "real_name", "status", "received_at"]
    list_filter = ["status"]
    search_fields = ["real_name", "facts"]
    readonly_fields = [f.name for f in Objection._meta.fields]

    def has_add_permission(self, request):
        return False
