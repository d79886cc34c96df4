import json

from rest_framework import serializers

from accounts.models import Organization
from challenges.models import (
    Challenge,
    ChallengeApplication,
    ChallengeMilestone,
    ChallengeReport,
    ChallengeReview,
)
from portal.core.reference import TechField


class ChallengeIndicatorSerializer(serializers.Serializer):
    name = serializers.CharField(max_length=200)
    target = serializers.CharField(max_length=200)
    method = serializers.CharField(max_length=200)


class ChallengeMilestoneSerializer(serializers.Serializer):
    percent = serializers.IntegerField(min_value=1, max_value=100)
    trigger = serializers.CharField(max_length=100)


class ChallengeSerializer(serializers.ModelSerializer):
    """API.md: id, code, title, summary, issuer, reward_total, milestones,
    indicators, application_opens_on, application_closes_on, status,
    selected_application, contract; `detail` only past the NDA."""

    summary = serializers.CharField(source="public_summary")
    issuer = serializers.PrimaryKeyRelatedField(read_only=True)

    class Meta:
        model = Challenge
        fields = [
            "id",
            "code",
            "title",
            "summary",
            "issuer",
            "reward_total",
            "milestones",
            "indicators",
            "criteria",
            "application_opens_on",
            "application_closes_on",
            "status",
            "selected_application",
            "contract",
            "midterm_passed_on",
            "rectify_by",
            "acceptance_failed_on",
            "republished_from",
        ]

    def to_representation(self, instance):
        data = super().to_representation(instance)
        if self.context.get("detail_for", set()) and instance.pk in self.context["detail_for"]:
            data["detail"] = instance.confidential_detail
        return data


class ChallengeInSerializer(serializers.Serializer):
    title = serializers.CharField(max_length=200)
    summary = serializers.CharField(max_length=20000)
    detail = serializers.CharField(max_length=20000, required=False, allow_blank=True, default="")
    tech_field = serializers.ChoiceField(choices=TechField.choices)
    indicators = ChallengeIndicatorSerializer(many=True)
    deliverables = serializers.ListField(
        child=serializers.CharField(max_length=200), required=False, default=list
    )
    ip_terms = serializers.ChoiceField(choices=Challenge.IpTerms.choices)
    reward_total = serializers.DecimalField(max_digits=15, decimal_places=2)
    milestones = ChallengeMilestoneSerializer(many=True, required=False, default=list)
    application_opens_on = serializers.DateField()
    application_closes_on = serializers.DateField()
    implementation_months = serializers.IntegerField(min_value=1, max_value=120)
    eligibility_notes = serializers.CharField(
        max_length=2000, required=False, allow_blank=True, default=""
    )
    allow_consortium = serializers.BooleanField(required=False, default=True)
    evaluation_method = serializers.ChoiceField(choices=Challenge.EvaluationMethod.choices)
    criteria = serializers.ListField(child=serializers.CharField(max_length=100))


class ChallengeApplicationSerializer(serializers.ModelSerializer):
    class Meta:
        model = ChallengeApplication
        fields = [
            "id",
            "challenge",
            "lead",
            "team_leader",
            "members",
            "plan",
            "budget",
            "status",
            "score",
        ]


class ChallengeApplicationInSerializer(serializers.Serializer):
    plan = serializers.CharField(max_length=20000)
    team_leader = serializers.CharField(max_length=100)
    members = serializers.ListField(
        child=serializers.CharField(max_length=100), required=False, default=list
    )
    consortium = serializers.PrimaryKeyRelatedField(
        queryset=Organization.objects.filter(verified=True), many=True, required=False, default=list
    )
    budget = serializers.DecimalField(
        max_digits=15, decimal_places=2, required=False, allow_null=True
    )


class ChallengeReviewInSerializer(serializers.Serializer):
    scores = serializers.DictField(child=serializers.IntegerField(min_value=0, max_value=100))
    comment = serializers.CharField(max_length=2000, required=False, allow_blank=True, default="")
    conflict = serializers.BooleanField(required=False, default=False)


class ChallengeReviewSerializer(serializers.ModelSerializer):
    class Meta:
        model = ChallengeReview
        fields = ["id", "application", "scores", "total", "comment", "submitted_at"]


class ChallengeDecisionSerializer(serializers.Serializer):
    reason = serializers.CharField(max_length=500, required=False, allow_blank=True, default="")


class ChallengeSelectSerializer(serializers.Serializer):
    application = serializers.PrimaryKeyRelatedField(queryset=ChallengeApplication.objects.all())


class EvidenceField(serializers.JSONField):
    """The evidence per indicator: JSON in a JSON body, a JSON string in a multipart form."""

    def to_internal_value(self, data):
        if isinstance(data, str):
            try:
                data = json.loads(data)
            except (ValueError, RecursionError):
                self.fail("invalid")
        return super().to_internal_value(data)


class ChallengeReportSerializer(serializers.ModelSerializer):
    has_document = serializers.SerializerMethodField()

    class Meta:
        model = ChallengeReport
        fields = [
            "id",
            "challenge",
            "kind",
            "summary",
            "evidence",
            "has_document",
            "result",
            "comment",
            "rectify_by",
            "submitted_at",
            "decided_at",
        ]

    def get_has_document(self, report) -> bool:
        return bool(report.document)


class ChallengeReportInSerializer(serializers.Serializer):
    kind = serializers.ChoiceField(choices=ChallengeReport.Kind.choices)
    summary = serializers.CharField(max_length=20000)
    # [{"name", "result", "method"}]: the method as the 榜单 names it.
    evidence = EvidenceField(required=False, default=list)
    document = serializers.FileField(required=False, allow_null=True, default=None)


class ChallengeReportDecisionSerializer(serializers.Serializer):
    result = serializers.ChoiceField(choices=["pass", "rectify", "fail"])
    comment = serializers.CharField(max_length=2000, required=False, allow_blank=True, default="")
    rectify_by = serializers.DateField(required=False, allow_null=True, default=None)


class ChallengeMilestonePaymentSerializer(serializers.ModelSerializer):
    due = serializers.SerializerMethodField()

    class Meta:
        model = ChallengeMilestone
        fields = [
            "id",
            "challenge",
            "order",
            "percent",
            "trigger",
            "stage",
            "amount",
            "due",
            "payment",
            "recorded_at",
        ]

    def get_due(self, milestone) -> bool:
        from challenges.services import milestone_due

        return milestone_due(milestone, milestone.challenge)


class ChallengeMilestoneRecordSerializer(serializers.Serializer):
    payment = serializers.IntegerField(min_value=1)
