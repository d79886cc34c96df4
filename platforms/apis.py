"""/api/v1/platforms/: pilot bases and concept-verification centres (API.md,
"Brokers, agencies, platforms, conversion projects")."""

from drf_spectacular.utils import extend_schema
from rest_framework import mixins, permissions, status, viewsets
from rest_framework.decorators import action
from rest_framework.response import Response

from platforms import selectors, services
from platforms.models import Platform
from platforms.serializers import (
    PlatformInSerializer,
    PlatformReasonSerializer,
    PlatformReviewSerializer,
    PlatformSerializer,
)


class PlatformViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet):
    serializer_class = PlatformSerializer
    permission_classes = [permissions.IsAuthenticatedOrReadOnly]
    filterset_fields = ["kind", "level", "city", "status"]

    def get_queryset(self):
        return selectors.platforms_visible_to(self.request.user).order_by("-created_at", "-id")

    def _done(self, platform: Platform, code=status.HTTP_200_OK):
        return Response(PlatformSerializer(platform).data, status=code)

    @extend_schema(request=PlatformInSerializer, responses=PlatformSerializer)
    def create(self, request):
        body = PlatformInSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        return self._done(
            services.platform_create(by=request.user, data=body.validated_data),
            status.HTTP_201_CREATED,
        )

    @extend_schema(request=None)
    @action(detail=True, methods=["post"])
    def submit(self, request, pk=None):
        return self._done(services.platform_submit(platform=self.get_object(), by=request.user))

    @extend_schema(request=PlatformReasonSerializer)
    @action(detail=True, methods=["post"])
    def recommend(self, request, pk=None):
        return self._done(
            services.platform_recommend(platform=self.get_object(), by=request.user, recommend=True)
        )

    @extend_schema(request=PlatformReviewSerializer)
    @action(detail=True, methods=["post"])
    def review(self, request, pk=None):
        body = PlatformReviewSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        return self._done(
            services.platform_review(
                platform=self.get_object(), by=request.user, **body.validated_data
            )
        )

    @extend_schema(request=None)
    @action(detail=True, methods=["post"])
    def recognize(self, request, pk=None):
        return self._done(services.platform_recognize(platform=self.get_object(), by=request.user))

    @extend_schema(request=PlatformReasonSerializer)
    @action(detail=True, methods=["post"])
    def revoke(self, request, pk=None):
        body = PlatformReasonSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        return self._done(
            services.platform_revoke(
                platform=self.get_object(), by=request.user, reason=body.validated_data["reason"]
            )
        )
