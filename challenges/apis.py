"""/api/v1/challenges/ and /api/v1/challenge-applications/ (API.md, "The market")."""

from django.utils.translation import gettext as _
from drf_spectacular.utils import extend_schema
from rest_framework import mixins, permissions, status, viewsets
from rest_framework.decorators import action
from rest_framework.exceptions import NotFound
from rest_framework.response import Response

from challenges import selectors, services
from challenges.serializers import (
    ChallengeApplicationInSerializer,
    ChallengeApplicationSerializer,
    ChallengeDecisionSerializer,
    ChallengeInSerializer,
    ChallengeMilestonePaymentSerializer,
    ChallengeMilestoneRecordSerializer,
    ChallengeReportDecisionSerializer,
    ChallengeReportInSerializer,
    ChallengeReportSerializer,
    ChallengeReviewInSerializer,
    ChallengeReviewSerializer,
    ChallengeSelectSerializer,
    ChallengeSerializer,
)
from contracts.models import Payment
from portal.core.errors import RuleBroken


def service_data(validated: dict) -> dict:
    """The API's field names as the service's (summary, detail)."""
    data = dict(validated)
    data["public_summary"] = data.pop("summary")
    data["confidential_detail"] = data.pop("detail", "")
    return data


class ChallengeViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet):
    serializer_class = ChallengeSerializer
    permission_classes = [permissions.IsAuthenticatedOrReadOnly]
    filterset_fields = ["status", "tech_field"]

    def get_queryset(self):
        return selectors.challenges_visible_to(self.request.user).order_by("-created_at", "-id")

    def retrieve(self, request, *args, **kwargs):
        challenge = self.get_object()
        shown = {challenge.pk} if services.may_see_detail(request.user, challenge) else set()
        return Response(ChallengeSerializer(challenge, context={"detail_for": shown}).data)

    def _done(self, challenge, code=status.HTTP_200_OK):
        shown = {challenge.pk} if services.may_see_detail(self.request.user, challenge) else set()
        return Response(
            ChallengeSerializer(challenge, context={"detail_for": shown}).data, status=code
        )

    @extend_schema(request=ChallengeInSerializer, responses=ChallengeSerializer)
    def create(self, request):
        body = ChallengeInSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        challenge = services.challenge_create(
            by=request.user, data=service_data(body.validated_data)
        )
        return self._done(challenge, status.HTTP_201_CREATED)

    @extend_schema(request=None)
    @action(detail=True, methods=["post"])
    def submit(self, request, pk=None):
        return self._done(services.challenge_submit(challenge=self.get_object(), by=request.user))

    @extend_schema(request=None)
    @action(detail=True, methods=["post"])
    def approve(self, request, pk=None):
        return self._done(
            services.challenge_review(
                challenge=self.get_object(), by=request.user, decision="approve"
            )
        )

    @extend_schema(request=ChallengeDecisionSerializer)
    @action(detail=True, methods=["post"])
    def reject(self, request, pk=None):
        body = ChallengeDecisionSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        return self._done(
            services.challenge_review(
                challenge=self.get_object(),
                by=request.user,
                decision="reject",
                reason=body.validated_data["reason"],
            )
        )

    @extend_schema(request=None)
    @action(detail=True, methods=["post"])
    def close_applications(self, request, pk=None):
        return self._done(
            services.challenge_act(
                challenge=self.get_object(), by=request.user, action="close_applications"
            )
        )

    @extend_schema(request=ChallengeSelectSerializer)
    @action(detail=True, methods=["post"])
    def select(self, request, pk=None):
        body = ChallengeSelectSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        return self._done(
            services.challenge_select(
                challenge=self.get_object(),
                by=request.user,
                application=body.validated_data["application"],
            )
        )

    @extend_schema(request=None)
    @action(detail=True, methods=["post"])
    def award(self, request, pk=None):
        return self._done(services.challenge_award(challenge=self.get_object(), by=request.user))

    @extend_schema(request=ChallengeDecisionSerializer)
    @action(detail=True, methods=["post"])
    def cancel(self, request, pk=None):
        body = ChallengeDecisionSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        return self._done(
            services.challenge_act(
                challenge=self.get_object(),
                by=request.user,
                action="cancel",
                reason=body.validated_data["reason"],
            )
        )

    @extend_schema(
        request=ChallengeApplicationInSerializer, responses=ChallengeApplicationSerializer
    )
    @action(detail=True, methods=["post"])
    def applications(self, request, pk=None):
        body = ChallengeApplicationInSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        application = services.application_submit(
            challenge=self.get_object(), by=request.user, data=body.validated_data
        )
        return Response(
            ChallengeApplicationSerializer(application).data, status=status.HTTP_201_CREATED
        )

    # --- after the award -----------------------------------------------------------

    @extend_schema(request=None)
    @action(detail=True, methods=["post"])
    def agreement(self, request, pk=None):
        """The issuer or the taker drafts the agreement: a technology contract
        that then follows the contracts flow (`contract` in the answer)."""
        challenge = self.get_object()
        services.agreement_draft(challenge=challenge, by=request.user)
        challenge.refresh_from_db()
        return self._done(challenge, status.HTTP_201_CREATED)

    @extend_schema(request=None)
    @action(detail=True, methods=["post"])
    def start(self, request, pk=None):
        return self._done(services.challenge_start(challenge=self.get_object(), by=request.user))

    @extend_schema(request=ChallengeDecisionSerializer)
    @action(detail=True, methods=["post"])
    def terminate(self, request, pk=None):
        body = ChallengeDecisionSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        return self._done(
            services.challenge_terminate(
                challenge=self.get_object(), by=request.user, reason=body.validated_data["reason"]
            )
        )

    @extend_schema(request=None)
    @action(detail=True, methods=["post"])
    def republish(self, request, pk=None):
        again = services.challenge_republish(challenge=self.get_object(), by=request.user)
        return self._done(again, status.HTTP_201_CREATED)

    def _party_or_404(self):
        challenge = self.get_object()
        if not services.is_party(self.request.user, challenge):
            raise NotFound
        return challenge

    @extend_schema(
        methods=["POST"], request=ChallengeReportInSerializer, responses=ChallengeReportSerializer
    )
    @extend_schema(methods=["GET"], responses=ChallengeReportSerializer(many=True))
    @action(detail=True, methods=["get", "post"])
    def reports(self, request, pk=None):
        """The midterm and acceptance reports: the issuer, the taker and staff."""
        challenge = self._party_or_404()
        if request.method == "GET":
            rows = selectors.reports_visible_to(request.user).filter(challenge=challenge)
            return Response(ChallengeReportSerializer(rows, many=True).data)
        body = ChallengeReportInSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        report = services.report_submit(challenge=challenge, by=request.user, **body.validated_data)
        return Response(ChallengeReportSerializer(report).data, status=status.HTTP_201_CREATED)

    @extend_schema(request=None, responses=ChallengeMilestonePaymentSerializer(many=True))
    @action(detail=True, methods=["get"])
    def milestones(self, request, pk=None):
        challenge = self._party_or_404()
        rows = selectors.milestones_visible_to(request.user).filter(challenge=challenge)
        return Response(ChallengeMilestonePaymentSerializer(rows, many=True).data)


class ReportViewSet(mixins.RetrieveModelMixin, viewsets.GenericViewSet):
    serializer_class = ChallengeReportSerializer
    permission_classes = [permissions.IsAuthenticated]

    def get_queryset(self):
        return selectors.reports_visible_to(self.request.user).order_by("id")

    @extend_schema(request=ChallengeReportDecisionSerializer, responses=ChallengeReportSerializer)
    @action(detail=True, methods=["post"])
    def decision(self, request, pk=None):
        body = ChallengeReportDecisionSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        report = services.report_decide(
            report=self.get_object(), by=request.user, **body.validated_data
        )
        return Response(ChallengeReportSerializer(report).data)


class MilestoneViewSet(mixins.RetrieveModelMixin, viewsets.GenericViewSet):
    serializer_class = ChallengeMilestonePaymentSerializer
    permission_classes = [permissions.IsAuthenticated]

    def get_queryset(self):
        return selectors.milestones_visible_to(self.request.user).order_by("id")

    @extend_schema(
        request=ChallengeMilestoneRecordSerializer, responses=ChallengeMilestonePaymentSerializer
    )
    @action(detail=True, methods=["post"])
    def payment(self, request, pk=None):
        """The verified payment of the agreement that settled this milestone."""
        milestone = self.get_object()
        body = ChallengeMilestoneRecordSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        paid = Payment.objects.filter(
            pk=body.validated_data["payment"], contract_id=milestone.challenge.contract_id
        ).first()
        if paid is None:
            raise RuleBroken({"payment": [_("No payment of this agreement has this number.")]})
        done = services.milestone_record(milestone=milestone, by=request.user, payment=paid)
        return Response(ChallengeMilestonePaymentSerializer(done).data)


class ApplicationViewSet(mixins.RetrieveModelMixin, viewsets.GenericViewSet):
    serializer_class = ChallengeApplicationSerializer
    permission_classes = [permissions.IsAuthenticated]

    def get_queryset(self):
        return selectors.applications_visible_to(self.request.user).order_by("id")

    @extend_schema(request=ChallengeReviewInSerializer, responses=ChallengeReviewSerializer)
    @action(detail=True, methods=["post"])
    def reviews(self, request, pk=None):
        body = ChallengeReviewInSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        data = body.validated_data
        review = services.review_submit(
            application=self.get_object(),
            by=request.user,
            scores=data["scores"],
            comment=data["comment"],
            conflict=data["conflict"],
        )
        if review is None:
            return Response(status=status.HTTP_204_NO_CONTENT)
        return Response(ChallengeReviewSerializer(review).data, status=status.HTTP_201_CREATED)
