from rest_framework import serializers

from matching.models import Match, MatchFeedback, MatchRun
from matching.reasons import say


class _ItemSummary(serializers.Serializer):
    id = serializers.IntegerField()
    title = serializers.CharField()
    organization = serializers.IntegerField(source="organization_id")
    organization_name = serializers.CharField(source="organization.name")
    tech_field = serializers.CharField()
    market = serializers.CharField(source="organization.market.code")


class AchievementSummary(_ItemSummary):
    trl = serializers.IntegerField()
    asking_price = serializers.DecimalField(max_digits=15, decimal_places=2, allow_null=True)


class DemandSummary(_ItemSummary):
    budget_min = serializers.DecimalField(max_digits=15, decimal_places=2, allow_null=True)
    budget_max = serializers.DecimalField(max_digits=15, decimal_places=2, allow_null=True)
    deadline = serializers.DateField()


class _MatchSerializer(serializers.ModelSerializer):
    reasons = serializers.SerializerMethodField()
    feedback = serializers.CharField(source="my_verdict", allow_null=True, read_only=True)

    def get_reasons(self, match: Match) -> list[str]:
        return say(match.reasons)


class DemandMatchSerializer(_MatchSerializer):
    """A demand's match: the achievement recommended to it."""

    achievement = AchievementSummary()

    class Meta:
        model = Match
        fields = ["id", "achievement", "score", "reasons", "feedback"]


class AchievementMatchSerializer(_MatchSerializer):
    demand = DemandSummary()

    class Meta:
        model = Match
        fields = ["id", "demand", "score", "reasons", "feedback"]


class ExpertSummary(serializers.Serializer):
    id = serializers.IntegerField()
    name = serializers.CharField()
    title = serializers.CharField()
    affiliation = serializers.CharField(source="organization.name", default="")


class ExpertMatchSerializer(serializers.Serializer):
    expert = ExpertSummary()
    score = serializers.FloatField()
    reasons = serializers.SerializerMethodField()

    def get_reasons(self, row) -> list[str]:
        return say(row["reasons"])


class FeedbackSerializer(serializers.Serializer):
    verdict = serializers.ChoiceField(choices=MatchFeedback.Verdict.choices)


class FeedbackOutSerializer(serializers.ModelSerializer):
    class Meta:
        model = MatchFeedback
        fields = ["match", "verdict", "updated_at"]


class RunSerializer(serializers.ModelSerializer):
    progress = serializers.IntegerField(read_only=True)

    class Meta:
        model = MatchRun
        fields = [
            "id",
            "status",
            "progress",
            "total_chunks",
            "done_chunks",
            "created_at",
            "finished_at",
            "error",
        ]
        read_only_fields = fields
