"""Search quality and speed of the embedded case index (SQLite and PostgreSQL).

    .venv/bin/python bench/bench_search.py [--size 200000] [--db sqlite|postgres|both]
                                           [--workers 2] [--queries 200] [--skip-quality]

Quality: a labelled corpus written for this benchmark (≈45 topics in 20
categories, 40 cases each, every description padded with the generic words all
reports share — 村民, 反映, 问题, 情况, 希望尽快解决 — and with words that topics
share, such as 楼上, 小区, 物业), and a query set with judged relevant topics:
2–4 character words, space-separated words, unspaced phrases, traditional
script and residents' sentences. Prints precision@10 and recall@100 per kind
and overall (target: mean P@10 ≥ 0.95).

Speed: ``--size`` cases (default 200,000) bulk-inserted, then the time of
``rebuild_search_index`` (target ≤ 60 s), then the p50/p95 latency of the
JSON search view (1–3 word queries, facets on; target p95 ≤ 50 ms), and the
same queries answered the way one would without a full-text index (an
``icontains`` scan with the same count, page and facets), with the ratio. Two
scans are timed: title + public summary (the issue's original baseline) and
title + public summary + raw report (the columns staff search actually covers);
both ratios are printed.

Each database gets a throwaway database of its own: a temporary SQLite file, or
the PostgreSQL database named in ``--pg-url`` (dropped and re-created).
"""

import argparse
import os
import random
import resource
import statistics
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
DEFAULT_PG_URL = "postgres://postgres@127.0.0.1:5432/portal_bench_search"

# --- the labelled corpus -------------------------------------------------------------

OPENERS = [
    "村民反映，",
    "居民来电反映，",
    "群众来访反映，",
    "网格员巡查发现，",
    "12345热线转来诉求：",
    "业主反映，",
]
CLOSERS = [
    "希望有关部门尽快解决。",
    "问题已持续一段时间，情况较为突出，请求处理。",
    "群众意见较大，希望尽快处理。",
    "要求相关单位核实情况并给予答复。",
    "",
]
PLACES = ["幸福小区", "锦绣花园", "阳光家园", "东湖小区", "滨河苑", "金桂园", "西岭村", "南坪村"]
BUILDINGS = [f"{n}号楼" for n in range(1, 19)]

# topic key → (category, titles, description bodies, summaries).
# "{p}" is a place, "{b}" a building.
TOPICS = {
    "leak_upstairs": (
        "物业管理",
        ["楼上卫生间漏水", "楼上住户漏水殃及楼下", "楼上渗水导致天花板发霉"],
        [
            "{p}{b}楼上住户卫生间漏水，楼下天花板发霉脱落，多次协商未果",
            "{p}{b}楼上厨房水管渗水，楼下住户墙面起皮",
        ],
        ["{p}楼上住户漏水影响楼下，社区已协调双方维修。"],
    ),
    "leak_roof": (
        "物业管理",
        ["顶楼房顶渗水", "屋面防水层破损漏雨", "雨天屋顶漏雨"],
        ["{p}{b}顶层住户反映屋面防水层老化，每逢下雨房顶渗水", "{p}{b}屋顶漏雨严重，墙体发霉"],
        ["{p}顶楼屋面渗水，已由维修资金列支修缮。"],
    ),
    "property_fee": (
        "物业管理",
        ["物业费上涨未公示", "物业费收取标准不透明", "物业公司乱收物业费"],
        [
            "{p}物业公司上调物业费但未公示收费依据，业主要求公开明细",
            "{p}物业费涨价未经业主大会同意",
        ],
        ["{p}业主对物业费上涨有疑问，社区已组织物业公开收费明细。"],
    ),
    "parking_fee": (
        "物业管理",
        ["小区停车费过高", "停车位收费不合理", "车位乱收费"],
        ["{p}停车费由每月一百元上调至三百元，业主认为收费不合理", "{p}地面车位收费标准未公示"],
        ["{p}停车收费标准争议，已协调物业按备案标准收费。"],
    ),
    "elevator": (
        "安全隐患",
        ["电梯故障困人", "电梯频繁停运", "电梯维保不到位"],
        [
            "{p}{b}电梯多次突然停运，曾发生困人事件，物业维保不及时",
            "{p}{b}电梯运行异响，存在安全隐患",
        ],
        ["{p}电梯故障，已督促维保单位检修。"],
    ),
    "ebike_charging": (
        "安全隐患",
        ["楼道电动车充电", "电动车飞线充电", "私拉电线给电瓶车充电"],
        [
            "{p}{b}楼道内停放电动车并私拉电线充电，存在火灾隐患",
            "{p}{b}住户从窗户拉线给电瓶车充电",
        ],
        ["{p}楼道停放电动车充电，已劝导清理并引导到充电桩充电。"],
    ),
    "fire_passage": (
        "安全隐患",
        ["消防通道被占用", "杂物堵塞消防通道", "消防通道停满车辆"],
        ["{p}消防通道长期停放车辆，消防车无法通行", "{p}{b}楼道堆放杂物堵塞消防通道"],
        ["{p}消防通道占用问题，已清理并设置禁停标识。"],
    ),
    "falling_objects": (
        "安全隐患",
        ["高空抛物伤人隐患", "楼上扔垃圾", "高空坠物砸坏车辆"],
        ["{p}{b}有人从高层往下扔垃圾，险些砸到行人", "{p}{b}高空坠物砸坏停放车辆"],
        ["{p}高空抛物隐患，已安装监控并入户宣传。"],
    ),
    "gas_leak": (
        "安全隐患",
        ["燃气管道泄漏", "楼道有燃气味", "燃气表漏气"],
        ["{p}{b}楼道内有明显燃气味，怀疑燃气管道泄漏", "{p}燃气管线老化漏气"],
        ["{p}燃气泄漏隐患，燃气公司已抢修。"],
    ),
    "square_dance": (
        "矛盾纠纷",
        ["广场舞噪音扰民", "广场舞音响声音过大", "晚上广场舞太吵"],
        [
            "{p}文化广场每晚跳广场舞，音响声音过大，影响周边住户休息",
            "广场舞持续到晚上十点，噪音扰民",
        ],
        ["{p}广场舞音量过大，已协调调低音量并限定时间。"],
    ),
    "construction_noise": (
        "环境保护",
        ["夜间施工噪音扰民", "工地深夜施工", "施工噪声影响休息"],
        ["{p}附近工地夜间施工至凌晨，噪声扰民", "建筑工地深夜打桩，居民无法入睡"],
        ["{p}工地夜间违规施工，已联系住建部门执法。"],
    ),
    "decoration_noise": (
        "矛盾纠纷",
        ["装修噪音扰民", "邻居周末装修", "装修时间不守规定"],
        ["{p}{b}住户周末及午休时间装修，电钻声扰民", "{p}{b}装修不按规定时间施工"],
        ["{p}装修噪音纠纷，已调解并约定施工时间。"],
    ),
    "neighbour_dispute": (
        "矛盾纠纷",
        ["邻里纠纷调解", "邻居因琐事发生争吵", "邻里矛盾升级"],
        ["{p}两户邻居因公共区域使用发生争执，情绪激动", "邻里之间因鸡毛蒜皮的小事多次争吵"],
        ["{p}邻里琐事纠纷，人民调解员已调解。"],
    ),
    "homestead": (
        "矛盾纠纷",
        ["宅基地边界纠纷", "宅基地界址争议", "建房占用宅基地"],
        ["{p}两户村民因宅基地边界发生争执，请求村委会调解", "村民建房越过宅基地界址"],
        ["{p}宅基地边界争议，村调解委员会已现场丈量调解。"],
    ),
    "land_contract": (
        "矛盾纠纷",
        ["土地承包合同纠纷", "承包地流转纠纷", "耕地承包费争议"],
        ["{p}承包地流转合同到期后双方对续包价格有争议", "土地承包费未按合同支付"],
        ["{p}土地承包纠纷，已依法调解。"],
    ),
    "family": (
        "矛盾纠纷",
        ["赡养老人纠纷", "子女不履行赡养义务", "老人赡养费争议"],
        ["{p}老人反映子女互相推诿，不支付赡养费", "多名子女对赡养老人分工有分歧"],
        ["{p}赡养纠纷，已组织家庭协商。"],
    ),
    "wage_arrears": (
        "劳动保障",
        ["拖欠农民工工资", "工地欠薪", "工资被拖欠数月"],
        ["{p}某建筑工地拖欠十余名农民工工资近三个月", "包工头拖欠工人工资后失联"],
        ["某工地拖欠农民工工资，已移交劳动监察部门处理。"],
    ),
    "social_insurance": (
        "劳动保障",
        ["单位未缴纳社保", "社会保险断缴", "养老保险未缴"],
        ["{p}务工人员反映用人单位未为其缴纳社保", "单位拖欠缴纳养老保险"],
        ["用人单位未依法缴纳社保，已转劳动监察处理。"],
    ),
    "dibao": (
        "社会救助",
        ["申请最低生活保障", "低保申请咨询", "低保资格审核"],
        ["{p}困难家庭因病致贫，咨询如何申请最低生活保障", "村民询问低保资格审核进度"],
        ["困难家庭咨询低保申请流程，已上门指导。"],
    ),
    "disability": (
        "社会救助",
        ["残疾人补贴发放", "残疾证办理", "残疾人两项补贴"],
        ["{p}残疾人家属咨询残疾人两项补贴发放情况", "办理残疾证需要哪些材料"],
        ["残疾人补贴咨询，已告知办理流程。"],
    ),
    "medical_insurance": (
        "社会救助",
        ["医保报销咨询", "异地就医报销", "城乡居民医保缴费"],
        ["{p}居民咨询城乡居民医保缴费标准及报销比例", "异地就医医保报销手续繁琐"],
        ["医保报销政策咨询，已解答。"],
    ),
    "street_light": (
        "市政设施",
        ["路灯不亮", "路灯损坏", "村道路灯长期不亮"],
        ["{p}主干道多盏路灯损坏不亮，夜间出行不便", "村道路灯长期不亮，存在安全隐患"],
        ["{p}路灯损坏，已维修恢复照明。"],
    ),
    "manhole": (
        "市政设施",
        ["井盖缺失", "井盖破损", "窨井盖松动"],
        ["{p}路口井盖缺失，行人易跌落", "人行道井盖破损松动"],
        ["{p}井盖缺失，已补装。"],
    ),
    "road_damage": (
        "市政设施",
        ["道路坑洼破损", "路面塌陷", "村道破损严重"],
        ["{p}进村道路坑洼不平，雨天积水", "路面局部塌陷，车辆通行危险"],
        ["{p}道路破损，已安排修补。"],
    ),
    "sewer": (
        "市政设施",
        ["下水道堵塞返水", "污水管堵塞", "化粪池满溢"],
        ["{p}{b}下水道堵塞，污水从地漏返出", "{p}化粪池满溢，污水横流臭气熏天"],
        ["{p}下水道堵塞，已组织疏通。"],
    ),
    "water_outage": (
        "市政设施",
        ["小区停水", "突然停水无通知", "自来水水压低"],
        ["{p}突然停水一天未提前通知", "{p}{b}高层自来水水压过低，用水困难"],
        ["{p}停水问题，供水公司已抢修恢复供水。"],
    ),
    "power_outage": (
        "市政设施",
        ["频繁停电", "小区停电", "线路老化跳闸"],
        ["{p}近期频繁停电，影响生活", "{p}{b}线路老化经常跳闸断电"],
        ["{p}停电问题，供电公司已检修。"],
    ),
    "garbage": (
        "环境卫生",
        ["垃圾清运不及时", "垃圾堆积发臭", "垃圾桶满溢"],
        ["{p}垃圾点垃圾堆积多日未清运，气味难闻", "垃圾桶满溢无人清理"],
        ["{p}垃圾清运不及时，已增加清运频次。"],
    ),
    "garbage_sorting": (
        "环境卫生",
        ["垃圾分类设施不足", "垃圾分类宣传", "分类垃圾桶混投"],
        ["{p}小区只有一个垃圾分类投放点，居民投放不便", "分类垃圾桶混投严重"],
        ["{p}垃圾分类设施不足，已增设投放点。"],
    ),
    "stray_dogs": (
        "环境卫生",
        ["流浪狗伤人", "流浪犬聚集", "小区流浪狗太多"],
        ["{p}小区流浪狗聚集，曾追咬儿童", "流浪犬夜间狂吠扰民"],
        ["{p}流浪犬问题，已联系有关部门收容。"],
    ),
    "straw_burning": (
        "环境保护",
        ["秸秆焚烧", "田间焚烧秸秆", "露天焚烧垃圾"],
        ["{p}田间有人焚烧秸秆，浓烟滚滚", "村边露天焚烧垃圾，污染空气"],
        ["{p}秸秆焚烧，已现场制止并宣传禁烧政策。"],
    ),
    "factory_pollution": (
        "环境保护",
        ["工厂排放废气", "作坊污水直排河道", "企业异味扰民"],
        ["{p}附近工厂夜间排放刺鼻废气", "小作坊污水直排河道，河水发黑"],
        ["{p}企业排污问题，已移交生态环境部门。"],
    ),
    "illegal_building": (
        "城市管理",
        ["违章建筑", "楼顶私搭乱建", "违建占用公共绿地"],
        ["{p}{b}顶楼住户私自加盖违章建筑", "{p}有人在公共绿地上搭建违建"],
        ["{p}违建问题，已移交综合执法部门拆除。"],
    ),
    "street_vendor": (
        "城市管理",
        ["占道经营", "流动摊贩堵路", "店铺出店经营"],
        ["{p}门口流动摊贩占道经营，影响通行", "沿街店铺出店经营占用人行道"],
        ["{p}占道经营问题，已劝导规范。"],
    ),
    "parking_chaos": (
        "城市管理",
        ["小区停车难", "车辆乱停乱放", "僵尸车占用车位"],
        ["{p}小区车位紧张，车辆乱停乱放堵塞道路", "{p}僵尸车长期占用公共车位"],
        ["{p}停车秩序问题，已清理僵尸车并施划车位。"],
    ),
    "school_enrolment": (
        "教育",
        ["入学学区划分咨询", "孩子上学难", "学位申请咨询"],
        ["{p}家长咨询学区划分和入学报名时间", "随迁子女入学材料咨询"],
        ["入学政策咨询，已解答。"],
    ),
    "village_finance": (
        "村务公开",
        ["村务公开不及时", "村集体财务收支未公开", "村务公开栏长期未更新"],
        ["{p}村务公开栏长期未更新财务收支明细", "村民要求公开集体资产收益情况"],
        ["{p}村务公开不及时，已督促按季度公开。"],
    ),
    "subsidy": (
        "惠农补贴",
        ["耕地地力补贴未到账", "惠农补贴发放", "种粮补贴咨询"],
        ["{p}村民反映今年耕地地力补贴尚未到账", "种粮补贴发放标准咨询"],
        ["惠农补贴发放咨询，已核实并告知进度。"],
    ),
    "fraud": (
        "平安建设",
        ["电信诈骗", "老人被骗买保健品", "非法集资"],
        ["{p}老人接到冒充客服的诈骗电话被骗钱财", "有人以高息为诱饵非法集资"],
        ["{p}涉嫌诈骗，已报警并开展反诈宣传。"],
    ),
    "pets": (
        "矛盾纠纷",
        ["养狗不拴绳", "宠物狗扰民", "狗粪便无人清理"],
        ["{p}邻居遛狗不拴绳，吓到小孩", "{p}{b}宠物狗整夜狂吠"],
        ["{p}文明养犬纠纷，已劝导。"],
    ),
    "greenery": (
        "环境卫生",
        ["绿化带被毁种菜", "树木遮挡采光", "小区绿化缺乏养护"],
        ["{p}公共绿化带被毁改种菜地", "{p}{b}楼前大树遮挡低层采光"],
        ["{p}绿化问题，已恢复绿化并修剪树木。"],
    ),
    "housing_repair": (
        "住房保障",
        ["危房改造申请", "农村危房鉴定", "老旧房屋加固"],
        ["{p}村民住房墙体开裂，申请危房改造", "农村危房鉴定进度咨询"],
        ["危房改造申请，已上报审核。"],
    ),
    "pension": (
        "社会救助",
        ["养老金领取咨询", "高龄津贴发放", "养老金未到账"],
        ["{p}老人咨询高龄津贴申领条件", "养老金本月未到账"],
        ["养老待遇咨询，已核实并答复。"],
    ),
    "bus": (
        "交通出行",
        ["公交线路调整", "公交站点撤销", "公交车班次太少"],
        ["{p}附近公交站点撤销后出行不便", "公交车班次少，等车时间长"],
        ["公交出行诉求，已转交交通运输部门。"],
    ),
    "noise_shop": (
        "环境保护",
        ["商铺音响扰民", "门店喇叭叫卖噪音", "烧烤店夜间噪音"],
        ["{p}沿街门店用高音喇叭叫卖，噪音扰民", "烧烤店经营至深夜，噪声影响休息"],
        ["{p}商铺噪音问题，已劝导整改。"],
    ),
}

# (kind, query, relevant topics)
QUERIES = [
    ("2-4字", "漏水", {"leak_upstairs", "leak_roof"}),
    ("2-4字", "噪音", {"square_dance", "construction_noise", "decoration_noise", "noise_shop"}),
    ("2-4字", "欠薪", {"wage_arrears"}),
    ("2-4字", "低保", {"dibao"}),
    ("2-4字", "宅基地", {"homestead"}),
    ("2-4字", "路灯", {"street_light"}),
    ("2-4字", "井盖", {"manhole"}),
    ("2-4字", "物业费", {"property_fee"}),
    ("2-4字", "违建", {"illegal_building"}),
    ("2-4字", "停水", {"water_outage"}),
    ("2-4字", "高空抛物", {"falling_objects"}),
    ("2-4字", "流浪狗", {"stray_dogs"}),
    ("2-4字", "电梯", {"elevator"}),
    ("2-4字", "占道经营", {"street_vendor"}),
    ("2-4字", "社保", {"social_insurance"}),
    ("2-4字", "诈骗", {"fraud"}),
    ("多词", "楼上 漏水", {"leak_upstairs"}),
    ("多词", "广场舞 噪音", {"square_dance"}),
    ("多词", "物业费 上涨", {"property_fee"}),
    ("多词", "工地 欠薪", {"wage_arrears"}),
    ("多词", "宅基地 纠纷", {"homestead"}),
    ("多词", "电梯 故障", {"elevator"}),
    ("多词", "路灯 不亮", {"street_light"}),
    ("多词", "垃圾 清运", {"garbage"}),
    ("多词", "夜间 施工", {"construction_noise"}),
    ("多词", "消防通道 占用", {"fire_passage"}),
    ("不分词", "楼道电动车充电", {"ebike_charging"}),
    ("不分词", "楼上卫生间漏水", {"leak_upstairs"}),
    ("不分词", "广场舞噪音扰民", {"square_dance"}),
    ("不分词", "小区物业费上涨", {"property_fee"}),
    ("不分词", "农民工工资拖欠", {"wage_arrears"}),
    ("不分词", "宅基地边界纠纷", {"homestead"}),
    ("不分词", "电梯故障困人", {"elevator"}),
    ("不分词", "下水道堵塞返水", {"sewer"}),
    ("不分词", "装修噪音扰民", {"decoration_noise"}),
    ("繁体", "物業費", {"property_fee"}),
    ("繁体", "電動車充電", {"ebike_charging"}),
    ("繁体", "噪音擾民", {"square_dance", "construction_noise", "decoration_noise", "noise_shop"}),
    ("繁体", "拖欠工資", {"wage_arrears"}),
    ("繁体", "違章建築", {"illegal_building"}),
    ("繁体", "路燈不亮", {"street_light"}),
    ("繁体", "電梯故障", {"elevator"}),
    ("繁体", "宅基地糾紛", {"homestead"}),
    ("句子", "村民反映楼上漏水", {"leak_upstairs"}),
    ("句子", "居民反映广场舞太吵", {"square_dance"}),
    ("句子", "反映村里路灯坏了", {"street_light"}),
    ("句子", "我们小区停车难问题", {"parking_chaos"}),
    ("句子", "希望解决拖欠工资的问题", {"wage_arrears"}),
    ("句子", "咨询怎么申请低保", {"dibao"}),
    ("句子", "楼道里有人给电瓶车充电", {"ebike_charging"}),
]

SPEED_QUERIES = [
    "漏水",
    "噪音",
    "物业费",
    "电梯 故障",
    "楼上 漏水",
    "路灯",
    "宅基地 纠纷",
    "楼道电动车充电",
    "欠薪",
    "垃圾 清运 不及时",
    "物業費",
    "村民反映楼上漏水",
    "停车",
    "广场舞",
    "井盖 缺失",
    "化粪池",
]


def generate_case_texts(rng, topic):
    """Texts of one case of ``topic``. Dates, room numbers and places vary so that
    clauses do not repeat more than in real reports (the analyser caches clauses)."""
    category, titles, bodies, summaries = TOPICS[topic]
    place = rng.choice(PLACES)
    building = rng.choice(BUILDINGS)
    room = f"{rng.randint(1, 6)}单元{rng.randint(1, 33)}0{rng.randint(1, 4)}室"
    when = f"{rng.randint(1, 12)}月{rng.randint(1, 28)}日{rng.randint(6, 22)}时许"
    title = rng.choice(titles)
    if rng.random() < 0.5:
        title = place + title
    body = rng.choice(bodies).format(p=place, b=building + room)
    description = f"{rng.choice(OPENERS)}{when}{body}。{rng.choice(CLOSERS)}"
    summary = rng.choice(summaries).format(p=place, b=building)
    return category, title, description, summary, place + building + room


# --- database set-up (runs in the child process) ---------------------------------

DATA_DIR = Path(os.environ.get("BENCH_SEARCH_DIR", "/tmp/bench-search"))
META_TABLE = "bench_search_meta"


def database_url(db, name, pg_url):
    if db == "sqlite":
        return f"sqlite:///{DATA_DIR / (name + '.sqlite3')}"
    base, _, _ = pg_url.rpartition("/")
    return f"{base}/{name}"


def setup_django(db, name, pg_url, fresh):
    """Point Django at the named throwaway database (created, or dropped first when ``fresh``)."""
    DATA_DIR.mkdir(parents=True, exist_ok=True)
    url = database_url(db, name, pg_url)
    if db == "sqlite":
        path = DATA_DIR / f"{name}.sqlite3"
        if fresh:
            for suffix in ("", "-wal", "-shm"):
                Path(f"{path}{suffix}").unlink(missing_ok=True)
    else:
        import psycopg

        base, _, _ = pg_url.rpartition("/")
        with psycopg.connect(f"{base}/postgres", autocommit=True) as conn:
            exists = conn.execute("SELECT 1 FROM pg_database WHERE datname = %s", [name]).fetchone()
            if fresh and exists:
                conn.execute(f'DROP DATABASE "{name}"')
                exists = None
            if not exists:
                conn.execute(f'CREATE DATABASE "{name}"')
    os.environ["DATABASE_URL"] = url
    os.environ["PORTAL_VAR_DIR"] = str(DATA_DIR / "var")
    os.environ["SEARCH_BACKEND"] = "embedded"
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "portal.settings.test")
    sys.path.insert(0, str(ROOT))
    import django

    django.setup()
    from django.core.management import call_command

    started = time.perf_counter()
    call_command("migrate", verbosity=0, interactive=False)
    print(f"  迁移数据库：{time.perf_counter() - started:.1f} 秒", flush=True)


def dataset_size():
    """Cases of a finished, indexed dataset in this database, or None."""
    from django.db import connection

    with connection.cursor() as cursor:
        if META_TABLE not in connection.introspection.table_names(cursor):
            return None
        cursor.execute(f"SELECT cases FROM {META_TABLE}")
        row = cursor.fetchone()
    return row[0] if row else None


def mark_dataset(size):
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute(f"CREATE TABLE IF NOT EXISTS {META_TABLE} (cases integer)")
        cursor.execute(f"DELETE FROM {META_TABLE}")
        cursor.execute(f"INSERT INTO {META_TABLE} (cases) VALUES (%s)", [size])


def make_regions():
    from portal.snippets.models import Grid, Region

    county = Region.objects.create(name="清河县", level="county", code="411523000000")
    grids = []
    for t in range(2):
        town = Region.objects.create(
            name=f"第{t + 1}街道", level="town", parent=county, code=f"41152300{t + 1}000"
        )
        for v in range(10):
            village = Region.objects.create(
                name=f"{PLACES[v % len(PLACES)]}{t}{v}社区",
                level="village",
                parent=town,
                code=f"41152300{t + 1}{v:03d}",
            )
            for g in range(3):
                grids.append(
                    Grid.objects.create(
                        code=f"41152300{t + 1}{v:03d}{g:03d}",
                        name=f"{village.name}{g + 1}网格",
                        region=village,
                    )
                )
    return grids


def categories_by_name():
    from portal.cases.models import CaseCategory

    categories = {}
    for category, *_ in TOPICS.values():
        if category not in categories:
            categories[category] = CaseCategory.objects.get_or_create(
                name=category, defaults={"code": f"c{len(categories)}"}
            )[0]
    return categories


def insert_cases(count, rng, grids, topic_of=None, number_offset=0, batch=20000):
    """Bulk-insert ``count`` cases with plain SQL (executemany on SQLite, COPY on
    PostgreSQL): a bulk load bypasses the case services, and building a model
    instance per row would dominate the time at 10⁶ cases."""
    import datetime

    from django.db import connection, transaction
    from django.utils import timezone

    from portal.cases.models import Case

    categories = categories_by_name()
    topics = list(TOPICS)
    now = timezone.now()
    statuses = [s for s, _ in Case.Status.choices]
    sources = [s for s, _ in Case.Source.choices]
    varying = (
        "number",
        "title",
        "description",
        "category_id",
        "source",
        "grid_id",
        "village_id",
        "place",
        "reported_at",
        "deadline",
        "status",
        "is_public",
        "public_summary",
    )
    constant = {
        "reporter_name": "张某",
        "reporter_phone": "13800000000",
        "resolution": "已处理",
        "created_at": now,
        "updated_at": now,
    }
    fields = {f.attname: f for f in Case._meta.concrete_fields if f.attname != "id"}
    for name, field in fields.items():
        if name not in varying and name not in constant:
            constant[name] = field.get_default()
    postgres = connection.vendor == "postgresql"

    def prep(name, value):
        if postgres or value is None:
            return value
        return fields[name].get_db_prep_save(value, connection)

    fixed = [prep(name, value) for name, value in constant.items()]
    columns = [*varying, *constant]
    table = Case._meta.db_table
    sql = f"INSERT INTO {table} ({', '.join(columns)}) VALUES ({', '.join(['%s'] * len(columns))})"
    adapt = connection.ops.adapt_datetimefield_value
    labels = {}
    rows = []

    def flush(cursor):
        if postgres:
            with cursor.cursor.copy(f"COPY {table} ({', '.join(columns)}) FROM STDIN") as copy:
                for row in rows:
                    copy.write_row(row)
        else:
            cursor.executemany(sql, rows)
        rows.clear()

    with transaction.atomic(), connection.cursor() as cursor:
        for i in range(count):
            topic = topic_of(i) if topic_of else rng.choice(topics)
            category, title, description, summary, place = generate_case_texts(rng, topic)
            grid = grids[i % len(grids)]
            reported = now - datetime.timedelta(minutes=rng.randrange(0, 60 * 24 * 365 * 3))
            deadline = reported + datetime.timedelta(days=15)
            number = f"AJ{reported.year}{number_offset + i + 1:07d}"
            labels[number] = topic
            if not postgres:
                reported, deadline = adapt(reported), adapt(deadline)
            rows.append(
                (
                    number,
                    title,
                    description,
                    categories[category].pk,
                    rng.choice(sources),
                    grid.pk,
                    grid.region_id,
                    place,
                    reported,
                    deadline,
                    rng.choice(statuses),
                    rng.random() < 0.8,
                    summary,
                    *fixed,
                )
            )
            if len(rows) >= batch:
                flush(cursor)
        if rows:
            flush(cursor)
    return labels


# --- quality --------------------------------------------------------------------------


def run_quality(grids, per_topic):
    from portal.cases.models import Case
    from search.backends.embedded import EmbeddedCaseBackend
    from search.params import parse_case_search_params
    from search.service import Audience, search_cases

    rng = random.Random(20240501)
    topics = list(TOPICS)
    total = per_topic * len(topics)
    labels = insert_cases(total, rng, grids, topic_of=lambda i: topics[i % len(topics)])
    EmbeddedCaseBackend().rebuild(workers=1)
    # Quality is judged over every case (staff scope, superuser): public flags
    # are random here and would only thin the lists.
    staff = Audience(public_only=False, region_ids=None)
    relevant_counts = {}
    for topic in labels.values():
        relevant_counts[topic] = relevant_counts.get(topic, 0) + 1

    by_kind = {}
    worst = []
    for kind, query, relevant in QUERIES:
        top = []
        for page in (1, 2, 3, 4, 5):
            params = parse_case_search_params({"q": query, "page": page, "page_size": 20})
            result = search_cases(params, staff)
            top.extend(item["number"] for item in result.results)
            if not result.has_next:
                break
        top = top[:100]
        hits = [labels.get(number) in relevant for number in top]
        n_relevant = sum(relevant_counts.get(t, 0) for t in relevant)
        precision = sum(hits[:10]) / 10
        recall = sum(hits) / min(100, n_relevant) if n_relevant else 0.0
        by_kind.setdefault(kind, []).append((precision, recall))
        worst.append((precision, recall, kind, query))
    Case.objects.all().delete()

    print(f"  质量（{total} 件标注案件，{len(TOPICS)} 个主题，{len(QUERIES)} 条查询）：")
    print(f"    {'查询类型':<8}{'条数':>4}{'P@10':>8}{'R@100':>8}")
    all_p, all_r = [], []
    for kind, values in by_kind.items():
        p = statistics.mean(v[0] for v in values)
        r = statistics.mean(v[1] for v in values)
        all_p += [v[0] for v in values]
        all_r += [v[1] for v in values]
        print(f"    {kind:<8}{len(values):>5}{p:>8.3f}{r:>8.3f}")
    mean_p = statistics.mean(all_p)
    print(f"    {'全部':<8}{len(all_p):>5}{mean_p:>8.3f}{statistics.mean(all_r):>8.3f}")
    verdict = "达标" if mean_p >= 0.95 else "未达标"
    print(f"    平均 P@10 = {mean_p:.3f}（目标 ≥ 0.95，{verdict}）")
    weak = sorted(worst)[:5]
    print(
        "    最弱的查询："
        + "；".join(f"{q}（{k}）P@10={p:.1f} R@100={r:.2f}" for p, r, k, q in weak)
    )


# --- speed ----------------------------------------------------------------------------


def percentile(values, fraction):
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(round(fraction * (len(ordered) - 1))))]


NARROW_FIELDS = ("title", "public_summary")
WIDE_FIELDS = ("title", "public_summary", "description")


def icontains_search(q, page_size=20, fields=WIDE_FIELDS):
    """The page a staff member would get without a full-text index (the baseline):
    every word in ``fields``, with the same count, page and facets.

    Two baselines are timed: title + public summary (the issue's original plain
    scan) and title + public summary + raw report (what the index covers)."""
    import operator
    from functools import reduce

    from django.db.models import Count, Q
    from django.db.models.functions import ExtractYear

    from portal.cases.models import Case

    qs = Case.objects.all()
    for word in q.split():
        qs = qs.filter(
            reduce(
                operator.or_,
                (Q(**{f"{f}__icontains": word}) for f in fields),
            )
        )
    count = qs.count()
    page = list(qs.order_by("-reported_at")[:page_size].values("number", "title", "description"))
    facets = {
        name: list(qs.order_by().values(column).annotate(n=Count("id")))
        for name, column in (
            ("category", "category_id"),
            ("status", "status"),
            ("village", "village_id"),
            ("source", "source"),
        )
    }
    facets["year"] = list(
        qs.order_by().annotate(y=ExtractYear("reported_at")).values("y").annotate(n=Count("id"))
    )
    return count, page, facets


def clause_cache_hit_rate(sample=5000):
    from django.conf import settings

    from portal.cases import search_index
    from search import analysis

    analysis._block_tokens.cache_clear()
    rows = search_index.rows_after(0, sample)
    search_index.documents_for_rows((rows, search_index.source_labels(), settings.TIME_ZONE))
    info = analysis._block_tokens.cache_info()
    return info.hits / max(1, info.hits + info.misses)


def build_dataset(size, workers):
    """Insert ``size`` cases and index them (skipped when the database already holds them)."""
    from django.db import connection

    from search.backends.embedded import EmbeddedCaseBackend

    found = dataset_size()
    if (
        found is None
        and existing_size(
            connection.vendor if connection.vendor == "sqlite" else "postgres",
            connection.settings_dict["NAME"].rsplit("/", 1)[-1].removesuffix(".sqlite3"),
            DEFAULT_PG_URL,
        )
        == size
    ):
        mark_dataset(size)
        found = size
    if found == size:
        print(
            f"  复用已有的 {size} 件案件及其索引（{connection.settings_dict['NAME']}）", flush=True
        )
        return
    grids = make_regions()
    rng = random.Random(7)
    started = time.perf_counter()
    insert_cases(size, rng, grids, number_offset=10_000_000)
    print(f"  写入 {size} 件案件（批量 SQL）：{time.perf_counter() - started:.1f} 秒", flush=True)
    with connection.cursor() as cursor:  # statistics, as autovacuum would gather them
        cursor.execute("ANALYZE")

    children_before = resource.getrusage(resource.RUSAGE_CHILDREN)
    started, cpu_started = time.perf_counter(), time.process_time()
    EmbeddedCaseBackend().rebuild(workers=workers)
    rebuild = time.perf_counter() - started
    rebuild_cpu = time.process_time() - cpu_started
    children = resource.getrusage(resource.RUSAGE_CHILDREN)
    workers_cpu = (children.ru_utime - children_before.ru_utime) + (
        children.ru_stime - children_before.ru_stime
    )
    print(f"  分词缓存命中率（抽样 5000 件）：{clause_cache_hit_rate():.0%}", flush=True)
    target = 60 * size / 200_000
    verdict = "达标" if rebuild <= target else "未达标"
    print(
        f"  重建索引（{workers} 个分词进程）：{rebuild:.1f} 秒（目标 ≤ {target:.0f} 秒，{verdict}）；"
        f"CPU 时间：本进程 {rebuild_cpu:.1f} 秒 + 分词进程 {workers_cpu:.1f} 秒",
        flush=True,
    )
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")
    mark_dataset(size)


def staff_api():
    """A callable running one search through the JSON API as a superuser (staff scope)."""
    from django.contrib.auth import get_user_model
    from rest_framework.test import APIRequestFactory, force_authenticate

    from search.api import CaseSearchAPIView

    user, _ = get_user_model().objects.get_or_create(
        username="bench-search-staff", defaults={"is_superuser": True, "is_staff": True}
    )
    view = CaseSearchAPIView.as_view()
    factory = APIRequestFactory()

    def api(q):
        request = factory.get("/api/cases/search/", {"q": q})
        force_authenticate(request, user=user)
        response = view(request)
        response.render()
        assert response.status_code == 200, response.content[:200]
        return response

    return api


def run_speed(size, queries):
    """p50/p95 of the staff JSON search against the icontains scan, in one run."""
    api = staff_api()
    for q in SPEED_QUERIES:  # warm caches (jieba, synonyms, database pages)
        api(q)
    fts_times, fts_cpu, counts = [], [], []
    for i in range(queries):
        q = SPEED_QUERIES[i % len(SPEED_QUERIES)]
        t0, c0 = time.perf_counter(), time.process_time()
        response = api(q)
        fts_times.append((time.perf_counter() - t0) * 1000)
        fts_cpu.append((time.process_time() - c0) * 1000)
        counts.append(response.data["count"])
    # The scans are slow; one warm-up and one or two timed rounds give a stable p95.
    scans = {}
    for label, fields in (("标题+摘要", NARROW_FIELDS), ("标题+摘要+原始反映", WIDE_FIELDS)):
        icontains_search(SPEED_QUERIES[0], fields=fields)
        times = []
        for q in SPEED_QUERIES * (2 if size <= 200_000 else 1):
            t0 = time.perf_counter()
            icontains_search(q, fields=fields)
            times.append((time.perf_counter() - t0) * 1000)
        scans[label] = times
    p50, p95 = percentile(fts_times, 0.5), percentile(fts_times, 0.95)
    print(
        f"  工作人员 JSON 检索（{queries} 次，1–3 个词，含分面；每次命中 {min(counts)}–{max(counts)} 件）：",
        flush=True,
    )
    print(
        f"    全文索引  p50 {p50:7.1f} ms  p95 {p95:7.1f} ms"
        f"；本进程 CPU p95 {percentile(fts_cpu, 0.95):.1f} ms"
    )
    result = {"cases": size, "p50": p50, "p95": p95}
    for key, (label, times) in zip(("narrow", "wide"), scans.items(), strict=True):
        scan_p95 = percentile(times, 0.95)
        ratio = p95 / scan_p95
        verdict = "达标" if ratio <= 0.25 else "未达标"
        print(
            f"    icontains（{label}）p50 {percentile(times, 0.5):7.1f} ms  p95 {scan_p95:7.1f} ms"
            f"  （同样的计数、分页与分面，{len(times)} 次）"
        )
        print(f"      p95 之比 全文索引 / icontains = {ratio:.2f}（目标 ≤ 0.25，{verdict}）")
        result[f"{key}_p95"], result[f"{key}_ratio"] = scan_p95, ratio
    return result


def run_first_search(queries=40):
    """A fresh process on an existing dataset, started the way a gunicorn worker is
    (gunicorn.conf.py: ``post_fork`` → ``search.analysis.preload``, then
    ``post_worker_init`` → ``search.warmup.warm_up``): the first search against
    the median of the next ones."""
    from search.analysis import preload
    from search.warmup import warm_up

    started = time.perf_counter()
    preload()
    warm_up()
    loaded = time.perf_counter() - started
    api = staff_api()
    t0 = time.perf_counter()
    api("楼道电动车充电")
    first = (time.perf_counter() - t0) * 1000
    times = []
    for i in range(queries):
        q = SPEED_QUERIES[i % len(SPEED_QUERIES)]
        t0 = time.perf_counter()
        api(q)
        times.append((time.perf_counter() - t0) * 1000)
    median = statistics.median(times)
    verdict = "达标" if first <= 2 * median else "未达标"
    print(
        f"  启动后第一次检索：{first:.1f} ms；之后 {queries} 次的中位数 {median:.1f} ms；"
        f"之比 {first / median:.2f}（目标 ≤ 2，{verdict}；启动时预加载与预热 {loaded:.2f} 秒）",
        flush=True,
    )


def child(args):
    load = ", ".join(f"{v:.1f}" for v in os.getloadavg())
    label = "SQLite" if args.db == "sqlite" else "PostgreSQL"
    if args.quality_only:
        print(f"== 质量：{label}（开始时负载 {load}）==", flush=True)
        setup_django(args.db, "bench_search_quality", args.pg_url, fresh=True)
        run_quality(make_regions(), args.per_topic)
        return
    name = f"portal_bench_search_{args.size}"
    print(f"== {label}，{args.size} 件案件（{os.cpu_count()} 核，开始时负载 {load}）==", flush=True)
    if args.first_search:
        os.environ["PORTAL_VAR_DIR"] = str(DATA_DIR / "var")
        setup_django(args.db, name, args.pg_url, fresh=False)
        if dataset_size() != args.size:
            print("  没有现成的数据集，先不带 --first-search 运行一次")
            return
        run_first_search()
        return
    fresh = args.fresh or existing_size(args.db, name, args.pg_url) != args.size
    setup_django(args.db, name, args.pg_url, fresh=fresh)
    build_dataset(args.size, args.workers)
    if args.build_only:
        return
    result = run_speed(args.size, args.queries)
    print(
        "  CURVE {cases} {p50:.1f} {p95:.1f} {narrow_p95:.1f} {narrow_ratio:.3f}"
        " {wide_p95:.1f} {wide_ratio:.3f}".format(**result),
        flush=True,
    )


def existing_size(db, name, pg_url):
    """Cases of a finished dataset in the named database, read without Django (None: none).

    A dataset whose run stopped after indexing (no mark yet) counts when the case
    table and the index hold the same number of rows.
    """
    marked = f"SELECT cases FROM {META_TABLE}"
    counts = "SELECT (SELECT count(*) FROM cases_case), (SELECT count(*) FROM {})".format(
        "portal_search_casefilter" if db == "sqlite" else "portal_search_caseindex"
    )
    try:
        if db == "sqlite":
            import sqlite3

            path = DATA_DIR / f"{name}.sqlite3"
            if not path.exists():
                return None
            connect = sqlite3.connect(path)
        else:
            import psycopg

            connect = psycopg.connect(database_url(db, name, pg_url))
        with connect as conn:
            try:
                row = conn.execute(marked).fetchone()
            except Exception:
                row = None
                if db != "sqlite":
                    conn.rollback()
            if row is None:
                cases, indexed = conn.execute(counts).fetchone()
                row = (cases,) if cases and cases == indexed else None
    except Exception:
        return None
    return row[0] if row else None


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument(
        "--sizes", default="100000,200000,1000000", help="速度测试的案件数（逗号分隔）"
    )
    parser.add_argument("--size", type=int, help=argparse.SUPPRESS)
    parser.add_argument("--db", choices=["sqlite", "postgres", "both"], default="both")
    parser.add_argument("--pg-url", default=os.environ.get("BENCH_SEARCH_PG_URL", DEFAULT_PG_URL))
    parser.add_argument("--workers", type=int, default=min(4, os.cpu_count() or 1))
    parser.add_argument("--queries", type=int, default=200, help="计时的检索次数")
    parser.add_argument("--per-topic", type=int, default=40, help="质量语料中每个主题的案件数")
    parser.add_argument("--skip-quality", action="store_true")
    parser.add_argument("--fresh", action="store_true", help="丢弃 /tmp 下已有的数据集，重新生成")
    parser.add_argument("--build-only", action="store_true", help="只生成并索引数据集，不计时")
    parser.add_argument("--first-search", action="store_true", help=argparse.SUPPRESS)
    parser.add_argument("--quality-only", action="store_true", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.size or args.quality_only:
        child(args)
        return 0
    databases = ("sqlite", "postgres") if args.db == "both" else (args.db,)
    sizes = [int(n) for n in args.sizes.split(",") if n.strip()]
    passthrough = ["--pg-url", args.pg_url, "--workers", str(args.workers)]
    passthrough += ["--queries", str(args.queries), "--per-topic", str(args.per_topic)]
    if args.fresh:
        passthrough.append("--fresh")
    status = 0
    for db in databases:
        base = [sys.executable, __file__, "--db", db, *passthrough]
        if not args.skip_quality:
            status |= subprocess.run([*base, "--quality-only"], cwd=ROOT).returncode
        curve = []
        for size in sizes:
            done = subprocess.run(
                [*base, "--size", str(size)], cwd=ROOT, capture_output=True, text=True
            )
            sys.stdout.write(done.stdout)
            sys.stderr.write(done.stderr[-3000:])
            status |= done.returncode
            curve += [line.split()[1:] for line in done.stdout.splitlines() if "CURVE" in line]
        # The first search after a start, in a fresh process on the middle dataset.
        middle = sizes[len(sizes) // 2] if sizes else None
        if middle:
            status |= subprocess.run(
                [*base, "--size", str(middle), "--first-search"], cwd=ROOT
            ).returncode
        label = "SQLite" if db == "sqlite" else "PostgreSQL"
        print(f"\n== {label} 曲线（工作人员 JSON 检索，毫秒）==")
        print("  icontains 基线：窄 = 标题+摘要（议题原基线），宽 = 标题+摘要+原始反映")
        print(
            f"  {'案件数':>9} {'p50':>8} {'p95':>8} {'窄 p95':>10} {'之比':>6}"
            f" {'宽 p95':>10} {'之比':>6}"
        )
        for cases, p50, p95, narrow, n_ratio, wide, w_ratio in curve:
            verdict = "达标" if float(n_ratio) <= 0.25 and float(w_ratio) <= 0.25 else "未达标"
            print(
                f"  {int(cases):>12,} {p50:>8} {p95:>8} {narrow:>12} {n_ratio:>7}"
                f" {wide:>12} {w_ratio:>7} {verdict}"
            )
        sys.stdout.flush()
    return status


if __name__ == "__main__":
    sys.exit(main())
