"""Chinese administrative regions that prefix company names (北京, 广东省深圳市, 延边...).

Province-level divisions (34) and prefecture-level divisions (333 cities, prefectures,
leagues and autonomous prefectures), plus the county-level cities governed directly by a
province and the cities of Taiwan. :data:`REGION_FORMS` maps every written form — short
name, with 省/市/地区/盟/自治区, full autonomous-prefecture name — to the short name.
"""

from __future__ import annotations

from app.normalise.text import word_list

__all__ = [
    "PROVINCE_NAMES",
    "PROVINCE_OF",
    "REGION_FORMS",
    "REGION_MAX_LEN",
    "REGION_SHORT_NAMES",
    "region_of",
]

# Short name → full official name.
PROVINCES: dict[str, str] = {
    "北京": "北京市", "天津": "天津市", "上海": "上海市", "重庆": "重庆市",
    "河北": "河北省", "山西": "山西省", "辽宁": "辽宁省", "吉林": "吉林省",
    "黑龙江": "黑龙江省", "江苏": "江苏省", "浙江": "浙江省", "安徽": "安徽省",
    "福建": "福建省", "江西": "江西省", "山东": "山东省", "河南": "河南省",
    "湖北": "湖北省", "湖南": "湖南省", "广东": "广东省", "海南": "海南省",
    "四川": "四川省", "贵州": "贵州省", "云南": "云南省", "陕西": "陕西省",
    "甘肃": "甘肃省", "青海": "青海省", "台湾": "台湾省",
    "内蒙古": "内蒙古自治区", "广西": "广西壮族自治区", "西藏": "西藏自治区",
    "宁夏": "宁夏回族自治区", "新疆": "新疆维吾尔自治区",
    "香港": "香港特别行政区", "澳门": "澳门特别行政区",
}  # fmt: skip

# Prefecture-level cities (written with 市) and the county-level cities a province governs
# directly, by province.
CITIES_BY_PROVINCE: dict[str, tuple[str, ...]] = {
    "河北": word_list("石家庄 唐山 秦皇岛 邯郸 邢台 保定 张家口 承德 沧州 廊坊 衡水"),
    "山西": word_list("太原 大同 阳泉 长治 晋城 朔州 晋中 运城 忻州 临汾 吕梁"),
    "内蒙古": word_list("呼和浩特 包头 乌海 赤峰 通辽 鄂尔多斯 呼伦贝尔 巴彦淖尔 乌兰察布"),
    "辽宁": word_list("沈阳 大连 鞍山 抚顺 本溪 丹东 锦州 营口 阜新 辽阳 盘锦 铁岭 朝阳 葫芦岛"),
    "吉林": word_list("长春 吉林 四平 辽源 通化 白山 松原 白城"),
    "黑龙江": word_list(
        "哈尔滨 齐齐哈尔 鸡西 鹤岗 双鸭山 大庆 伊春 佳木斯 七台河 牡丹江 黑河 绥化"
    ),
    "江苏": word_list("南京 无锡 徐州 常州 苏州 南通 连云港 淮安 盐城 扬州 镇江 泰州 宿迁"),
    "浙江": word_list("杭州 宁波 温州 嘉兴 湖州 绍兴 金华 衢州 舟山 台州 丽水"),
    "安徽": word_list(
        "合肥 芜湖 蚌埠 淮南 马鞍山 淮北 铜陵 安庆 黄山 滁州 阜阳 宿州 六安 亳州 池州 宣城"
    ),
    "福建": word_list("福州 厦门 莆田 三明 泉州 漳州 南平 龙岩 宁德"),
    "江西": word_list("南昌 景德镇 萍乡 九江 新余 鹰潭 赣州 吉安 宜春 抚州 上饶"),
    "山东": word_list(
        "济南 青岛 淄博 枣庄 东营 烟台 潍坊 济宁 泰安 威海 日照 临沂 德州 聊城 滨州 菏泽"
    ),
    "河南": word_list(
        "郑州 开封 洛阳 平顶山 安阳 鹤壁 新乡 焦作 濮阳 许昌 漯河 三门峡 南阳 商丘 信阳 周口 驻马店 济源"
    ),
    "湖北": word_list("武汉 黄石 十堰 宜昌 襄阳 鄂州 荆门 孝感 荆州 黄冈 咸宁 随州 仙桃 潜江 天门"),
    "湖南": word_list("长沙 株洲 湘潭 衡阳 邵阳 岳阳 常德 张家界 益阳 郴州 永州 怀化 娄底"),
    "广东": word_list(
        "广州 韶关 深圳 珠海 汕头 佛山 江门 湛江 茂名 肇庆 惠州 梅州 汕尾 河源 阳江 清远 东莞 中山 潮州 揭阳 云浮"
    ),
    "广西": word_list("南宁 柳州 桂林 梧州 北海 防城港 钦州 贵港 玉林 百色 贺州 河池 来宾 崇左"),
    "海南": word_list("海口 三亚 三沙 儋州 五指山 琼海 文昌 万宁 东方"),
    "四川": word_list(
        "成都 自贡 攀枝花 泸州 德阳 绵阳 广元 遂宁 内江 乐山 南充 眉山 宜宾 广安 达州 雅安 巴中 资阳"
    ),
    "贵州": word_list("贵阳 六盘水 遵义 安顺 毕节 铜仁"),
    "云南": word_list("昆明 曲靖 玉溪 保山 昭通 丽江 普洱 临沧"),
    "西藏": word_list("拉萨 日喀则 昌都 林芝 山南 那曲"),
    "陕西": word_list("西安 铜川 宝鸡 咸阳 渭南 延安 汉中 榆林 安康 商洛"),
    "甘肃": word_list("兰州 嘉峪关 金昌 白银 天水 武威 张掖 平凉 酒泉 庆阳 定西 陇南"),
    "青海": word_list("西宁 海东"),
    "宁夏": word_list("银川 石嘴山 吴忠 固原 中卫"),
    "新疆": word_list(
        "乌鲁木齐 克拉玛依 吐鲁番 哈密 石河子 阿拉尔 图木舒克 五家渠 北屯 铁门关 双河 可克达拉 昆玉 胡杨河 新星 白杨"
    ),
    "台湾": word_list("台北 新北 桃园 台中 台南 高雄 基隆 新竹 嘉义"),
}
CITIES: tuple[str, ...] = tuple(c for cities in CITIES_BY_PROVINCE.values() for c in cities)

# Prefectures (地区) and leagues (盟): short names.
PREFECTURES: tuple[str, ...] = ("大兴安岭", "阿里", "阿克苏", "喀什", "和田", "塔城", "阿勒泰")
LEAGUES: tuple[str, ...] = ("兴安", "锡林郭勒", "阿拉善")

# Autonomous prefectures: full name → short name.
AUTONOMOUS_PREFECTURES: dict[str, str] = {
    "延边朝鲜族自治州": "延边", "恩施土家族苗族自治州": "恩施", "湘西土家族苗族自治州": "湘西",
    "阿坝藏族羌族自治州": "阿坝", "甘孜藏族自治州": "甘孜", "凉山彝族自治州": "凉山",
    "黔西南布依族苗族自治州": "黔西南", "黔东南苗族侗族自治州": "黔东南",
    "黔南布依族苗族自治州": "黔南", "楚雄彝族自治州": "楚雄", "红河哈尼族彝族自治州": "红河",
    "文山壮族苗族自治州": "文山", "西双版纳傣族自治州": "西双版纳", "大理白族自治州": "大理",
    "德宏傣族景颇族自治州": "德宏", "怒江傈僳族自治州": "怒江", "迪庆藏族自治州": "迪庆",
    "临夏回族自治州": "临夏", "甘南藏族自治州": "甘南", "海北藏族自治州": "海北",
    "黄南藏族自治州": "黄南", "海南藏族自治州": "海南", "果洛藏族自治州": "果洛",
    "玉树藏族自治州": "玉树", "海西蒙古族藏族自治州": "海西", "昌吉回族自治州": "昌吉",
    "博尔塔拉蒙古自治州": "博尔塔拉", "巴音郭楞蒙古自治州": "巴音郭楞",
    "克孜勒苏柯尔克孜自治州": "克孜勒苏", "伊犁哈萨克自治州": "伊犁",
}  # fmt: skip

# Short names that are also everyday words or famous brands (东方航空, 白银 silver, 普洱
# tea, 大理石 marble): recognised as a region only when written with their suffix.
NEEDS_SUFFIX: frozenset[str] = frozenset(
    word_list("东方 新星 白杨 双河 文昌 万宁 来宾 白银 普洱 大理 安康 红河 玉树 长治 天门")
)


def _forms() -> dict[str, str]:
    forms: dict[str, str] = {}

    def add(form: str, short: str) -> None:
        forms.setdefault(form, short)

    for short, full in PROVINCES.items():
        add(full, short)
        if full.endswith("自治区"):
            add(short + "自治区", short)
        add(short, short)
    for city in CITIES:
        add(city + "市", city)
        if city not in NEEDS_SUFFIX:
            add(city, city)
    for name in PREFECTURES:
        add(name + "地区", name)
        add(name, name)
    for name in LEAGUES:
        add(name + "盟", name)
        if name != "兴安":  # 兴安 alone is also a county in Guangxi and a common word
            add(name, name)
    for full, short in AUTONOMOUS_PREFECTURES.items():
        add(full, short)
        add(short + "州", short)
        add(short + "自治州", short)
        if short not in NEEDS_SUFFIX:
            add(short, short)
    return forms


def _province_of() -> dict[str, str]:
    """Short region name → the short name of the province that holds it."""
    held = {city: province for province, cities in CITIES_BY_PROVINCE.items() for city in cities}
    held |= dict.fromkeys(LEAGUES, "内蒙古") | {"大兴安岭": "黑龙江", "阿里": "西藏"}
    held |= dict.fromkeys(("阿克苏", "喀什", "和田", "塔城", "阿勒泰"), "新疆")
    by_province = {
        "吉林": "延边", "湖北": "恩施", "湖南": "湘西", "四川": "阿坝 甘孜 凉山",
        "贵州": "黔西南 黔东南 黔南", "云南": "楚雄 红河 文山 西双版纳 大理 德宏 怒江 迪庆",
        "甘肃": "临夏 甘南", "青海": "海北 黄南 海南 果洛 玉树 海西",
        "新疆": "昌吉 博尔塔拉 巴音郭楞 克孜勒苏 伊犁",
    }  # fmt: skip
    for province, prefectures in by_province.items():
        held |= dict.fromkeys(word_list(prefectures), province)
    for short in PROVINCES:  # a province holds no province (吉林 and 海南 are provinces first)
        held.pop(short, None)
    return held


REGION_FORMS: dict[str, str] = _forms()
# A city, prefecture or league → its province (北京 and the other municipalities hold none).
PROVINCE_OF: dict[str, str] = _province_of()
REGION_SHORT_NAMES: frozenset[str] = frozenset(REGION_FORMS.values())
REGION_MAX_LEN: int = max(map(len, REGION_FORMS))
# Provinces that hold cities: not the municipalities and special regions, which are cities.
PROVINCE_NAMES: frozenset[str] = frozenset(PROVINCES) - {
    "北京",
    "天津",
    "上海",
    "重庆",
    "香港",
    "澳门",
}


def region_of(text: str) -> str:
    """The short region name when ``text`` is exactly one written form of a region, else ""."""
    return REGION_FORMS.get(text, "")
