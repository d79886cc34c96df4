from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import permissions
from rest_framework.response import Response
from rest_framework.views import APIView

from portal.site import stats


class IndicatorsApi(APIView):
    """Per market and province: contract turnover and count, achievements and demands
    published, matches, subsidies granted, … each with its 2025 target where the plan
    sets one. At most an hour old."""

    permission_classes = [permissions.AllowAny]

    @extend_schema(parameters=[OpenApiParameter("year", int)], responses=dict)
    def get(self, request):
        from django.utils import timezone
        from rest_framework.exceptions import ValidationError

        raw = request.query_params.get("year", "")
        year = timezone.localdate().year
        if raw:
            if not raw.isdigit() or not 2000 <= int(raw) <= year + 1:
                raise ValidationError({"year": ["Give a year such as 2025."]})
            year = int(raw)
        return Response(stats.indicators(year))
