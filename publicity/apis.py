from django.shortcuts import get_object_or_404
from django.utils.translation import gettext as _
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import permissions, status, viewsets
from rest_framework.decorators import action
from rest_framework.exceptions import ValidationError
from rest_framework.response import Response

from publicity import selectors, services
from publicity.models import Objection, Publicity
from publicity.serializers import ObjectionSerializer, PublicitySerializer, ReplySerializer


class PublicityViewSet(viewsets.ReadOnlyModelViewSet):
    """Notices are public: every version of every publicity, newest first."""

    serializer_class = PublicitySerializer
    permission_classes = [permissions.AllowAny]

    def get_queryset(self):
        subject = self.request.query_params.get("subject")
        if subject is None or self.action != "list":
            return Publicity.objects.select_related("subject_type").order_by("-created_at", "-id")
        found = selectors.publicities_of_subject(subject)
        if found is None:
            raise ValidationError({"subject": [_("Give a subject such as listing:12.")]})
        return found.select_related("subject_type")

    @extend_schema(
        parameters=[OpenApiParameter("subject", str, description="e.g. listing:12")],
    )
    def list(self, request, *args, **kwargs):
        return super().list(request, *args, **kwargs)

    @extend_schema(
        methods=["get"], responses=ObjectionSerializer(many=True), parameters=[], request=None
    )
    @extend_schema(
        methods=["post"], request=ObjectionSerializer, responses={201: ObjectionSerializer}
    )
    @action(
        detail=True,
        methods=["get", "post"],
        permission_classes=[permissions.IsAuthenticated],
    )
    def objections(self, request, pk=None):
        publicity = self.get_object()
        if request.method == "GET":
            rows = selectors.objections_visible_to(request.user, publicity)
            return Response(ObjectionSerializer(rows, many=True).data)
        body = ObjectionSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        objection = services.objection_submit(
            publicity=publicity,
            by=request.user,
            facts=body.validated_data["facts"],
            contact=body.validated_data["contact"],
            real_name=body.validated_data.get("real_name", ""),
        )
        return Response(ObjectionSerializer(objection).data, status=status.HTTP_201_CREATED)


class ObjectionViewSet(viewsets.GenericViewSet):
    serializer_class = ObjectionSerializer
    permission_classes = [permissions.IsAuthenticated]

    def get_queryset(self):
        return Objection.objects.select_related("publicity")

    def _decide(self, request, pk, upheld: bool):
        objection = get_object_or_404(self.get_queryset(), pk=pk)
        if (
            not selectors.objections_visible_to(request.user, objection.publicity)
            .filter(pk=objection.pk)
            .exists()
        ):
            return Response(status=status.HTTP_404_NOT_FOUND)
        body = ReplySerializer(data=request.data)
        body.is_valid(raise_exception=True)
        decided = services.objection_decide(
            objection=objection, by=request.user, upheld=upheld, reply=body.validated_data["reply"]
        )
        return Response(ObjectionSerializer(decided).data)

    @extend_schema(request=ReplySerializer, responses=ObjectionSerializer)
    @action(detail=True, methods=["post"])
    def uphold(self, request, pk=None):
        return self._decide(request, pk, True)

    @extend_schema(request=ReplySerializer, responses=ObjectionSerializer)
    @action(detail=True, methods=["post"])
    def dismiss(self, request, pk=None):
        return self._decide(request, pk, False)
