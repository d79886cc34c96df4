from demands.models import Demand
from portal.library.serializers import LibraryItemSerializer


class DemandSerializer(LibraryItemSerializer):
    class Meta:
        model = Demand
        fields = [
            *LibraryItemSerializer.COMMON,
            "description",
            "budget_min",
            "budget_max",
            "deadline",
            "cooperation_modes",
            "is_challenge",
            "reward",
        ]
        read_only_fields = LibraryItemSerializer.READ_ONLY
