"""Demo contracts, payments, this year's programme and applications in every state.

The dates below were written on AUTHORED; each is moved by as many days as
today is after it, so the demo reads as this year and last on any day.

Everything goes through the services, as the people would do it, so the demo
has the same audit trail, registration numbers and computed amounts as real
data. Idempotent: if the demo contracts exist, nothing is added.
"""

import datetime
from decimal import Decimal

from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from accounts.models import Membership, User
from achievements.models import Achievement
from contracts import services
from contracts.models import Contract, SubsidyProgram

S = Contract.Status

PDF = (
    b"%PDF-1.4\n1 0 obj<</Type/Catalog/Pages 2 0 R>>endobj\n"
    b"2 0 obj<</Type/Pages/Kids[]/Count 0>>endobj\ntrailer<</Root 1 0 R>>\n%%EOF\n"
)
MARK = "（示范合同）"


def _pdf(name):
    return SimpleUploadedFile(name, PDF, content_type="application/pdf")


AUTHORED = datetime.date(2025, 12, 1)


def _shift(day: datetime.date) -> datetime.date:
    """A date of the tables below, as far before today as it was before AUTHORED."""
    return timezone.localdate() - (AUTHORED - day)


def _at(day: datetime.date) -> datetime.datetime:
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time(10)))


# (title, type, buyer key, seller key, amount, tech amount, signed, related, final status,
#  [(paid amount, paid on, verified?)])
CONTRACTS = [
    (
        "石墨烯散热膜专利转让",
        "transfer",
        "optic",
        "hust",
        "3000000",
        "2800000",
        datetime.date(2025, 2, 10),
        False,
        S.REGISTERED,
        [
            ("1200000", datetime.date(2025, 3, 15), True),
            ("800000", datetime.date(2025, 9, 1), True),
            ("300000", datetime.date(2025, 11, 20), False),
        ],
    ),
    (
        "机器视觉缺陷检测系统技术许可",
        "license",
        "optic",
        "whu",
        "1500000",
        "1500000",
        datetime.date(2024, 11, 1),
        False,
        S.REGISTERED,
        [
            ("500000", datetime.date(2024, 12, 20), True),
            ("700000", datetime.date(2025, 5, 10), True),
        ],
    ),
    (
        "新能源汽车轻量化车身合作开发",
        "development",
        "xyauto",
        "hbuas",
        "6000000",
        "5000000",
        datetime.date(2025, 1, 8),
        False,
        S.REGISTERED,
        [
            ("2000000", datetime.date(2025, 3, 1), True),
            ("2500000", datetime.date(2025, 8, 1), True),
        ],
    ),
    (
        "激光焊缝在线检测技术服务",
        "service",
        "xyauto",
        "wut",
        "400000",
        "350000",
        datetime.date(2025, 5, 1),
        False,
        S.REGISTERED,
        [("350000", datetime.date(2025, 6, 30), True)],
    ),
    (
        "磷石膏综合利用技术转让",
        "transfer",
        "ycphos",
        "ycchem",
        "8000000",
        "7500000",
        datetime.date(2025, 3, 20),
        False,
        S.REGISTERED,
        [
            ("3000000", datetime.date(2025, 4, 30), True),
            ("2000000", datetime.date(2025, 10, 15), True),
        ],
    ),
    (
        "高盐废水零排放技术许可",
        "license",
        "ycphos",
        "ctgu",
        "1200000",
        "1000000",
        datetime.date(2025, 6, 1),
        True,
        S.REGISTERED,
        [("600000", datetime.date(2025, 7, 1), True)],
    ),
    (
        "储能电池健康评估技术开发",
        "development",
        "optic",
        "ctgu",
        "900000",
        "800000",
        datetime.date(2025, 10, 1),
        False,
        S.SUBMITTED,
        [],
    ),
    (
        "工业互联网网关技术咨询",
        "consulting",
        "xyauto",
        "whu",
        "200000",
        "200000",
        datetime.date(2025, 9, 1),
        False,
        S.REJECTED,
        [],
    ),
    (
        "光模块封装工艺技术转让",
        "transfer",
        "optic",
        "whoe",
        "2000000",
        "1800000",
        datetime.date(2025, 11, 1),
        False,
        S.DRAFT,
        [],
    ),
]


def _administrator(org) -> User:
    return User.objects.get(
        memberships__organization=org,
        memberships__status=Membership.Status.ACTIVE,
        memberships__role=Membership.Role.ADMINISTRATOR,
    )


def load_contracts(orgs: dict) -> int:
    if Contract.objects.filter(title__endswith=MARK).exists():
        return Contract.objects.filter(title__endswith=MARK).count()
    broker = User.objects.get(username="broker")
    staff = {u.username: u for u in User.objects.filter(username__startswith="staff_")}
    central = staff["staff_wuhan"]
    for title, kind, buyer, seller, amount, tech, signed, related, final, payments in CONTRACTS:
        signed = _shift(signed)
        payments = [(paid, _shift(on), verified) for paid, on, verified in payments]
        seller_org = orgs[seller]
        achievement = Achievement.objects.filter(
            organization=seller_org, status=Achievement.Status.PUBLISHED
        ).first()
        contract = services.contract_create(
            by=broker,
            data={
                "title": title + MARK,
                "contract_type": kind,
                "buyer": orgs[buyer],
                "seller": seller_org,
                "related_party": related,
                "achievement": achievement if kind != "transfer" else None,
                "signed_on": signed,
                "valid_from": signed,
                "valid_to": signed + datetime.timedelta(days=730),
                "amount": Decimal(amount),
                "tech_transaction_amount": Decimal(tech),
                "payment_method": "instalments" if len(payments) > 1 else "lump_sum",
                "tech_field": achievement.tech_field if achievement else "materials",
            },
        )
        if final == S.DRAFT:
            continue
        services.contract_attach_document(contract=contract, by=broker, upload=_pdf("合同.pdf"))
        # The broker's draft binds the parties once each one's administrator confirms it.
        for party in (orgs[buyer], seller_org):
            services.contract_confirm(contract=contract, by=_administrator(party))
        services.contract_submit(contract=contract, by=broker)
        if final == S.SUBMITTED:
            continue
        if final == S.REJECTED:
            services.contract_reject(
                contract=contract, by=central, reason="属于一般商品买卖，不构成技术合同。"
            )
            continue
        services.contract_register(
            contract=contract, by=central, now=_at(signed + datetime.timedelta(days=7))
        )
        for paid, on, verified in payments:
            payment = services.payment_add(
                contract=contract,
                by=broker,
                amount=Decimal(paid),
                paid_on=on,
                evidence=_pdf("银行回单.pdf"),
            )
            if verified:
                services.payment_confirm(payment=payment, by=_administrator(orgs[buyer]))
                services.payment_verify(payment=payment, by=central)
    return len(CONTRACTS)


def load_subsidies(orgs: dict) -> int:
    """This year's programme (the payments of the last twelve months or so), and
    applications in each state."""
    today = timezone.localdate()
    payment_from = _shift(datetime.date(2025, 1, 1))
    year = payment_from.year
    program, _ = SubsidyProgram.objects.get_or_create(
        name=f"{year}年度技术合同成交补助",
        year=year,
        defaults={
            "payment_from": payment_from,
            "payment_to": _shift(datetime.date(2025, 12, 31)),
            "opens_on": today - datetime.timedelta(days=30),
            "closes_on": today + datetime.timedelta(days=60),
        },
    )
    if program.applications.exists():
        return program.applications.count()
    users = {
        u.username: u
        for u in User.objects.filter(
            username__in=[
                "optic_ent",
                "xyauto_ent",
                "ycphos_ent",
                "staff_wuhan",
                "staff_xiangyang",
                "staff_yichang",
                "admin",
            ]
        )
    }
    central, second = users["staff_wuhan"], users["admin"]
    # Wuhan: approved and disbursed
    optic = services.subsidy_apply(by=users["optic_ent"], program=program)
    services.subsidy_submit(application=optic, by=users["optic_ent"])
    services.subsidy_city_review(application=optic, by=central)
    services.subsidy_approve(application=optic, by=second)
    services.subsidy_disburse(
        application=optic, by=central, voucher=f"HBCZ-{today.year}-0001", paid_on=today
    )
    # Xiangyang: passed the city review, waits for the second review
    xiangyang = services.subsidy_apply(by=users["xyauto_ent"], program=program)
    services.subsidy_submit(application=xiangyang, by=users["xyauto_ent"])
    services.subsidy_city_review(application=xiangyang, by=users["staff_xiangyang"])
    # Yichang: one rejected, then a new draft that claims the same payments again
    rejected = services.subsidy_apply(by=users["ycphos_ent"], program=program)
    services.subsidy_submit(application=rejected, by=users["ycphos_ent"])
    services.subsidy_reject(
        application=rejected,
        by=users["staff_yichang"],
        reason="请补充技术成果在湖北转化应用的说明材料。",
    )
    services.subsidy_apply(by=users["ycphos_ent"], program=program)
    return program.applications.count()
