from django.shortcuts import get_object_or_404
from django.utils.translation import gettext as _
from drf_spectacular.utils import extend_schema, extend_schema_view
from rest_framework import permissions, status
from rest_framework.response import Response
from rest_framework.views import APIView

from achievements.selectors import achievements_visible_to
from demands.selectors import demands_visible_to
from matching import selectors, services
from matching.models import MatchRun
from matching.permissions import can_see_matches, can_start_run
from matching.serializers import (
    AchievementMatchSerializer,
    DemandMatchSerializer,
    ExpertMatchSerializer,
    FeedbackOutSerializer,
    FeedbackSerializer,
    RunSerializer,
)
from portal.core.errors import NotPermitted


def _check(user, item):
    if not can_see_matches(user, item):
        raise NotPermitted(_("Only the owner, brokers and staff in scope follow its matches."))


class _MatchesApi(APIView):
    # An item's matches; subclasses set `side`, its `visible` selector, `serializer`.
    permission_classes = [permissions.IsAuthenticated]

    def get(self, request, pk: int):
        item = get_object_or_404(self.visible(request.user), pk=pk)
        _check(request.user, item)
        matches = selectors.matches_for(item, request.user, side=self.side)
        return Response(self.serializer(matches, many=True).data)


@extend_schema_view(get=extend_schema(responses=DemandMatchSerializer(many=True)))
class DemandMatchesApi(_MatchesApi):
    side, visible, serializer = "demand", staticmethod(demands_visible_to), DemandMatchSerializer


@extend_schema_view(get=extend_schema(responses=AchievementMatchSerializer(many=True)))
class AchievementMatchesApi(_MatchesApi):
    side = "achievement"
    visible = staticmethod(achievements_visible_to)
    serializer = AchievementMatchSerializer


class DemandExpertsApi(APIView):
    permission_classes = [permissions.IsAuthenticated]

    @extend_schema(responses=ExpertMatchSerializer(many=True))
    def get(self, request, pk: int):
        demand = get_object_or_404(demands_visible_to(request.user), pk=pk)
        _check(request.user, demand)
        rows = services.experts_for_demand(demand)
        return Response(ExpertMatchSerializer(rows, many=True).data)


class FeedbackApi(APIView):
    permission_classes = [permissions.IsAuthenticated]

    @extend_schema(request=FeedbackSerializer, responses=FeedbackOutSerializer)
    def post(self, request, pk: int):
        match = get_object_or_404(selectors.matches_of_party(request.user), pk=pk)
        body = FeedbackSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        feedback = services.feedback_give(
            match=match, by=request.user, verdict=body.validated_data["verdict"]
        )
        return Response(FeedbackOutSerializer(feedback).data)


class _StaffOnly(permissions.BasePermission):
    def has_permission(self, request, view):
        return can_start_run(request.user)


class RunListApi(APIView):
    permission_classes = [permissions.IsAuthenticated, _StaffOnly]

    @extend_schema(request=None, responses={202: RunSerializer})
    def post(self, request):
        try:
            run = services.run_start(by=request.user)
        except services.RunAlreadyActive as exc:
            return Response(
                {
                    "detail": _("A full re-match is already running (#%(id)s).")
                    % {"id": exc.run.pk},
                    "id": exc.run.pk,
                },
                status=status.HTTP_409_CONFLICT,
            )
        run.refresh_from_db()
        return Response(RunSerializer(run).data, status=status.HTTP_202_ACCEPTED)


class RunDetailApi(APIView):
    permission_classes = [permissions.IsAuthenticated, _StaffOnly]

    @extend_schema(responses=RunSerializer)
    def get(self, request, pk: int):
        return Response(RunSerializer(get_object_or_404(MatchRun, pk=pk)).data)
