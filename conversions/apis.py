"""/api/v1/conversion-projects/: the high-tech conversion project library."""

from drf_spectacular.utils import extend_schema
from rest_framework import mixins, permissions, status, viewsets
from rest_framework.decorators import action
from rest_framework.response import Response

from conversions import selectors, services
from conversions.serializers import ConversionProjectInSerializer, ConversionProjectSerializer


class ConversionProjectViewSet(
    mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet
):
    serializer_class = ConversionProjectSerializer
    permission_classes = [permissions.IsAuthenticatedOrReadOnly]
    filterset_fields = ["status", "tech_field", "source"]

    def get_queryset(self):
        return selectors.projects_visible_to(self.request.user).order_by("-created_at", "-id")

    @extend_schema(request=ConversionProjectInSerializer, responses=ConversionProjectSerializer)
    def create(self, request):
        body = ConversionProjectInSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        project = services.project_create(by=request.user, data=body.validated_data)
        return Response(ConversionProjectSerializer(project).data, status=status.HTTP_201_CREATED)

    @extend_schema(request=None)
    @action(detail=True, methods=["post"])
    def submit(self, request, pk=None):
        project = services.project_submit(project=self.get_object(), by=request.user)
        return Response(ConversionProjectSerializer(project).data)
