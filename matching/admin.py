from django.contrib import admin

from matching.models import (
    ItemVector,
    Match,
    MatchChunk,
    MatchFeedback,
    MatchNotice,
    MatchRun,
    Ranker,
)


@admin.register(Match)
class MatchAdmin(admin.ModelAdmin):
    list_display = ["demand", "achievement", "score", "run", "updated_at"]
    search_fields = ["demand__title", "achievement__title"]
    list_select_related = ["demand", "achievement"]
    raw_id_fields = ["demand", "achievement", "run"]


@admin.register(MatchFeedback)
class MatchFeedbackAdmin(admin.ModelAdmin):
    list_display = ["match", "organization", "verdict", "updated_at"]
    list_filter = ["verdict"]
    search_fields = ["organization__name"]
    raw_id_fields = ["match", "user", "organization"]


class ChunkInline(admin.TabularInline):
    model = MatchChunk
    extra = 0
    fields = ["side", "status", "attempts", "claimed_at", "finished_at"]
    readonly_fields = fields


@admin.register(MatchRun)
class MatchRunAdmin(admin.ModelAdmin):
    list_display = ["id", "status", "done_chunks", "total_chunks", "created_at", "finished_at"]
    list_filter = ["status"]
    search_fields = ["id"]
    inlines = [ChunkInline]


@admin.register(MatchChunk)
class MatchChunkAdmin(admin.ModelAdmin):
    list_display = ["id", "run", "side", "status", "attempts"]
    list_filter = ["status", "side"]
    search_fields = ["run__id"]


@admin.register(MatchNotice)
class MatchNoticeAdmin(admin.ModelAdmin):
    list_display = ["user", "demand", "achievement", "created_at"]
    search_fields = ["user__username"]
    raw_id_fields = ["user", "demand", "achievement"]


@admin.register(ItemVector)
class ItemVectorAdmin(admin.ModelAdmin):
    """Embeddings; a failed one shows its error (the item is matched by words)."""

    list_display = ["side", "item_id", "model", "attempts", "error", "updated_at"]
    list_filter = ["side", "model"]
    search_fields = ["item_id", "error"]
    exclude = ["vector", "sentence_vectors"]
    readonly_fields = ["side", "item_id", "model", "digest", "sentences", "attempts", "error"]


@admin.register(Ranker)
class RankerAdmin(admin.ModelAdmin):
    """Fitted ranking models: read-only (fitted by `manage.py matching_fit`)."""

    list_display = ["version", "embedder", "active", "created_at"]
    readonly_fields = ["version", "embedder", "features", "weights", "bias", "metrics", "active"]

    def has_add_permission(self, request):
        return False
