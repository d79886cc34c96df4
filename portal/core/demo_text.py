"""Vocabulary for realistic demo records (load_demo) and benchmark data (bench/).

Per technology field: technologies, what they are for, industry clusters and
keywords. Titles and texts are composed from these deterministically.
"""

import random

FIELDS = {
    "electronics": {
        "tech": [
            "基于机器视觉的PCB缺陷检测",
            "5G小基站射频前端模组",
            "工业互联网边缘计算网关",
            "高速光模块封装",
            "国产化嵌入式实时操作系统",
            "MEMS压力传感器",
            "硅光集成芯片设计",
            "OLED显示面板驱动芯片",
            "北斗高精度定位终端",
            "数字孪生工厂可视化平台",
        ],
        "use": ["电子制造企业", "通信设备厂商", "智能工厂", "数据中心", "智慧园区"],
        "industries": ["optics_chips", "digital"],
        "keywords": ["机器视觉", "缺陷检测", "光模块", "芯片", "边缘计算", "5G", "传感器"],
    },
    "aerospace": {
        "tech": [
            "无人机集群协同控制",
            "航空复合材料自动铺放",
            "小型卫星姿态控制",
            "航空发动机叶片检测",
            "低空飞行器避障雷达",
        ],
        "use": ["通用航空企业", "应急救援", "低空物流", "航空维修"],
        "industries": ["smart_mfg"],
        "keywords": ["无人机", "复合材料", "卫星", "雷达", "低空经济"],
    },
    "manufacturing": {
        "tech": [
            "工业机器人柔性装配",
            "数控机床热误差补偿",
            "激光增材制造金属零件",
            "汽车零部件轻量化冲压",
            "智能焊接机器人视觉引导",
            "高端轴承寿命预测",
            "液压系统故障诊断",
            "光纤激光器精密切割",
        ],
        "use": ["汽车零部件企业", "装备制造企业", "钢结构加工", "工程机械"],
        "industries": ["smart_mfg", "nev"],
        "keywords": ["工业机器人", "数控机床", "增材制造", "焊接", "轻量化", "激光加工"],
    },
    "biomed": {
        "tech": [
            "新型mRNA疫苗递送载体",
            "肿瘤早筛体外诊断试剂",
            "可降解心血管支架",
            "中药材有效成分提取纯化",
            "单克隆抗体高效表达",
            "智能康复外骨骼",
            "医用影像人工智能辅助诊断",
            "基因编辑育种工具",
        ],
        "use": ["医药企业", "三甲医院", "医疗器械企业", "中药饮片企业"],
        "industries": ["health"],
        "keywords": ["生物医药", "体外诊断", "医疗器械", "中药材", "抗体", "人工智能"],
    },
    "materials": {
        "tech": [
            "石墨烯高导热散热膜",
            "碳纤维复合材料回收再利用",
            "高性能稀土永磁材料",
            "锂离子电池硅碳负极材料",
            "磷石膏制备高强石膏建材",
            "耐高温聚酰亚胺薄膜",
            "纳米涂层防腐",
            "钙钛矿光伏薄膜材料",
            "高纯电子级湿法磷酸",
        ],
        "use": ["消费电子", "新能源汽车", "建材企业", "磷化工企业", "光伏企业"],
        "industries": ["materials", "green_chem"],
        "keywords": ["石墨烯", "散热膜", "碳纤维", "稀土永磁", "负极材料", "磷石膏", "涂层"],
    },
    "energy": {
        "tech": [
            "动力电池梯次利用与健康评估",
            "固态电池电解质",
            "氢燃料电池膜电极",
            "光伏组件智能运维",
            "工业余热回收发电",
            "储能电站能量管理系统",
            "高效节能永磁电机控制",
        ],
        "use": ["新能源汽车企业", "储能电站", "钢铁企业", "工业园区"],
        "industries": ["nev", "materials"],
        "keywords": ["动力电池", "储能", "燃料电池", "光伏", "余热回收", "节能"],
    },
    "environment": {
        "tech": [
            "高盐工业废水零排放处理",
            "城镇污水厌氧氨氧化脱氮",
            "重金属污染土壤修复",
            "危险废物等离子体熔融处置",
            "二氧化碳捕集与资源化利用",
            "VOCs催化燃烧治理",
            "磷化工尾矿综合利用",
        ],
        "use": ["化工园区", "污水处理厂", "矿山企业", "钢铁企业"],
        "industries": ["green_chem"],
        "keywords": ["废水处理", "污水处理", "土壤修复", "危废处置", "碳捕集", "资源化利用"],
    },
    "nuclear": {
        "tech": ["辐照灭菌工艺优化", "核级阀门无损检测", "放射性废物固化处理"],
        "use": ["核电站", "医疗器械灭菌", "食品辐照"],
        "industries": ["smart_mfg", "health"],
        "keywords": ["辐照", "无损检测", "核电"],
    },
    "agriculture": {
        "tech": [
            "水稻抗病新品种选育",
            "智慧农业病虫害识别",
            "生物农药微生物制剂",
            "水产养殖水质在线监测",
            "茶叶自动化加工生产线",
            "秸秆生物有机肥",
        ],
        "use": ["农业合作社", "种业企业", "水产养殖场", "茶叶企业"],
        "industries": ["agri"],
        "keywords": ["水稻育种", "智慧农业", "生物农药", "水产养殖", "有机肥"],
    },
    "transport": {
        "tech": [
            "智能网联汽车车路协同",
            "自动驾驶感知融合算法",
            "轨道交通弓网检测",
            "新能源商用车电驱桥",
            "桥梁结构健康监测",
        ],
        "use": ["整车企业", "轨道交通运营", "交通管理部门", "物流企业"],
        "industries": ["nev", "digital"],
        "keywords": ["智能网联汽车", "自动驾驶", "车联网", "轨道交通", "桥梁检测"],
    },
    "urban": {
        "tech": [
            "装配式建筑智能建造",
            "城市内涝预警数字孪生",
            "老旧小区适老化改造",
            "智慧城市燃气管网监测",
            "建筑垃圾再生骨料",
        ],
        "use": ["城投公司", "建筑企业", "燃气公司", "街道社区"],
        "industries": ["digital"],
        "keywords": ["装配式建筑", "智慧城市", "数字孪生", "管网监测"],
    },
}

ACHIEVEMENT_SUMMARY = "{tech}技术，面向{use}，已完成{stage}，关键指标达到国内领先水平。"
ACHIEVEMENT_BODY = (
    "本成果针对{use}在{kw}方面的痛点，研发了{tech}技术。项目团队在{kw2}等方面取得突破，"
    "形成了完整的工艺路线与知识产权布局。已在合作单位开展{stage}，可通过{mode}方式转化。"
)
DEMAND_TITLE = "寻求{tech}技术"
DEMAND_BODY = (
    "我公司主要服务{use}，目前在{kw}环节存在技术瓶颈，希望引进成熟的{tech}技术，"
    "重点解决{kw2}问题。可接受{mode}，要求技术就绪水平较高、能够在一年内实现产业化应用。"
)
STAGES = {
    3: "实验室验证",
    5: "中试验证",
    6: "样机演示",
    7: "现场试验",
    8: "工程化验证",
    9: "产业化应用",
}


def keywords_for(tech: str, vocabulary: list[str], rng: random.Random) -> list[str]:
    """Keywords that the title really contains, then one more of its field."""
    own = [k for k in vocabulary if k.lower() in tech.lower()]
    rest = [k for k in vocabulary if k not in own]
    return (own + rng.sample(rest, k=1))[:3] if rest else own[:3] or vocabulary[:1]
