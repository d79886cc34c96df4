"""The evaluation reports block of an achievement's page (a registry panel)."""

from evaluation.permissions import can_see_reports


def reports(request, achievement) -> dict:
    if not can_see_reports(request.user, achievement):
        return {}
    found = list(achievement.evaluation_reports.all()[:10])
    return {"reports": found} if found else {}
