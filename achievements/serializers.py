from achievements.models import Achievement
from portal.library.serializers import LibraryItemSerializer


class AchievementSerializer(LibraryItemSerializer):
    class Meta:
        model = Achievement
        fields = [
            *LibraryItemSerializer.COMMON,
            "summary",
            "description",
            "completers",
            "trl",
            "patents",
            "transfer_modes",
            "pricing_mode",
            "asking_price",
        ]
        read_only_fields = LibraryItemSerializer.READ_ONLY
