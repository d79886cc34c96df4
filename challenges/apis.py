"""/api/v1/challenges/ and /api/v1/challenge-applications/ (API.md, "The market")."""

from drf_spectacular.utils import extend_schema
from rest_framework import mixins, permissions, status, viewsets
from rest_framework.decorators import action
from rest_framework.response import Response

from challenges import selectors, services
from challenges.serializers import (
    ChallengeApplicationInSerializer,
    ChallengeApplicationSerializer,
    ChallengeDecisionSerializer,
    ChallengeInSerializer,
    ChallengeReviewInSerializer,
    ChallengeReviewSerializer,
    ChallengeSelectSerializer,
    ChallengeSerializer,
)


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
