from rest_framework import serializers

from accounts.selectors import organizations_visible_to
from achievements.selectors import achievements_visible_to
from contracts.models import Contract, Payment, SubsidyApplication, SubsidyLine, SubsidyProgram
from demands.selectors import demands_visible_to
from portal.core.api import VisibleRelatedField
from portal.core.audit import audit_history
from portal.core.dates import validate_plausible_date


class ContractSerializer(serializers.ModelSerializer):
    # References resolve among what the account may see: another organisation's
    # draft is "does not exist", exactly like an id nobody has.
    buyer = VisibleRelatedField(selector=organizations_visible_to)
    seller = VisibleRelatedField(selector=organizations_visible_to)
    achievement = VisibleRelatedField(
        selector=achievements_visible_to, allow_null=True, required=False
    )
    demand = VisibleRelatedField(selector=demands_visible_to, allow_null=True, required=False)
    broker = serializers.CharField(source="broker.username", read_only=True, default=None)
    market = serializers.CharField(source="market.code", read_only=True, default=None)
    has_document = serializers.SerializerMethodField()
    confirmed_by = serializers.SerializerMethodField(
        help_text="The parties whose administrators confirmed the contract as it stands."
    )

    class Meta:
        model = Contract
        fields = [
            "id",
            *Contract.TERMS,
            "status",
            "registration_number",
            "reject_reason",
            "broker",
            "market",
            "registered_at",
            "has_document",
            "confirmed_by",
            "consent_flagged",
        ]
        read_only_fields = [
            "status",
            "registration_number",
            "reject_reason",
            "registered_at",
            "consent_flagged",
        ]

    def get_has_document(self, contract: Contract) -> bool:
        return bool(contract.document)

    def get_confirmed_by(self, contract: Contract) -> list[str]:
        return [side for side in ("buyer", "seller") if getattr(contract, f"{side}_confirmed_at")]


class PaymentSerializer(serializers.ModelSerializer):
    evidence = serializers.FileField(write_only=True)

    class Meta:
        model = Payment
        fields = [
            "id",
            "contract",
            "amount",
            "paid_on",
            "evidence",
            "evidence_name",
            "status",
            "reject_reason",
            "verified_at",
            "buyer_confirmed_at",
        ]
        read_only_fields = [
            "contract",
            "evidence_name",
            "status",
            "reject_reason",
            "verified_at",
            "buyer_confirmed_at",
        ]


class ShareSerializer(serializers.Serializer):
    name = serializers.CharField(max_length=50)
    ratio = serializers.DecimalField(max_digits=6, decimal_places=4)


class RewardSerializer(serializers.Serializer):
    net_income = serializers.DecimalField(max_digits=15, decimal_places=2)
    team_ratio = serializers.DecimalField(max_digits=5, decimal_places=4)
    shares = ShareSerializer(many=True)


class ProgramSerializer(serializers.ModelSerializer):
    class Meta:
        model = SubsidyProgram
        fields = ["id", *SubsidyProgram.RULES]


class LineSerializer(serializers.ModelSerializer):
    class Meta:
        model = SubsidyLine
        fields = ["contract", "payment", "paid_amount", "subsidy"]


class SubsidySerializer(serializers.ModelSerializer):
    lines = LineSerializer(many=True, read_only=True)
    history = serializers.SerializerMethodField()

    class Meta:
        model = SubsidyApplication
        fields = [
            "id",
            "program",
            "organization",
            "status",
            "eligible_paid_amount",
            "computed_amount",
            "granted_amount",
            "reject_reason",
            "voucher",
            "paid_on",
            "lines",
            "history",
        ]
        read_only_fields = fields

    def get_history(self, application) -> list[dict]:
        return [
            {
                "at": e.at,
                "by": e.actor.username if e.actor else None,
                "from": e.from_status,
                "to": e.to_status,
                "reason": e.reason,
            }
            for e in audit_history(application)
        ]


class SubsidyCreateSerializer(serializers.Serializer):
    program = serializers.PrimaryKeyRelatedField(queryset=SubsidyProgram.objects.all())
    organization = VisibleRelatedField(selector=organizations_visible_to, required=False)


class DisburseSerializer(serializers.Serializer):
    voucher = serializers.CharField(max_length=50)
    paid_on = serializers.DateField(validators=[validate_plausible_date])


class LedgerSerializer(serializers.Serializer):
    granted_total = serializers.DecimalField(max_digits=15, decimal_places=2)
    remaining_cap = serializers.DecimalField(max_digits=15, decimal_places=2)
