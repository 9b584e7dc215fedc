"""Demo village-affairs disclosures for 青石街道. Called at the end of ``demo.pages.load``.

Builds the town's disclosure index at /disclosures/ with one index per village,
the review workflows and committee groups, a catalog of eight items, and some
forty disclosures across kinds and periods. Every disclosure goes through the
village's real Wagtail workflow: a demo editor submits it and a member of that
village's supervision committee approves it, so "审核人" is a real record.

Dates are relative to the day the demo is loaded, so the compliance table always
shows every state: most periods on time, a few late (published after the due
date), two missing (never published), and the current period pending.

Idempotent: indexes, catalog items and users are matched by slug/name/username,
and a disclosure whose slug already exists under its village is left alone.
Demo users get unusable passwords (an admin may set one; nothing is printed).
"""

import datetime
import hashlib
import random
from dataclasses import dataclass, field
from decimal import Decimal

from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.utils import timezone
from wagtail.models import Revision, TaskState, WorkflowState
from wagtail.rich_text import RichText

from demo import regions as demo_regions
from portal import setup
from portal.groups import EDITOR, SUPERVISION_COMMITTEE, ensure_groups
from portal.pages.disclosures import compliance
from portal.pages.models import (
    DisclosureCatalogItem,
    DisclosurePage,
    FinanceLineItem,
    HomePage,
)
from portal.pages.permissions import (
    committee_group_for,
    ensure_disclosure_workflows,
    ensure_page_permissions,
)
from portal.snippets.models import StaffRegion

VILLAGE_SLUGS = {
    "东湖社区": "donghu",
    "西岭村": "xiling",
    "南坪村": "nanping",
    "北塘社区": "beitang",
}
COMMUNITIES = {"东湖社区", "北塘社区"}  # many transactions: finance published monthly
RURAL = {"西岭村", "南坪村"}

# username, family name, given name, village (None: town editor)
EDITOR_USER = ("demo_editor", "李", "晓梅")
COMMITTEE_USERS = {
    "东湖社区": ("demo_jw_donghu", "陈", "立新"),
    "西岭村": ("demo_jw_xiling", "王", "秀兰"),
    "南坪村": ("demo_jw_nanping", "赵", "国强"),
    "北塘社区": ("demo_jw_beitang", "周", "敏"),
}


@dataclass(frozen=True)
class CatalogSpec:
    code: str
    name: str
    kind: str
    frequency: str
    due_day: int
    villages: frozenset = frozenset()  # empty: all villages
    description: str = ""


CATALOG = [
    CatalogSpec(
        "caiwu-yue",
        "财务收支情况（月度）",
        "finance",
        "month",
        10,
        frozenset(COMMUNITIES),
        "集体财务往来较多的社区，每月10日前公布上月财务收支明细。",
    ),
    CatalogSpec(
        "caiwu-ji",
        "财务收支情况（季度）",
        "finance",
        "quarter",
        20,
        frozenset(RURAL),
        "每季度首月20日前公布上季度财务收支明细。",
    ),
    CatalogSpec(
        "cunmin-huiyi",
        "村民会议决定事项及执行情况",
        "village",
        "quarter",
        20,
        description="村民会议、村民代表会议讨论决定的事项及其实施情况。",
    ),
    CatalogSpec(
        "zhaijidi",
        "宅基地审批情况",
        "village",
        "quarter",
        20,
        frozenset(RURAL),
        "宅基地申请、审核、批准情况（申请人姓名按规定隐去部分字）。",
    ),
    CatalogSpec(
        "dibao",
        "最低生活保障对象情况",
        "village",
        "quarter",
        20,
        description="低保户数、人数、保障金发放及动态调整情况（不公开身份证号码等个人信息）。",
    ),
    CatalogSpec(
        "dangwu",
        "党组织工作情况",
        "party",
        "quarter",
        20,
        description="“三会一课”、党员发展、党费收缴等党务公开事项。",
    ),
    CatalogSpec(
        "jiti-zichan",
        "集体资产和债权债务情况",
        "finance",
        "year",
        20,
        description="每年1月20日前公布上年度集体资产、资源和债权债务情况。",
    ),
    CatalogSpec(
        "zhongda-shixiang",
        "重大事项（即时公开）",
        "village",
        "immediate",
        7,
        description="涉及村民利益的重大事项，在事项发生之日起7日内公开。",
    ),
]

# (village, catalog code, how many periods back: 2 = the period before last) → what happens
LATE = {("西岭村", "cunmin-huiyi", 2), ("北塘社区", "dibao", 2), ("北塘社区", "caiwu-yue", 3)}
MISSING = {("南坪村", "zhaijidi", 2), ("北塘社区", "caiwu-yue", 2)}

IMMEDIATE_MATTERS = [
    # village, days before today of the matter, days taken to publish, title, paragraphs
    (
        "东湖社区",
        40,
        3,
        "东湖社区老旧小区改造项目施工单位确定结果公开",
        [
            "经社区居民代表会议讨论同意，东湖社区3号至7号楼老旧小区改造项目（含外墙保温、"
            "雨污分流、加装电梯井道）委托街道公共资源交易平台公开招标。",
            "中标单位：清河县建安工程有限公司；中标价：¥1,286,400.00；工期：150日历天。"
            "施工期间请居民注意出行安全，对施工有意见建议的，可向社区居务监督委员会反映。",
        ],
    ),
    (
        "西岭村",
        55,
        12,
        "西岭村村道硬化工程设计变更情况公开",
        [
            "因原设计线路经过基本农田，经村民代表会议讨论，西岭村二组至四组村道硬化工程线路"
            "向东调整约80米，工程总长由1.2公里调整为1.26公里，增加投资约¥36,000.00，"
            "由一事一议财政奖补资金解决。",
            "本次变更已报街道农业农村办公室备案。",
        ],
    ),
    (
        "南坪村",
        18,
        2,
        "南坪村集体鱼塘承包经营权公开发包结果",
        [
            "经村民会议同意，南坪村集体鱼塘（约26亩）承包经营权于本月通过街道农村产权交易平台"
            "公开竞价发包，承包期5年，年承包费¥31,200.00，较上一轮提高18%。",
            "承包费按年缴入村集体账户，纳入财务公开。",
        ],
    ),
]


def _rng(*parts):
    """A random generator seeded by the disclosure's identity, so reruns give the same numbers."""
    digest = hashlib.sha256("|".join(map(str, parts)).encode("utf-8")).hexdigest()
    return random.Random(int(digest[:16], 16))


def _money(rng, low, high):
    return Decimal(rng.randrange(low * 100, high * 100)) / 100


def _body(paragraphs):
    return [("paragraph", RichText(f"<p>{text}</p>")) for text in paragraphs]


def _at(day, hour=9):
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time(hour, 0)))


# --- set-up: indexes, users, catalog ---------------------------------------------------


def ensure_index(parent, region, slug, title, intro):
    return setup.ensure_disclosure_index(parent, region, slug, title, intro)


def ensure_user(username, family_name, given_name, groups, region):
    User = get_user_model()
    user, created = User.objects.get_or_create(
        username=username,
        defaults={"last_name": family_name, "first_name": given_name, "is_active": True},
    )
    if created:
        user.set_unusable_password()
        user.save()
    user.groups.add(*groups)
    StaffRegion.objects.get_or_create(user=user, region=region)
    return user


def ensure_catalog(villages_by_name, active_from):
    items = {}
    for order, spec in enumerate(CATALOG):
        item, created = DisclosureCatalogItem.objects.get_or_create(
            name=spec.name,
            defaults={
                "kind": spec.kind,
                "frequency": spec.frequency,
                "due_day": spec.due_day,
                "active_from": active_from[spec.frequency],
                "description": spec.description,
                "sort_order": order * 10,
            },
        )
        if created and spec.villages:
            item.applies_to.set([villages_by_name[name] for name in sorted(spec.villages)])
        items[spec.code] = item
    return items


def active_from_dates(today):
    """Start dates that leave two finished quarters, four finished months and last year."""
    quarter = compliance.period_containing("quarter", today)
    month = compliance.period_containing("month", today)
    for _ in range(2):
        quarter = quarter.preceding()
    for _ in range(4):
        month = month.preceding()
    return {
        "month": month.start,
        "quarter": quarter.start,
        "year": datetime.date(today.year - 1, 1, 1),
        "immediate": quarter.start,
    }


# --- what each disclosure says -----------------------------------------------------------


@dataclass
class Draft:
    slug: str
    title: str
    kind: str
    period: compliance.Period
    item: DisclosureCatalogItem
    published_on: datetime.date
    summary: str
    paragraphs: list
    opening_balance: Decimal | None = None
    lines: list = field(default_factory=list)  # (direction, item, amount, note)


def finance_lines(rng, village, monthly):
    scale = 1 if monthly else 3
    income = [
        ("income", "上级转移支付（村级组织运转经费）", _money(rng, 8000, 12000) * scale, ""),
        ("income", "集体资产租赁收入", _money(rng, 3000, 9000) * scale, "门面房、厂房租金"),
    ]
    if village in RURAL:
        income.append(("income", "土地承包费", _money(rng, 5000, 15000) * scale, ""))
    else:
        income.append(("income", "社区服务设施使用费", _money(rng, 500, 2000) * scale, ""))
    expense = [
        ("expense", "村（社区）干部报酬", _money(rng, 9000, 13000) * scale, "按县定标准发放"),
        ("expense", "办公费及水电费", _money(rng, 800, 2500) * scale, ""),
        ("expense", "环境卫生保洁费", _money(rng, 1500, 4000) * scale, "保洁员工资及垃圾清运"),
    ]
    if rng.random() < 0.6:
        expense.append(("expense", "道路及公共设施维修", _money(rng, 2000, 8000) * scale, ""))
    return income + expense


def draft_for(village, code, item, period, published_on):
    rng = _rng(village.name, code, period)
    label = period.label
    slug = f"{code}-{period.short_label.lower().replace('.', '-')}"
    name = village.name
    if code in ("caiwu-yue", "caiwu-ji"):
        lines = finance_lines(rng, name, monthly=code == "caiwu-yue")
        return Draft(
            slug,
            f"{name}{label}财务收支公开",
            "finance",
            period,
            item,
            published_on,
            f"{name}{label}集体财务收入、支出明细，经村务监督委员会审核。",
            [
                f"根据村务公开有关规定，现将{name}{label}集体财务收支情况公布如下。"
                "各项收支均有合法票据，已经村务监督委员会逐笔审核。",
                "对公开内容有疑问的，请在公布之日起10日内向村务监督委员会提出。",
            ],
            _money(rng, 20000, 90000),
            lines,
        )
    if code == "jiti-zichan":
        return Draft(
            slug,
            f"{name}{period.year}年度集体资产和债权债务公开",
            "finance",
            period,
            item,
            published_on,
            f"{name}{period.year}年末集体资产、资源和债权债务情况及全年收支。",
            [
                f"截至{period.year}年12月31日，{name}集体资产总额"
                f"¥{_money(rng, 800000, 3000000):,.2f}，其中经营性资产"
                f"¥{_money(rng, 300000, 900000):,.2f}；集体土地及“四荒”资源已全部登记造册。",
                f"债权¥{_money(rng, 10000, 80000):,.2f}（主要为未到期租金），"
                f"债务¥{_money(rng, 0, 50000):,.2f}，无新增负债。",
            ],
            _money(rng, 50000, 150000),
            [
                ("income", "全年经营收入", _money(rng, 60000, 150000), ""),
                ("income", "全年补助收入", _money(rng, 80000, 160000), ""),
                ("expense", "全年管理费用", _money(rng, 60000, 120000), ""),
                ("expense", "全年公益事业支出", _money(rng, 30000, 90000), ""),
            ],
        )
    if code == "cunmin-huiyi":
        meetings = rng.randint(1, 3)
        return Draft(
            slug,
            f"{name}{label}村民会议决定事项及执行情况",
            "village",
            period,
            item,
            published_on,
            f"{label}召开村民（代表）会议{meetings}次，决定事项及执行进度。",
            [
                f"{label}，{name}共召开村民代表会议{meetings}次，应到代表"
                f"{rng.randint(28, 40)}人，实到均超过三分之二。",
                "会议决定事项：一、通过村内道路亮化工程实施方案，安装太阳能路灯"
                f"{rng.randint(20, 60)}盏；二、修订村规民约第十二条（红白事从简）；"
                "三、同意将闲置村小学校舍改建为老年活动中心。",
                "执行情况：路灯已安装完成并通过验收；村规民约修订稿已张贴公示；"
                "老年活动中心改建方案已报街道审核。",
            ],
        )
    if code == "zhaijidi":
        households = rng.randint(1, 4)
        family = "张王李刘陈杨"
        entries = "；".join(
            f"{family[rng.randrange(len(family))]}某某户（第{rng.randint(1, 6)}村民小组），"
            f"批准面积{rng.randint(120, 160)}平方米"
            for _ in range(households)
        )
        return Draft(
            slug,
            f"{name}{label}宅基地审批情况公示",
            "village",
            period,
            item,
            published_on,
            f"{label}受理宅基地申请{households + 1}户，批准{households}户。",
            [
                f"{label}，{name}共受理农村宅基地申请{households + 1}户，经村民小组会议讨论、"
                f"村“两委”审查、街道审批，批准{households}户，1户因不符合“一户一宅”规定未予批准。",
                f"批准情况：{entries}。",
                "对审批结果有异议的，可在公示期内向村务监督委员会或街道农业农村办公室反映。",
            ],
        )
    if code == "dibao":
        households = rng.randint(12, 30)
        return Draft(
            slug,
            f"{name}{label}最低生活保障对象情况公开",
            "village",
            period,
            item,
            published_on,
            f"{label}在保{households}户，保障金按月足额发放。",
            [
                f"截至{period.end.month}月底，{name}共有城乡低保对象{households}户"
                f"{households * 2 - rng.randint(0, 5)}人，本季度新增{rng.randint(0, 2)}户、"
                f"退出{rng.randint(0, 2)}户，保障金¥{_money(rng, 30000, 60000):,.2f}"
                "已通过“一卡通”足额发放。",
                "低保对象名单（姓名、保障人数、保障金额）在村务公开栏张贴公示；"
                "不公开身份证号码、家庭住址等个人信息。对名单有异议的，可实名向街道民政办反映。",
            ],
        )
    if code == "dangwu":
        return Draft(
            slug,
            f"{name}党支部{label}党务公开",
            "party",
            period,
            item,
            published_on,
            f"{label}“三会一课”、党员发展和党费收缴情况。",
            [
                f"{label}，{name}党支部召开支部党员大会{rng.randint(1, 2)}次、支委会"
                f"{rng.randint(3, 4)}次，讲党课1次，开展主题党日活动{rng.randint(2, 3)}次。",
                f"党员发展：确定入党积极分子{rng.randint(0, 2)}名。党费收缴：应缴"
                f"¥{_money(rng, 800, 1600):,.2f}，实缴同额，已全额上缴街道党工委。",
            ],
        )
    raise ValueError(code)


def plan(villages, items, today):
    """Every disclosure the demo publishes, with its publication date."""
    drafts = []
    for village in villages:
        for spec in CATALOG:
            item = items[spec.code]
            if spec.villages and village.name not in spec.villages:
                continue
            if spec.frequency == "immediate":
                continue
            periods = compliance.periods_between(spec.frequency, item.active_from, today)
            finished = [p for p in periods if p.end < today]
            for back, period in enumerate(reversed(finished), start=1):
                key = (village.name, spec.code, back)
                if key in MISSING:
                    continue
                due = compliance.due_date(period, item.due_day)
                late_on = due + datetime.timedelta(days=6 + back)
                if key in LATE and late_on <= today:
                    published_on = late_on
                else:
                    offset = _rng(village.name, spec.code, period).randint(2, 8)
                    published_on = min(period.end + datetime.timedelta(days=offset), due, today)
                drafts.append((village, draft_for(village, spec.code, item, period, published_on)))
    by_name = {v.name: v for v in villages}
    item = items["zhongda-shixiang"]
    for name, days_ago, days_taken, title, paragraphs in IMMEDIATE_MATTERS:
        if name not in by_name:
            continue
        matter = today - datetime.timedelta(days=days_ago)
        period = compliance.Period(matter.year, 0, "immediate", matter)
        drafts.append(
            (
                by_name[name],
                Draft(
                    f"zhongda-{matter:%Y%m%d}",
                    title,
                    "village",
                    period,
                    item,
                    min(matter + datetime.timedelta(days=days_taken), today),
                    paragraphs[0][:60] + "……",
                    paragraphs,
                ),
            )
        )
    return drafts


# --- publishing through the workflow ---------------------------------------------------------


def publish_through_workflow(index, draft, editor, approver):
    """Create ``draft`` as the editor, submit it, and have the committee member approve it."""
    period = draft.period
    page = DisclosurePage(
        title=draft.title,
        slug=draft.slug,
        kind=draft.kind,
        period_type=period.kind,
        year=period.year,
        period_number=period.period_number,
        matter_date=period.matter_date,
        catalog_item=draft.item,
        summary=draft.summary,
        body=_body(draft.paragraphs),
        opening_balance=draft.opening_balance,
        live=False,
        owner=editor,
        first_published_at=_at(draft.published_on),
    )
    page.finance_items = [
        FinanceLineItem(direction=d, item=i, amount=a, note=n) for d, i, a, n in draft.lines
    ]
    index.add_child(instance=page)
    revision = page.save_revision(user=editor, log_action=False)
    workflow_state = page.get_workflow().start(page, editor)
    task_state = workflow_state.current_task_state
    task_state.task.specific.on_action(
        task_state, approver, "approve", comment="经村务监督委员会审核，内容属实，同意公开。"
    )
    # Back-date the records so the demo history reads like real village practice.
    submitted = _at(draft.published_on - datetime.timedelta(days=1), hour=15)
    approved = _at(draft.published_on, hour=8)
    Revision.objects.filter(pk=revision.pk).update(created_at=submitted)
    WorkflowState.objects.filter(pk=workflow_state.pk).update(created_at=submitted)
    TaskState.objects.filter(pk=task_state.pk).update(started_at=submitted, finished_at=approved)
    DisclosurePage.objects.filter(pk=page.pk).update(
        first_published_at=_at(draft.published_on),
        last_published_at=_at(draft.published_on),
        latest_revision_created_at=submitted,
    )
    return page


def load(stdout):
    home = HomePage.objects.first()
    if home is None:
        stdout.write("村务公开：未找到首页，跳过")
        return
    ensure_groups()
    today = timezone.localdate()
    town = demo_regions.demo_town()
    villages = demo_regions.demo_villages()

    town_index = ensure_index(
        home,
        town,
        "disclosures",
        "村务公开",
        f"{town.name}及所辖村（社区）的党务、村务、财务公开。选择村（社区）后可按类别、年度和季度查看。",
    )
    indexes = {
        village.id: ensure_index(
            town_index,
            village,
            VILLAGE_SLUGS.get(village.name, f"village-{village.id}"),
            f"{village.name}村务公开栏",
            f"{village.name}党务公开、村务公开、财务公开，经{village.name}村务监督委员会审核后发布。",
        )
        for village in villages
    }
    ensure_page_permissions(home)
    ensure_disclosure_workflows()

    editor = ensure_user(*EDITOR_USER, [Group.objects.get(name=EDITOR)], town)
    committee = Group.objects.get(name=SUPERVISION_COMMITTEE)
    approvers = {}
    for village in villages:
        username, family, given = COMMITTEE_USERS.get(
            village.name, (f"demo_jw_{village.id}", "刘", "洋")
        )
        approvers[village.id] = ensure_user(
            username, family, given, [committee, committee_group_for(village)], village
        )

    villages_by_name = {v.name: v for v in villages}
    items = ensure_catalog(villages_by_name, active_from_dates(today))

    created = 0
    for village, draft in plan(villages, items, today):
        index = indexes[village.id]
        if DisclosurePage.objects.child_of(index).filter(slug=draft.slug).exists():
            continue
        publish_through_workflow(index, draft, editor, approvers[village.id])
        created += 1
    total = DisclosurePage.objects.live().count()
    stdout.write(
        f"村务公开：{len(indexes)} 个村（社区）栏目，公开目录 {len(items)} 项，"
        f"新增公开内容 {created} 条（共 {total} 条），审核流程已配置"
    )
