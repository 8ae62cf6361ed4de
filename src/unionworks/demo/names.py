"""Names for the demo province: Shanxi's real divisions, and word pools for everything below them.

Cities and counties are Shanxi's GB/T 2260 divisions as they stood in 2008, the year of
the article (11 prefecture-level cities, 119 county-level divisions: 23 districts, 11
county-level cities, 85 counties). Taiyuan's townships and street offices are real; the
rest, and every village, unit and person, are composed from the pools below.
"""

from __future__ import annotations

import random

PROVINCE = ("140000", "山西省总工会", "山西")

# (code, name, telephone area code)
CITIES = [
    ("140100", "太原市", "0351"),
    ("140200", "大同市", "0352"),
    ("140300", "阳泉市", "0353"),
    ("140400", "长治市", "0355"),
    ("140500", "晋城市", "0356"),
    ("140600", "朔州市", "0349"),
    ("140700", "晋中市", "0354"),
    ("140800", "运城市", "0359"),
    ("140900", "忻州市", "0350"),
    ("141000", "临汾市", "0357"),
    ("141100", "吕梁市", "0358"),
]

COUNTIES = {
    "140100": [
        ("140105", "小店区"),
        ("140106", "迎泽区"),
        ("140107", "杏花岭区"),
        ("140108", "尖草坪区"),
        ("140109", "万柏林区"),
        ("140110", "晋源区"),
        ("140121", "清徐县"),
        ("140122", "阳曲县"),
        ("140123", "娄烦县"),
        ("140181", "古交市"),
    ],
    "140200": [
        ("140202", "城区"),
        ("140203", "矿区"),
        ("140211", "南郊区"),
        ("140212", "新荣区"),
        ("140221", "阳高县"),
        ("140222", "天镇县"),
        ("140223", "广灵县"),
        ("140224", "灵丘县"),
        ("140225", "浑源县"),
        ("140226", "左云县"),
        ("140227", "大同县"),
    ],
    "140300": [
        ("140302", "城区"),
        ("140303", "矿区"),
        ("140311", "郊区"),
        ("140321", "平定县"),
        ("140322", "盂县"),
    ],
    "140400": [
        ("140402", "城区"),
        ("140411", "郊区"),
        ("140421", "长治县"),
        ("140423", "襄垣县"),
        ("140424", "屯留县"),
        ("140425", "平顺县"),
        ("140426", "黎城县"),
        ("140427", "壶关县"),
        ("140428", "长子县"),
        ("140429", "武乡县"),
        ("140430", "沁县"),
        ("140431", "沁源县"),
        ("140481", "潞城市"),
    ],
    "140500": [
        ("140502", "城区"),
        ("140521", "沁水县"),
        ("140522", "阳城县"),
        ("140524", "陵川县"),
        ("140525", "泽州县"),
        ("140581", "高平市"),
    ],
    "140600": [
        ("140602", "朔城区"),
        ("140603", "平鲁区"),
        ("140621", "山阴县"),
        ("140622", "应县"),
        ("140623", "右玉县"),
        ("140624", "怀仁县"),
    ],
    "140700": [
        ("140702", "榆次区"),
        ("140721", "榆社县"),
        ("140722", "左权县"),
        ("140723", "和顺县"),
        ("140724", "昔阳县"),
        ("140725", "寿阳县"),
        ("140726", "太谷县"),
        ("140727", "祁县"),
        ("140728", "平遥县"),
        ("140729", "灵石县"),
        ("140781", "介休市"),
    ],
    "140800": [
        ("140802", "盐湖区"),
        ("140821", "临猗县"),
        ("140822", "万荣县"),
        ("140823", "闻喜县"),
        ("140824", "稷山县"),
        ("140825", "新绛县"),
        ("140826", "绛县"),
        ("140827", "垣曲县"),
        ("140828", "夏县"),
        ("140829", "平陆县"),
        ("140830", "芮城县"),
        ("140881", "永济市"),
        ("140882", "河津市"),
    ],
    "140900": [
        ("140902", "忻府区"),
        ("140921", "定襄县"),
        ("140922", "五台县"),
        ("140923", "代县"),
        ("140924", "繁峙县"),
        ("140925", "宁武县"),
        ("140926", "静乐县"),
        ("140927", "神池县"),
        ("140928", "五寨县"),
        ("140929", "岢岚县"),
        ("140930", "河曲县"),
        ("140931", "保德县"),
        ("140932", "偏关县"),
        ("140981", "原平市"),
    ],
    "141000": [
        ("141002", "尧都区"),
        ("141021", "曲沃县"),
        ("141022", "翼城县"),
        ("141023", "襄汾县"),
        ("141024", "洪洞县"),
        ("141025", "古县"),
        ("141026", "安泽县"),
        ("141027", "浮山县"),
        ("141028", "吉县"),
        ("141029", "乡宁县"),
        ("141030", "大宁县"),
        ("141031", "隰县"),
        ("141032", "永和县"),
        ("141033", "蒲县"),
        ("141034", "汾西县"),
        ("141081", "侯马市"),
        ("141082", "霍州市"),
    ],
    "141100": [
        ("141102", "离石区"),
        ("141121", "文水县"),
        ("141122", "交城县"),
        ("141123", "兴县"),
        ("141124", "临县"),
        ("141125", "柳林县"),
        ("141126", "石楼县"),
        ("141127", "岚县"),
        ("141128", "方山县"),
        ("141129", "中阳县"),
        ("141130", "交口县"),
        ("141181", "孝义市"),
        ("141182", "汾阳市"),
    ],
}

# District names shared by several cities: their unions carry the city's name too.
AMBIGUOUS_COUNTY_NAMES = {"城区", "矿区", "郊区", "南郊区"}

# Taiyuan's real townships and street offices (2008), the seat first.
REAL_TOWNSHIPS = {
    "140105": ["坞城街道", "营盘街道", "北营街道", "平阳路街道", "黄陵街道", "小店街道",
               "北格镇", "西温庄乡", "刘家堡乡"],
    "140106": ["柳巷街道", "文庙街道", "庙前街道", "迎泽街道", "桥东街道", "老军营街道",
               "郝庄镇"],
    "140107": ["鼓楼街道", "巨轮街道", "三桥街道", "杏花岭街道", "坝陵桥街道", "大东关街道",
               "职工新村街道", "敦化坊街道", "中涧河乡", "小返乡"],
    "140108": ["尖草坪街道", "光社街道", "上兰街道", "南寨街道", "汇丰街道", "迎新街街道",
               "古城街道", "新城街道", "阳曲镇", "向阳镇", "柏板乡", "西墕乡", "马头水乡"],
    "140109": ["千峰街道", "下元街道", "和平街道", "杜儿坪街道", "白家庄街道", "南寒街道",
               "兴华街道", "万柏林街道", "东社街道", "化客头街道", "王封乡"],
    "140110": ["义井街道", "罗城街道", "晋源街道", "金胜镇", "晋祠镇", "姚村镇"],
    "140121": ["清源镇", "徐沟镇", "东于镇", "孟封镇", "马峪乡", "柳杜乡", "西谷乡",
               "王答乡", "集义乡"],
    "140122": ["黄寨镇", "大盂镇", "东黄水镇", "泥屯镇", "高村乡", "侯村乡", "凌井店乡",
               "杨兴乡", "北小店乡", "西凌井乡"],
    "140123": ["娄烦镇", "静游镇", "杜交曲镇", "庙湾乡", "马家庄乡", "天池店乡", "盖家庄乡",
               "米峪镇乡"],
    "140181": ["东曲街道", "西曲街道", "桃园街道", "屯兰街道", "河口镇", "镇城底镇",
               "马兰镇", "阁上乡", "邢家社乡", "常安乡", "原相乡", "梭峪乡", "岔口乡",
               "嘉乐泉乡"],
}  # fmt: skip

# Units planted at fixed places so the demo has named landmarks (and the grassroots login).
ANCHOR_UNITS = [
    {
        "county": "140105",
        "township": "坞城街道",
        "name": "太原重型机械有限公司",
        "ownership": "state",
        "industry": "C",
        "employees": 12600,
        "migrant_workers": 1800,
        "women_workers": 2300,
        "established_on": (1950, 10, 1),
        "founded_on": (1951, 3, 1),
    },
]
GRASSROOTS_LOGIN_UNIT = "太原重型机械有限公司"

# --- places -----------------------------------------------------------------------------

PLACE_FIRST = list(
    "东西南北大小上下新古龙凤马石白黄青红金桃杏柳杨槐榆高长永安太平宁兴和丰泰云清义仁三双五"
    "王张李赵郭韩阎贾梁武段侯"
)
PLACE_SECOND = list("庄村堡营寨店口头岭峪沟坪河泉城关坊塔峰川原阳水井湾屯集桥亭堰滩")
SURNAME_PLACES = list("王张李赵郭韩阎贾梁武段侯杜田孟薛冯宋吕刘")
STREET_WORDS = [
    "东街", "西街", "南街", "北街", "新华", "解放", "胜利", "建设", "迎宾", "向阳", "红旗",
    "光明", "和平", "新建", "府东", "府西", "东关", "西关", "南关", "北关", "站前", "新兴",
    "老城", "新城", "文化", "五一", "永安", "朝阳", "平安", "工农", "兴华", "东城", "西城",
    "矿机", "车站", "新华街", "北大街", "南大街", "桥西", "桥东", "城北", "城南",
]  # fmt: skip
ROADS = [
    "解放路", "迎泽大街", "建设路", "新华街", "胜利街", "人民路", "和平路", "府西街",
    "文化路", "长治路", "体育路", "南内环街", "北大街", "滨河路", "东环路", "西环路",
    "开发路", "工业路", "育才路", "朝阳街", "振兴街", "中心街", "商贸街", "兴业路",
]  # fmt: skip
MARKETS = ["商贸城", "农贸市场", "建材市场", "汽配城", "小商品市场", "美食街", "物流园",
           "工业园", "商业街", "科技园", "服装城"]  # fmt: skip

# --- people -----------------------------------------------------------------------------

SURNAMES = list("王李张刘郭赵杨武梁贾陈韩高田孙史董任吴宋段侯程冯牛马薛乔樊范孟郝温申卫白闫崔常胡")
GIVEN = list("建国军华志强明伟文红丽芳英秀玲敏杰海涛斌勇刚平云峰霞燕辉鹏宇晓静磊超亮")
# Given-name characters read as a man's or a woman's: a person whose sex is known (from the
# ID number's 17th digit) gets a name that matches it.
GIVEN_BY_SEX = {
    "M": list("建国军志强明伟杰海涛斌勇刚峰辉鹏宇磊超亮波毅忠林武东俊"),
    "F": list("红丽芳英秀玲敏霞燕静娟娜艳萍婷雪梅兰凤琴慧洁丹莉"),
}

# --- units ------------------------------------------------------------------------------

BRAND = list(
    "鑫源达宏华盛泰恒兴隆昌荣丰祥瑞安康福德利通远鹏腾飞创新金宝晋龙凯嘉美信诚正海天宇博锦"
    "润佳东方中亿万君豪峰晟煜晖辉聚合和永久明光星耀元成顺广众鼎盈同益晶乐欣汾三"
)
FOREIGN_BRAND = ["艾博", "安德", "奥斯", "巴顿", "贝尔", "博格", "德沃", "杜兰", "菲尼",
                 "格兰", "哈默", "海德", "赫斯", "霍顿", "杰森", "凯斯", "科林", "莱恩",
                 "罗兰", "麦德", "莫里", "纳尔", "诺德", "欧文", "帕克", "普瑞", "瑞德",
                 "萨克", "斯坦", "泰勒", "沃尔", "西蒙", "雅各", "尤尼", "泽尔"]  # fmt: skip
HMT_FIRST = list("嘉冠信裕港永联宝怡盈富恒新")
HMT_SECOND = list("华丰泰昌德隆和利兴荣")

# GB/T 4754 section → words a firm of that trade puts in its name.
TRADE = {
    "A": ["农业开发", "养殖", "农牧", "果业", "苗木", "种植"],
    "B": ["煤业", "矿业", "煤炭", "石料", "铁矿"],
    "C": ["机械制造", "钢铁", "铸造", "化工", "焦化", "建材", "陶瓷", "食品", "醋业", "酒业",
          "制药", "纺织", "服装", "印刷", "包装", "电子", "铝业", "耐火材料", "水泥", "玻璃",
          "塑料制品", "汽车配件", "家具", "饮品", "面业", "镁业"],
    "D": ["电力", "热力", "燃气", "供水", "新能源", "水务"],
    "E": ["建筑工程", "建设", "建筑安装", "路桥工程", "装饰工程", "市政工程", "水利工程"],
    "F": ["商贸", "贸易", "物资", "百货", "超市", "汽车销售", "煤炭运销", "医药", "农资",
          "建材经销"],
    "G": ["运输", "物流", "客运", "货运", "仓储", "快运"],
    "H": ["餐饮", "酒店", "宾馆", "饮食服务"],
    "I": ["信息技术", "网络科技", "软件", "通信工程"],
    "J": ["小额贷款", "融资担保", "典当"],
    "K": ["房地产开发", "置业", "物业管理"],
    "L": ["商务咨询", "广告", "人力资源服务", "劳务派遣", "会展服务", "设备租赁"],
    "M": ["工程设计", "检测", "勘察设计", "科技", "环境监测"],
    "N": ["环保", "园林绿化", "环卫", "水利"],
    "O": ["家政服务", "汽车修理", "洗浴", "美容美发", "保洁服务"],
    "P": ["培训", "教育咨询"],
    "Q": ["医院", "诊所", "养老服务"],
    "R": ["文化传媒", "影视", "体育健身", "旅游开发"],
    "S": ["社区服务"],
    "T": ["国际交流"],
}  # fmt: skip

SHOPS = {
    "F": ["超市", "便利店", "五金店", "建材经销部", "服装店", "副食商店", "日杂店", "电器商行",
          "农资店", "药店"],
    "H": ["饭店", "面馆", "刀削面馆", "小吃店", "火锅店", "饺子馆", "烧烤店", "旅店"],
    "O": ["理发店", "汽车修理部", "洗衣店", "家电维修部", "摄影部", "洗浴中心"],
    "G": ["货运部", "搬家服务部"],
    "C": ["豆腐坊", "面食加工坊", "木器加工部", "印刷部"],
}  # fmt: skip

STATE_TEMPLATES = {
    "B": ["{place}{brand}煤业有限责任公司", "{county}{hamlet}煤矿", "山西{brand}煤业集团有限公司"],
    "C": ["{place}{brand}{trade}有限责任公司", "山西{brand}{trade}集团有限公司", "{county}{trade}厂"],
    "D": ["{county}供电支公司", "{county}自来水公司", "{county}供热公司", "{county}燃气公司",
          "{place}{brand}电力有限责任公司"],
    "E": ["{county}建筑工程公司", "{place}{brand}建设有限责任公司", "{city}第{n}建筑工程公司"],
    "F": ["{county}粮油购销公司", "{county}医药公司", "{county}物资总公司", "{county}新华书店",
          "{county}石油公司", "{county}百货大楼"],
    "G": ["{county}公共交通公司", "{county}汽车运输公司", "{place}{brand}物流有限责任公司",
          "{county}邮政局"],
    "J": ["中国工商银行{county}支行", "中国农业银行{county}支行", "中国建设银行{county}支行",
          "中国银行{county}支行", "中国邮政储蓄银行{county}支行", "中国人民财产保险{county}支公司"],
    "K": ["{county}房地产开发公司", "{place}{brand}置业有限责任公司"],
}  # fmt: skip

INSTITUTIONS = {
    "P": ["{township}中心学校", "{county}第{n}中学", "{county}实验小学", "{county}职业中学",
          "{township}{village}小学", "{county}第{n}幼儿园", "{township}初级中学"],
    "Q": ["{county}人民医院", "{county}中医医院", "{county}妇幼保健院", "{county}疾病预防控制中心",
          "{township}卫生院", "{county}第{n}人民医院"],
    "M": ["{county}农业技术推广中心", "{county}质量技术监督检验所", "{county}建设工程质量检测站",
          "{county}地震监测站", "{county}气象台"],
    "N": ["{county}园林管理所", "{county}环境卫生管理站", "{county}水利工作站",
          "{township}水利站", "{county}水资源管理站"],
    "R": ["{county}文化馆", "{county}图书馆", "{county}广播电视台", "{county}博物馆",
          "{county}体育场"],
    "A": ["{county}{hamlet}林场", "{county}畜牧兽医站", "{township}农业综合服务站",
          "{county}种子管理站"],
    "S": ["{county}社会保险服务中心", "{county}就业服务中心", "{county}政务服务中心",
          "{township}便民服务中心", "{county}住房公积金管理中心"],
}  # fmt: skip
# When the pools above run dry in a county: a village-level place of the same trade.
INSTITUTION_FALLBACK = {"P": "小学", "Q": "卫生所", "M": "农业技术服务站", "N": "水利管理站",
                        "R": "文化活动中心", "A": "林业站", "S": "便民服务站"}  # fmt: skip

SOCIAL = {
    "S": ["{county}{assoc}协会", "{city}{origin}商会", "{county}{origin}商会"],
    "P": ["{county}{brand}幼儿园", "{county}{brand}职业培训学校"],
    "Q": ["{county}{brand}养老院", "{county}{brand}康复中心"],
    "R": ["{county}{brand}艺术团", "{county}{brand}体育俱乐部"],
    "O": ["{county}{brand}家政服务中心", "{county}{brand}社会工作服务中心"],
}  # fmt: skip
ASSOCIATIONS = ["个体劳动者", "私营企业", "建筑业", "餐饮", "煤炭运销", "果业", "养殖业",
                "书法家", "老年体育", "慈善", "企业家", "农民专业合作社"]  # fmt: skip
ORIGINS = ["浙江", "福建", "温州", "河南", "河北", "江苏", "广东", "四川", "湖南"]

COLLECTIVE_TEMPLATES = {
    "A": ["{township}{village}农机服务队", "{township}{brand}{trade}合作社"],
    "C": ["{township}{village}{trade}厂", "{county}{brand}{trade}厂"],
    "E": ["{township}{brand}建筑队", "{county}第{n}建筑公司"],
    "F": ["{county}供销合作社", "{township}供销社", "{township}{village}供销分社"],
    "J": ["{county}农村信用合作联社", "{township}农村信用社", "{township}{village}信用分社"],
    "G": ["{township}{brand}运输队"],
}  # fmt: skip

# Federations: themes for a region-wide one, and words for a trade-wide one.
FEDERATION_REGIONS = ["个体私营企业", "非公有制企业", "工业园区", "商业街区", "专业市场",
                      "楼宇"]  # fmt: skip
FEDERATION_TRADES = {
    "B": "煤炭运销",
    "C": "加工制造业",
    "E": "建筑业",
    "F": "商贸流通业",
    "G": "交通物流业",
    "H": "餐饮住宿业",
    "K": "物业管理",
    "O": "家政服务业",
}


ORDINALS = ["一", "二", "三", "四", "五", "六", "七", "八", "九", "十", "十一", "十二"]

# --- composers --------------------------------------------------------------------------


def person_name(rng: random.Random, sex: str | None = None) -> str:
    """A name; with ``sex`` ("M"/"F") one that reads as that sex. As many draws either way,
    so the rest of a seeded build does not shift."""
    pool = GIVEN_BY_SEX.get(sex or "", GIVEN)
    given = rng.choice(pool) + (rng.choice(pool) if rng.random() < 0.7 else "")
    return rng.choice(SURNAMES) + given


def place_name(rng: random.Random) -> str:
    if rng.random() < 0.2:
        return rng.choice(SURNAME_PLACES) + "家" + rng.choice("庄堡沟坡湾")
    first = rng.choice(PLACE_FIRST)
    second = rng.choice(PLACE_SECOND)
    while second == first:
        second = rng.choice(PLACE_SECOND)
    return first + second


def village_name(rng: random.Random) -> str:
    return place_name(rng) + ("社区" if rng.random() < 0.25 else "村")


def brand(rng: random.Random) -> str:
    a, b = rng.sample(BRAND, 2)
    return a + b


def township_names(rng: random.Random, *, county_code: str, county_kind: str, count: int) -> list:
    """``count`` distinct township names for a county: real ones where we know them."""
    real = REAL_TOWNSHIPS.get(county_code, [])
    names = list(real[:count])
    taken = set(names)
    while len(names) < count:
        i = len(names)
        if county_kind == "district":
            street_share = 0.75
        elif county_kind == "city":
            street_share = 0.35 if i < 4 else 0.0
        else:
            street_share = 0.0
        if i == 0 and county_kind == "county" and rng.random() < 0.5:
            name = "城关镇"
        elif rng.random() < street_share:
            name = rng.choice(STREET_WORDS) + "街道"
        else:
            name = place_name(rng) + ("镇" if rng.random() < 0.5 else "乡")
        if name not in taken:
            taken.add(name)
            names.append(name)
    return names


class _Words(dict):
    """Template slots filled on first use, so a template draws only the words it names."""

    def __init__(self, rng: random.Random, *, industry: str, county: str, city: str, township: str):
        super().__init__(county=county, city=city, township=township)
        self.rng = rng
        self.industry = industry

    def __missing__(self, key: str) -> str:
        rng = self.rng
        if key == "brand":
            value = brand(rng)
        elif key == "trade":
            value = rng.choice(TRADE[self.industry])
        elif key == "village":
            value = village_name(rng)
        elif key == "hamlet":
            value = place_name(rng)
        elif key == "n":
            value = rng.choice(ORDINALS)
        elif key == "place":
            r = rng.random()
            value = "山西" if r < 0.15 else self["city"] if r < 0.6 else self["county"]
        elif key == "assoc":
            value = rng.choice(ASSOCIATIONS)
        elif key == "origin":
            value = rng.choice(ORIGINS)
        elif key == "surname":
            value = rng.choice(SURNAMES)
        else:
            raise KeyError(key)
        self[key] = value
        return value


def _templates(ownership: str, industry: str, wide: bool) -> list[str]:
    company = "{place}{brand}{trade}"
    if ownership == "state":
        pool = STATE_TEMPLATES.get(industry)
        return pool if pool and not wide else [company + "有限责任公司"]
    if ownership == "collective":
        pool = COLLECTIVE_TEMPLATES.get(industry)
        return (
            pool
            if pool and not wide
            else ["{township}{brand}{trade}" + ("厂" if industry == "C" else "合作公司")]
        )
    if ownership == "institution":
        pool = INSTITUTIONS.get(industry)
        return (
            pool
            if pool and not wide
            else ["{township}{village}" + INSTITUTION_FALLBACK.get(industry, "服务站")]
        )
    if ownership == "social":
        pool = SOCIAL.get(industry)
        return pool if pool and not wide else ["{county}{brand}{trade}服务中心"]
    if ownership == "individual":
        shops = SHOPS.get(industry, ["经营部"])
        return [f"{{county}}{{surname}}记{shop}" for shop in shops] + [
            f"{{township}}{{brand}}{shop}" for shop in shops
        ]
    if ownership == "foreign":
        return ["{place}" + fb + "{trade}有限公司" for fb in FOREIGN_BRAND]
    if ownership == "hmt":
        return ["{place}" + a + b + "{trade}有限公司" for a in HMT_FIRST for b in HMT_SECOND]
    # private
    if wide:
        return [company + "有限公司"]
    return [company + "有限公司"] * 16 + [company + "有限责任公司"] * 3 + [company + "股份有限公司"]


def unit_name(
    rng: random.Random,
    *,
    ownership: str,
    industry: str,
    county: str,
    city: str,
    township: str,
    attempt: int = 0,
) -> str:
    """A realistic name for a unit of this ownership and trade; later attempts widen the pool."""
    words = _Words(rng, industry=industry, county=county, city=city, township=township)
    template = rng.choice(_templates(ownership, industry, wide=attempt >= 6))
    return template.format_map(words)
