from django.utils.translation import gettext as _
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import permissions
from rest_framework.response import Response
from rest_framework.views import APIView

from portal.core import ratelimit
from portal.library import suggest
from portal.site import stats, verification


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


class SuggestionsApi(APIView):
    """搜索联想: up to 8 titles and keywords of published items starting with
    `q`, the most used first: {"suggestions": [{"term", "items"}, ...]}."""

    permission_classes = [permissions.AllowAny]
    authentication_classes = []

    @extend_schema(parameters=[OpenApiParameter("q", str)], responses=dict)
    def get(self, request):
        ratelimit.check(request, "suggest")
        return Response({"suggestions": suggest.suggestions(request.query_params.get("q", ""))})


class CertificateApi(APIView):
    """Anyone: what a registration or transaction certificate's number certifies
    (404 if no certificate has it). Rate-limited per address."""

    permission_classes = [permissions.AllowAny]
    authentication_classes = []

    @extend_schema(responses=dict)
    def get(self, request, number: str):
        from rest_framework.exceptions import NotFound

        ratelimit.check(request, "verify")
        clean = verification.check(number)  # a malformed number is a 400 with its message
        found = verification.certificate(clean)
        if found is None:
            raise NotFound(_("No certificate has the number %(number)s.") % {"number": clean})
        found.pop("contract_type_label")
        return Response(found)
