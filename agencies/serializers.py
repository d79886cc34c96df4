from rest_framework import serializers

from agencies.models import Agency
from agencies.selectors import last_grades
from credit.selectors import public_records


class AgencySerializer(serializers.ModelSerializer):
    """API.md: level, grades by year, credit records."""

    name = serializers.CharField(source="organization.name")
    grades = serializers.SerializerMethodField()
    credit_records = serializers.SerializerMethodField()

    class Meta:
        model = Agency
        fields = ["id", "name", "kind", "level", "status", "grades", "credit_records"]

    def get_grades(self, agency) -> list[dict]:
        return [
            {"year": e.round.year, "score": str(e.total), "grade": e.grade}
            for e in last_grades(agency)
        ]

    def get_credit_records(self, agency) -> list[dict]:
        return [
            {"kind": r.kind, "reason": r.reason, "starts_on": r.starts_on, "ends_on": r.ends_on}
            for r in public_records(organization_id=agency.organization_id)
        ]
