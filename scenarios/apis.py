from django.shortcuts import get_object_or_404
from drf_spectacular.utils import extend_schema
from rest_framework import serializers, status
from rest_framework.decorators import action
from rest_framework.response import Response

from portal.core import registry
from portal.core.api import VisibleRelatedField
from portal.library.apis import LibraryViewSet
from portal.library.serializers import LibraryItemSerializer
from scenarios import selectors, services
from scenarios.filters import ScenarioFilter
from scenarios.models import Proposal, Scenario


class ScenarioSerializer(LibraryItemSerializer):
    class Meta:
        model = Scenario
        fields = [*LibraryItemSerializer.COMMON, "description", "deadline"]
        read_only_fields = LibraryItemSerializer.READ_ONLY


class ProposalSerializer(serializers.ModelSerializer):
    achievement = VisibleRelatedField(
        selector=lambda user: registry.library("achievements").visible(user)
    )

    class Meta:
        model = Proposal
        fields = ["id", "scenario", "organization", "achievement", "note", "status", "created_at"]
        read_only_fields = ["scenario", "organization", "status", "created_at"]


class ScenarioViewSet(LibraryViewSet):
    serializer_class = ScenarioSerializer
    filterset_class = ScenarioFilter
    ordering_fields = ["published_at", "created_at", "deadline", "title"]

    visible = staticmethod(selectors.scenarios_visible_to)

    services = services.SERVICES

    @extend_schema(request=None)
    @action(detail=True, methods=["post"])
    def close(self, request, pk=None):
        return self._act("close")

    @extend_schema(methods=["get"], responses=ProposalSerializer(many=True))
    @extend_schema(
        methods=["post"], request=ProposalSerializer, responses={201: ProposalSerializer}
    )
    @action(detail=True, methods=["get", "post"])
    def proposals(self, request, pk=None):
        scenario = get_object_or_404(self.visible(request.user), pk=pk)
        if request.method == "GET":
            return Response(
                ProposalSerializer(
                    selectors.proposals_visible_to(request.user, scenario), many=True
                ).data
            )
        body = ProposalSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        proposal = services.proposal_submit(
            scenario=scenario,
            by=request.user,
            achievement=body.validated_data["achievement"],
            note=body.validated_data.get("note", ""),
        )
        return Response(ProposalSerializer(proposal).data, status=status.HTTP_201_CREATED)
