import json

from django.shortcuts import get_object_or_404
from django.utils.translation import gettext as _
from drf_spectacular.utils import extend_schema
from rest_framework import permissions, serializers, status
from rest_framework.response import Response
from rest_framework.views import APIView

from evaluation import services, trl, valuation
from evaluation.methods import methods
from portal.core import registry
from portal.core.limits import EVALUATION_INPUTS_MAX


class MethodSerializer(serializers.Serializer):
    slug = serializers.CharField()
    title = serializers.CharField()
    summary = serializers.CharField()
    body = serializers.CharField()
    tool = serializers.CharField()


class QuestionSerializer(serializers.Serializer):
    id = serializers.CharField()
    level = serializers.IntegerField()
    text = serializers.CharField()


class AnswersSerializer(serializers.Serializer):
    answers = serializers.DictField(child=serializers.BooleanField())


class AssessmentSerializer(serializers.Serializer):
    level = serializers.IntegerField()
    evidence = QuestionSerializer(many=True)


class ValuationSerializer(serializers.Serializer):
    method = serializers.CharField()
    value = serializers.CharField()
    low = serializers.CharField()
    high = serializers.CharField()
    explanation = serializers.CharField()
    comparables = serializers.IntegerField(allow_null=True)


class CatalogueApi(APIView):
    permission_classes = [permissions.AllowAny]

    @extend_schema(responses=MethodSerializer(many=True))
    def get(self, request):
        return Response(MethodSerializer(methods(), many=True).data)


class TrlApi(APIView):
    permission_classes = [permissions.AllowAny]

    @extend_schema(responses=QuestionSerializer(many=True))
    def get(self, request):
        return Response(trl.questionnaire())

    @extend_schema(request=AnswersSerializer, responses=AssessmentSerializer)
    def post(self, request):
        result = trl.assess(request.data.get("answers") if isinstance(request.data, dict) else None)
        return Response({"level": result.level, "evidence": result.evidence})


class ValuationApi(APIView):
    permission_classes = [permissions.AllowAny]

    @extend_schema(request=dict, responses=ValuationSerializer)
    def post(self, request):
        data = request.data if isinstance(request.data, dict) else {}
        return Response(services.valuation_payload(valuation.valuate(dict(data))))


class ReportCreateSerializer(serializers.Serializer):
    kind = serializers.ChoiceField(choices=["trl", "valuation"])
    inputs = serializers.DictField()

    def validate_inputs(self, value: dict) -> dict:
        """The inputs are kept with the report: a few kilobytes, never more."""
        if len(json.dumps(value, ensure_ascii=False).encode()) > EVALUATION_INPUTS_MAX:
            raise serializers.ValidationError(
                _("The inputs are larger than %(n)d bytes.") % {"n": EVALUATION_INPUTS_MAX}
            )
        return value


class ReportApi(APIView):
    """Save an evaluation to an achievement (its owner)."""

    permission_classes = [permissions.IsAuthenticated]

    @extend_schema(request=ReportCreateSerializer, responses={201: dict})
    def post(self, request, pk: int):
        achievement = get_object_or_404(
            registry.library("achievements").visible(request.user), pk=pk
        )
        body = ReportCreateSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        report = services.report_save(
            achievement=achievement,
            by=request.user,
            kind=body.validated_data["kind"],
            inputs=body.validated_data["inputs"],
        )
        return Response(
            {"id": report.pk, "kind": report.kind, "result": report.result},
            status=status.HTTP_201_CREATED,
        )
