"""Demo organisations and accounts for `load_demo` (idempotent)."""

from accounts.models import BrokerProfile, Market, Membership, Organization, User
from accounts.services import market_for_region
from accounts.validators import credit_code_check_char, name_skeleton

DEMO_PASSWORD = "Hubei-demo-2025"


def demo_credit_code(seed: int, kind: str) -> str:
    """A well-formed credit code (valid check character) that is clearly demo data."""
    dept = {"university": "12", "institute": "12", "government": "11"}.get(kind, "91")
    body = f"{dept}4201{seed:011d}"[:17]
    return body + credit_code_check_char(body)


# (key, name, kind, region)
ORGANIZATIONS = [
    ("whu", "武汉大学", "university", "420106"),
    ("hust", "华中科技大学", "university", "420111"),
    ("wut", "武汉理工大学", "university", "420111"),
    ("hbuas", "湖北文理学院", "university", "420602"),
    ("ctgu", "三峡大学", "university", "420502"),
    ("whoe", "中国科学院武汉光学研究所（示范）", "institute", "420111"),
    ("ycchem", "宜昌化工研究院（示范）", "institute", "420502"),
    ("optic", "武汉光谷智联科技有限公司", "enterprise", "420111"),
    ("xyauto", "襄阳汽车零部件股份有限公司", "enterprise", "420606"),
    ("ycphos", "宜昌磷化工新材料有限公司", "enterprise", "420506"),
    ("agency", "湖北省技术转移中心（示范）", "agency", "420106"),
    ("xyagency", "襄阳技术转移服务中心（示范）", "agency", "420606"),
    ("gov", "湖北省科学技术厅（示范）", "government", "420106"),
    ("xygov", "襄阳市科学技术局（示范）", "government", "420602"),
    ("hbvc", "湖北长江科创投资基金（示范）", "investor", "420106"),
]

# (username, organisation key or None, staff market or None, broker level or None, role text)
ACCOUNTS = [
    ("admin", None, None, None, "administrator (Django admin)"),
    ("whu_officer", "whu", None, None, "university achievements officer (武汉大学)"),
    ("hust_officer", "hust", None, None, "university achievements officer (华中科技大学)"),
    ("ctgu_officer", "ctgu", None, None, "university achievements officer (三峡大学, Yichang)"),
    ("wut_officer", "wut", None, None, "university achievements officer (武汉理工大学)"),
    ("hbuas_officer", "hbuas", None, None, "university achievements officer (湖北文理学院)"),
    ("whoe_officer", "whoe", None, None, "institute achievements officer (武汉光学研究所)"),
    ("ycchem_officer", "ycchem", None, None, "institute achievements officer (宜昌化工研究院)"),
    ("optic_ent", "optic", None, None, "enterprise member (Wuhan)"),
    ("xyauto_ent", "xyauto", None, None, "enterprise member (Xiangyang)"),
    ("ycphos_ent", "ycphos", None, None, "enterprise member (Yichang)"),
    ("broker", "agency", None, "senior", "technology broker (湖北省技术转移中心)"),
    ("gov_member", "gov", None, None, "government member (publishes scenarios)"),
    ("xyagency_member", "xyagency", None, None, "agency member (organises Xiangyang events)"),
    ("investor", "hbvc", None, None, "investor member (鄂来投: financing projects, deals)"),
    ("expert", None, None, None, "expert 周建华 (keeps own profile, scores reviews)"),
    ("staff_wuhan", None, "wuhan", None, "central staff, province-wide scope"),
    ("staff_xiangyang", None, "xiangyang", None, "city staff, Xiangyang market"),
    ("staff_yichang", None, "yichang", None, "city staff, Yichang market"),
]


def load_accounts() -> dict[str, Organization]:
    orgs: dict[str, Organization] = {}
    for seed, (key, name, kind, region) in enumerate(ORGANIZATIONS, start=1):
        org, _ = Organization.objects.update_or_create(
            credit_code=demo_credit_code(seed, kind),
            defaults={
                "name": name,
                "name_key": name_skeleton(name),
                "kind": kind,
                "region_code": region,
                "verified": True,
                "market": market_for_region(region),
            },
        )
        orgs[key] = org
    for username, org_key, market_code, broker_level, _role in ACCOUNTS:
        user, created = User.objects.get_or_create(username=username)
        user.email = f"{username}@demo.hbtm.example.cn"
        user.organization = orgs.get(org_key) if org_key else None
        user.staff_market = Market.objects.get(code=market_code) if market_code else None
        user.is_superuser = user.is_staff = username == "admin"
        if created:
            user.set_password(DEMO_PASSWORD)
        user.save()
        if user.organization_id:
            Membership.objects.update_or_create(
                user=user,
                organization=user.organization,
                defaults={
                    "status": Membership.Status.ACTIVE,
                    "role": Membership.Role.ADMINISTRATOR,
                },
            )
        if broker_level:
            BrokerProfile.objects.update_or_create(
                user=user,
                defaults={"level": broker_level, "certificate_number": f"HB-JJR-{user.pk:06d}"},
            )
    _load_members(orgs)
    return orgs


# (username, organisation key, status, role): a reader, and a request waiting
# for 武汉大学's administrator (whu_officer) on the members page.
MEMBERS = [
    ("whu_reader", "whu", Membership.Status.ACTIVE, Membership.Role.READER),
    ("whu_newcomer", "whu", Membership.Status.PENDING, Membership.Role.MEMBER),
]


def _load_members(orgs: dict[str, Organization]) -> None:
    for username, org_key, status, role in MEMBERS:
        org = orgs[org_key]
        user, created = User.objects.get_or_create(username=username)
        if created:
            user.email = f"{username}@demo.hbtm.example.cn"
            user.set_password(DEMO_PASSWORD)
        user.organization = org if status == Membership.Status.ACTIVE else None
        user.save()
        Membership.objects.get_or_create(
            user=user, organization=org, defaults={"status": status, "role": role}
        )
