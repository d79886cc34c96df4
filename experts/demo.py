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


def load_experts(orgs: dict) -> int:
    for name, org_key, title, fields, industries, keywords, bio in EXPERTS:
        expert = Expert.objects.filter(name=name).first() or Expert(name=name)
        expert.organization = orgs.get(org_key) if org_key else None
        expert.title, expert.tech_fields, expert.industries = title, fields, industries
        expert.keywords, expert.bio, expert.available = keywords, bio, True
        expert_save(expert=expert)
    return len(EXPERTS)
