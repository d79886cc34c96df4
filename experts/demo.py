"""Demo experts (the experts library issue extends this)."""

from experts.models import Expert
from experts.services import expert_save

# (name, affiliation key or None, title, fields, industries, keywords, bio)
EXPERTS = [
    (
        "周建华",
        "hust",
        "教授",
        ["materials"],
        ["materials"],
        ["石墨烯", "导热", "复合材料"],
        "长期从事碳纳米材料与热管理材料研究。",
    ),
    (
        "吴晓梅",
        "whu",
        "研究员",
        ["environment"],
        ["green_chem"],
        ["废水处理", "膜分离", "资源化利用"],
        "工业废水深度处理与零排放专家。",
    ),
    (
        "郑国强",
        "wut",
        "教授级高工",
        ["manufacturing"],
        ["smart_mfg", "nev"],
        ["工业机器人", "焊接", "轻量化"],
        "汽车制造工艺与智能装备。",
    ),
    (
        "孙丽",
        "ctgu",
        "副教授",
        ["energy"],
        ["nev"],
        ["储能", "动力电池", "梯次利用"],
        "电池健康状态评估与储能系统集成。",
    ),
    (
        "冯伟",
        None,
        "高级工程师",
        ["electronics"],
        ["optics_chips", "digital"],
        ["机器视觉", "缺陷检测", "光模块"],
        "电子制造质量检测与工业视觉。",
    ),
    (
        "何静",
        "whoe",
        "研究员",
        ["electronics"],
        ["optics_chips"],
        ["光通信", "激光器", "芯片"],
        "光电子器件设计与封装。",
    ),
    (
        "罗斌",
        "ycchem",
        "高级工程师",
        ["environment", "materials"],
        ["green_chem"],
        ["磷石膏", "磷化工", "固废处理"],
        "磷化工副产物综合利用。",
    ),
    (
        "高鹏",
        "hbuas",
        "教授",
        ["transport"],
        ["nev"],
        ["智能网联汽车", "车联网", "自动驾驶"],
        "车路协同与智能交通。",
    ),
    (
        "林芳",
        None,
        "主任医师",
        ["biomed"],
        ["health"],
        ["体外诊断", "医疗器械", "早筛"],
        "肿瘤早筛与临床检验。",
    ),
    (
        "徐涛",
        "wut",
        "教授",
        ["urban"],
        ["digital"],
        ["装配式建筑", "数字孪生", "智慧城市"],
        "智能建造与城市数字化。",
    ),
    (
        "马超",
        "hust",
        "研究员",
        ["agriculture"],
        ["agri"],
        ["水稻育种", "智慧农业", "病虫害"],
        "作物育种与数字农业。",
    ),
    (
        "谢敏",
        None,
        "高级经济师",
        ["energy", "environment"],
        ["nev", "green_chem"],
        ["碳中和", "碳捕集", "余热回收"],
        "节能降碳技术评估。",
    ),
]


SURNAMES = "王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐韩冯"
GIVEN = [
    "建国",
    "丽华",
    "志强",
    "海燕",
    "晓东",
    "玉兰",
    "国平",
    "红梅",
    "文博",
    "思远",
    "立新",
    "雅琴",
    "振华",
    "春燕",
    "明亮",
    "秀英",
]
TITLES = ["教授", "研究员", "副教授", "高级工程师", "教授级高工", "副研究员"]
AFFILIATIONS = ["whu", "hust", "wut", "hbuas", "ctgu", "whoe", "ycchem", None]


def _generated(count: int) -> list[tuple]:
    """More experts across every field, from the demo vocabulary (deterministic)."""
    from portal.core.demo_text import FIELDS

    fields = list(FIELDS)
    out = []
    for n in range(count):
        field = fields[n % len(fields)]
        vocab = FIELDS[field]
        name = SURNAMES[(n * 7) % len(SURNAMES)] + GIVEN[(n * 5) % len(GIVEN)]
        keywords = vocab["keywords"][n % len(vocab["keywords"]) :][:3] or vocab["keywords"][:3]
        out.append(
            (
                f"{name}{n + 1:02d}",
                AFFILIATIONS[n % len(AFFILIATIONS)],
                TITLES[n % len(TITLES)],
                [field],
                vocab["industries"][:1],
                keywords,
                f"从事{vocab['tech'][n % len(vocab['tech'])]}等方向的研究与工程应用。",
            )
        )
    return out


def load_experts(orgs: dict, *, total: int = 60) -> int:
    from accounts.models import User

    rows = EXPERTS + _generated(total - len(EXPERTS))
    account = User.objects.filter(username="expert").first()
    for name, org_key, title, fields, industries, keywords, bio in rows:
        expert = Expert.objects.filter(name=name).first() or Expert(name=name)
        expert.organization = orgs.get(org_key) if org_key else None
        expert.title, expert.tech_fields, expert.industries = title, fields, industries
        expert.keywords, expert.bio, expert.available = keywords, bio, True
        expert.contact = expert.contact or f"{name}@experts.hbtm.example.cn"
        if name == "周建华" and account is not None:
            expert.user = account
        expert_save(expert=expert)
    return len(rows)


def load_reviews(published) -> int:
    """An open review waiting for 周建华 (the demo expert), and a complete one,
    on two of the `published` achievements (new materials)."""
    import random

    from accounts.models import User
    from experts.models import ExpertReview
    from experts.services import assignment_score, review_open

    if ExpertReview.objects.exists():
        return ExpertReview.objects.count()
    staff = User.objects.get(username="staff_wuhan")
    published = published.filter(tech_field="materials")
    first, second = published.order_by("id")[:2]
    done = review_open(achievement=second, by=staff, n=3, rng=random.Random(3))
    for n, assignment in enumerate(done.assignments.select_related("expert")):
        if assignment.expert.user is None:
            assignment.expert.user = User.objects.create(
                username=f"expert_demo_{assignment.pk}", is_active=False
            )
            assignment.expert.save(update_fields=["user"])
        assignment_score(
            assignment=assignment,
            by=assignment.expert.user,
            scores={"advancement": 4, "maturity": 3 + n % 2, "market": 4, "ip": 3 + n % 3},
            comments="技术路线清晰，建议加强中试验证。",
        )
    pending = review_open(achievement=first, by=staff, n=2, rng=random.Random(5))
    zhou = Expert.objects.filter(name="周建华").first()
    if (
        zhou is not None
        and not pending.assignments.filter(expert=zhou).exists()
        and zhou.organization_id != first.organization_id
    ):
        assignment = pending.assignments.first()
        assignment.expert = zhou
        assignment.save(update_fields=["expert"])
    return ExpertReview.objects.count()
