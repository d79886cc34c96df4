from django.contrib import admin

from contracts.models import (
    Contract,
    Payment,
    RegistrationCounter,
    RewardDistribution,
    SubsidyApplication,
    SubsidyLedger,
    SubsidyLine,
    SubsidyProgram,
)


class ReadOnlyStatusAdmin(admin.ModelAdmin):
    """Statuses and money change through the pages and the API (audited), never here."""

    def get_readonly_fields(self, request, obj=None):
        return [f.name for f in self.model._meta.fields if f.name in self.locked] + list(
            super().get_readonly_fields(request, obj)
        )


@admin.register(Contract)
class ContractAdmin(ReadOnlyStatusAdmin):
    locked = {
        "status",
        "registration_number",
        "registered_at",
        "registered_by",
        "market",
        "amount",
        "tech_transaction_amount",
        "buyer",
        "seller",
    }
    list_display = [
        "title",
        "registration_number",
        "contract_type",
        "buyer",
        "seller",
        "status",
        "tech_transaction_amount",
    ]
    list_filter = ["status", "contract_type", "market", "tech_field"]
    search_fields = ["title", "registration_number", "buyer__name", "seller__name"]
    list_select_related = ["buyer", "seller"]
    raw_id_fields = ["achievement", "demand", "broker", "created_by"]


@admin.register(Payment)
class PaymentAdmin(ReadOnlyStatusAdmin):
    locked = {"status", "amount", "contract", "verified_by", "verified_at"}
    list_display = ["contract", "amount", "paid_on", "status"]
    list_filter = ["status"]
    search_fields = ["contract__title", "contract__registration_number"]
    list_select_related = ["contract"]


@admin.register(RewardDistribution)
class RewardAdmin(admin.ModelAdmin):
    list_display = ["contract", "net_income", "team_ratio"]
    search_fields = ["contract__title"]
    raw_id_fields = ["contract", "updated_by"]


@admin.register(SubsidyProgram)
class ProgramAdmin(admin.ModelAdmin):
    list_display = ["name", "year", "rate", "cap", "opens_on", "closes_on"]
    list_filter = ["year"]
    search_fields = ["name"]


class LineInline(admin.TabularInline):
    model = SubsidyLine
    extra = 0
    readonly_fields = ["contract", "payment", "paid_amount", "subsidy", "live", "program"]
    can_delete = False


@admin.register(SubsidyApplication)
class SubsidyApplicationAdmin(ReadOnlyStatusAdmin):
    locked = {
        "status",
        "eligible_paid_amount",
        "computed_amount",
        "granted_amount",
        "organization",
        "program",
        "city_reviewed_by",
        "approved_by",
        "voucher",
        "paid_on",
    }
    list_display = ["id", "organization", "program", "status", "computed_amount", "granted_amount"]
    list_filter = ["status", "program"]
    search_fields = ["organization__name", "organization__credit_code", "voucher"]
    list_select_related = ["organization", "program"]
    inlines = [LineInline]


@admin.register(SubsidyLedger)
class LedgerAdmin(admin.ModelAdmin):
    list_display = ["organization", "program", "granted_total", "cap"]
    search_fields = ["organization__name"]
    readonly_fields = ["organization", "program", "granted_total", "cap"]


@admin.register(SubsidyLine)
class LineAdmin(admin.ModelAdmin):
    list_display = ["application", "payment", "paid_amount", "subsidy", "live"]
    search_fields = ["application__organization__name"]
    readonly_fields = [
        "application",
        "program",
        "contract",
        "payment",
        "paid_amount",
        "subsidy",
        "live",
    ]


@admin.register(RegistrationCounter)
class CounterAdmin(admin.ModelAdmin):
    list_display = ["market", "year", "last_serial"]
    search_fields = ["market__code"]
    readonly_fields = ["market", "year", "last_serial"]
