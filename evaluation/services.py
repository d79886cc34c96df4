"""Saving evaluations to achievements; the computations live in trl.py and valuation.py."""

from django.db import transaction
from django.utils.translation import gettext as _

from evaluation import trl, valuation
from evaluation.models import EvaluationReport
from evaluation.permissions import can_save_report
from portal.core.audit import audit_log
from portal.core.errors import NotPermitted


def valuation_payload(result: valuation.Valuation) -> dict:
    return {
        "method": result.method,
        "value": f"{result.value:.2f}",
        "low": f"{result.low:.2f}",
        "high": f"{result.high:.2f}",
        "explanation": result.explanation,
        "comparables": result.comparables,
    }


@transaction.atomic
def report_save(*, achievement, by, kind: str, inputs: dict) -> EvaluationReport:
    """Recompute the evaluation from its inputs and keep it with the achievement."""
    if not can_save_report(by, achievement):
        raise NotPermitted(_("Only the achievement's organisation can save evaluations to it."))
    report = EvaluationReport(achievement=achievement, created_by=by, inputs=inputs)
    if kind == EvaluationReport.Kind.TRL:
        assessment = trl.assess(inputs.get("answers"))
        report.kind, report.level = kind, assessment.level
        report.result = {"level": assessment.level, "evidence": assessment.evidence}
    else:
        result = valuation.valuate(inputs)
        report.kind, report.method, report.value = (
            EvaluationReport.Kind.VALUATION,
            result.method,
            result.value,
        )
        report.result = valuation_payload(result)
    report.save()
    audit_log(
        action="evaluation.report.saved",
        actor=by,
        target=achievement,
        data={"report": report.pk, "kind": report.kind},
    )
    return report
