"""Administrative division codes (GB/T 2260) that the portal knows.

Inside Hubei (42xxxx) every city and county code is listed, so a code that
does not exist is refused. Outside Hubei the portal only checks the province
part: it does not ship the national table, and out-of-province organisations
all belong to the central market anyway (DOMAIN.md, Markets).
"""

from django.utils.translation import get_language

PROVINCES = {
    "11": "北京市", "12": "天津市", "13": "河北省", "14": "山西省", "15": "内蒙古自治区",
    "21": "辽宁省", "22": "吉林省", "23": "黑龙江省", "31": "上海市", "32": "江苏省",
    "33": "浙江省", "34": "安徽省", "35": "福建省", "36": "江西省", "37": "山东省",
    "41": "河南省", "42": "湖北省", "43": "湖南省", "44": "广东省", "45": "广西壮族自治区",
    "46": "海南省", "50": "重庆市", "51": "四川省", "52": "贵州省", "53": "云南省",
    "54": "西藏自治区", "61": "陕西省", "62": "甘肃省", "63": "青海省", "64": "宁夏回族自治区",
    "65": "新疆维吾尔自治区", "71": "台湾省", "81": "香港特别行政区", "82": "澳门特别行政区",
}  # fmt: skip

HUBEI_CITIES = {
    "420100": "武汉市", "420200": "黄石市", "420300": "十堰市", "420500": "宜昌市",
    "420600": "襄阳市", "420700": "鄂州市", "420800": "荆门市", "420900": "孝感市",
    "421000": "荆州市", "421100": "黄冈市", "421200": "咸宁市", "421300": "随州市",
    "422800": "恩施土家族苗族自治州", "429004": "仙桃市", "429005": "潜江市",
    "429006": "天门市", "429021": "神农架林区",
}  # fmt: skip

HUBEI_COUNTIES = {
    "420102": "江岸区", "420103": "江汉区", "420104": "硚口区", "420105": "汉阳区",
    "420106": "武昌区", "420107": "青山区", "420111": "洪山区", "420112": "东西湖区",
    "420113": "汉南区", "420114": "蔡甸区", "420115": "江夏区", "420116": "黄陂区",
    "420117": "新洲区",
    "420202": "黄石港区", "420203": "西塞山区", "420204": "下陆区", "420205": "铁山区",
    "420222": "阳新县", "420281": "大冶市",
    "420302": "茅箭区", "420303": "张湾区", "420304": "郧阳区", "420322": "郧西县",
    "420323": "竹山县", "420324": "竹溪县", "420325": "房县", "420381": "丹江口市",
    "420502": "西陵区", "420503": "伍家岗区", "420504": "点军区", "420505": "猇亭区",
    "420506": "夷陵区", "420525": "远安县", "420526": "兴山县", "420527": "秭归县",
    "420528": "长阳土家族自治县", "420529": "五峰土家族自治县", "420581": "宜都市",
    "420582": "当阳市", "420583": "枝江市",
    "420602": "襄城区", "420606": "樊城区", "420607": "襄州区", "420624": "南漳县",
    "420625": "谷城县", "420626": "保康县", "420682": "老河口市", "420683": "枣阳市",
    "420684": "宜城市",
    "420702": "梁子湖区", "420703": "华容区", "420704": "鄂城区",
    "420802": "东宝区", "420804": "掇刀区", "420822": "沙洋县", "420881": "钟祥市",
    "420882": "京山市",
    "420902": "孝南区", "420921": "孝昌县", "420922": "大悟县", "420923": "云梦县",
    "420981": "应城市", "420982": "安陆市", "420984": "汉川市",
    "421002": "沙市区", "421003": "荆州区", "421022": "公安县", "421024": "江陵县",
    "421081": "石首市", "421083": "洪湖市", "421087": "松滋市", "421088": "监利市",
    "421102": "黄州区", "421121": "团风县", "421122": "红安县", "421123": "罗田县",
    "421124": "英山县", "421125": "浠水县", "421126": "蕲春县", "421127": "黄梅县",
    "421181": "麻城市", "421182": "武穴市",
    "421202": "咸安区", "421221": "嘉鱼县", "421222": "通城县", "421223": "崇阳县",
    "421224": "通山县", "421281": "赤壁市",
    "421303": "曾都区", "421321": "随县", "421381": "广水市",
    "422801": "恩施市", "422802": "利川市", "422822": "建始县", "422823": "巴东县",
    "422825": "宣恩县", "422826": "咸丰县", "422827": "来凤县", "422828": "鹤峰县",
}  # fmt: skip

HUBEI = {"420000": "湖北省", **HUBEI_CITIES, **HUBEI_COUNTIES}

# English names: provinces as usually written; Hubei's cities and counties in
# pinyin with District / County (a county-level city keeps its bare name).
PROVINCES_EN = {
    "11": "Beijing", "12": "Tianjin", "13": "Hebei", "14": "Shanxi", "15": "Inner Mongolia",
    "21": "Liaoning", "22": "Jilin", "23": "Heilongjiang", "31": "Shanghai", "32": "Jiangsu",
    "33": "Zhejiang", "34": "Anhui", "35": "Fujian", "36": "Jiangxi", "37": "Shandong",
    "41": "Henan", "42": "Hubei", "43": "Hunan", "44": "Guangdong", "45": "Guangxi",
    "46": "Hainan", "50": "Chongqing", "51": "Sichuan", "52": "Guizhou", "53": "Yunnan",
    "54": "Tibet", "61": "Shaanxi", "62": "Gansu", "63": "Qinghai", "64": "Ningxia",
    "65": "Xinjiang", "71": "Taiwan", "81": "Hong Kong", "82": "Macao",
}  # fmt: skip

HUBEI_EN = {
    "420000": "Hubei",
    "420100": "Wuhan", "420200": "Huangshi", "420300": "Shiyan", "420500": "Yichang",
    "420600": "Xiangyang", "420700": "Ezhou", "420800": "Jingmen", "420900": "Xiaogan",
    "421000": "Jingzhou", "421100": "Huanggang", "421200": "Xianning", "421300": "Suizhou",
    "422800": "Enshi Tujia and Miao Autonomous Prefecture", "429004": "Xiantao",
    "429005": "Qianjiang", "429006": "Tianmen", "429021": "Shennongjia Forestry District",
    "420102": "Jiangan District", "420103": "Jianghan District", "420104": "Qiaokou District",
    "420105": "Hanyang District", "420106": "Wuchang District", "420107": "Qingshan District",
    "420111": "Hongshan District", "420112": "Dongxihu District", "420113": "Hannan District",
    "420114": "Caidian District", "420115": "Jiangxia District", "420116": "Huangpi District",
    "420117": "Xinzhou District", "420202": "Huangshigang District",
    "420203": "Xisaishan District", "420204": "Xialu District", "420205": "Tieshan District",
    "420222": "Yangxin County", "420281": "Daye", "420302": "Maojian District",
    "420303": "Zhangwan District", "420304": "Yunyang District", "420322": "Yunxi County",
    "420323": "Zhushan County", "420324": "Zhuxi County", "420325": "Fang County",
    "420381": "Danjiangkou", "420502": "Xiling District", "420503": "Wujiagang District",
    "420504": "Dianjun District", "420505": "Xiaoting District", "420506": "Yiling District",
    "420525": "Yuanan County", "420526": "Xingshan County", "420527": "Zigui County",
    "420528": "Changyang Tujia Autonomous County", "420529": "Wufeng Tujia Autonomous County",
    "420581": "Yidou", "420582": "Dangyang", "420583": "Zhijiang",
    "420602": "Xiangcheng District", "420606": "Fancheng District",
    "420607": "Xiangzhou District", "420624": "Nanzhang County", "420625": "Gucheng County",
    "420626": "Baokang County", "420682": "Laohekou", "420683": "Zaoyang", "420684": "Yicheng",
    "420702": "Liangzihu District", "420703": "Huarong District", "420704": "Echeng District",
    "420802": "Dongbao District", "420804": "Duodao District", "420822": "Shayang County",
    "420881": "Zhongxiang", "420882": "Jingshan", "420902": "Xiaonan District",
    "420921": "Xiaochang County", "420922": "Dawu County", "420923": "Yunmeng County",
    "420981": "Yingcheng", "420982": "Anlu", "420984": "Hanchuan", "421002": "Shashi District",
    "421003": "Jingzhou District", "421022": "Gongan County", "421024": "Jiangling County",
    "421081": "Shishou", "421083": "Honghu", "421087": "Songzi", "421088": "Jianli",
    "421102": "Huangzhou District", "421121": "Tuanfeng County", "421122": "Hongan County",
    "421123": "Luotian County", "421124": "Yingshan County", "421125": "Xishui County",
    "421126": "Qichun County", "421127": "Huangmei County", "421181": "Macheng",
    "421182": "Wuxue", "421202": "Xianan District", "421221": "Jiayu County",
    "421222": "Tongcheng County", "421223": "Chongyang County", "421224": "Tongshan County",
    "421281": "Chibi", "421303": "Zengdu District", "421321": "Sui County",
    "421381": "Guangshui", "422801": "Enshi", "422802": "Lichuan", "422822": "Jianshi County",
    "422823": "Badong County", "422825": "Xuanen County", "422826": "Xianfeng County",
    "422827": "Laifeng County", "422828": "Hefeng County",
}  # fmt: skip

assert PROVINCES_EN.keys() == PROVINCES.keys() and HUBEI_EN.keys() == HUBEI.keys()


def _english() -> bool:
    return (get_language() or "").startswith("en")


def is_hubei(code: str) -> bool:
    return code.startswith("42")


def is_known_region(code: str) -> bool:
    if len(code) != 6 or not code.isdigit():
        return False
    if is_hubei(code):
        return code in HUBEI
    return code[:2] in PROVINCES


def region_name(code: str) -> str:
    """武汉市洪山区, or "Hongshan District, Wuhan" in English."""
    english = _english()
    names = HUBEI_EN if english else HUBEI
    if code in HUBEI:
        city_code = code[:4] + "00"
        name = names[code]
        if code in HUBEI_CITIES or city_code not in HUBEI_CITIES:
            return name
        return f"{name}, {names[city_code]}" if english else f"{names[city_code]}{name}"
    return (PROVINCES_EN if english else PROVINCES).get(code[:2], code)


def city_choices() -> list[tuple[str, str]]:
    return [(code, region_name(code)) for code in HUBEI_CITIES]


def region_prefix_choices() -> list[tuple[str, str]]:
    """Hubei's cities as region-code prefixes (4201 武汉市 …; 429004 仙桃市 stands alone)."""
    return [(code[:4] if code.endswith("00") else code, name) for code, name in city_choices()]
