"""Demo site tree, notices and policies. Called by ``load_demo_data``; idempotent.

Builds: the town's HomePage as the default site's root (replacing Wagtail's
"Welcome" page), the notice board at /notices/ and the policy library at
/policies/, filled from ``demo.page_content``. Pages that already exist (matched by
slug under their parent) are left alone, so editors' changes survive a re-run.
Then ``demo.disclosures`` adds the village disclosure sections.
"""

import datetime

from django.core.files.base import ContentFile
from django.utils import timezone
from wagtail.documents import get_document_model
from wagtail.rich_text import RichText

from demo import disclosures
from demo import page_content as demo_content
from portal import setup
from portal.groups import ensure_groups
from portal.pages.models import (
    NoticeAttachment,
    NoticeIndexPage,
    NoticePage,
    PolicyIndexPage,
    PolicyPage,
)
from portal.security.spreadsheets import csv_bytes

SITE_NAME = "青石街道基层治理门户"
HOME_INTRO = (
    "青石街道及所辖东湖社区、西岭村、南坪村、北塘社区的通知公告、村务公开和政策文件。"
    "（本站当前内容为演示数据。）"
)


def _body(paragraphs):
    return [("paragraph", RichText(f"<p>{text}</p>")) for text in paragraphs]


def _as_datetime(day):
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time(9, 0)))


def ensure_home(stdout):
    """The demo town's HomePage as the default site's root (``portal.setup.ensure_home``)."""
    home, created = setup.ensure_home(SITE_NAME, HOME_INTRO, slug="qingshi")
    if created:
        stdout.write(f"首页：已创建“{home.title}”")
    return home


ensure_section = setup.ensure_section
ensure_quick_links = setup.ensure_quick_links
_publish = setup.publish


def _document(key):
    spec = demo_content.ATTACHMENTS[key]
    Document = get_document_model()
    document = Document.objects.filter(title=spec["title"]).first()
    if document is None:
        document = Document(title=spec["title"])
        content = spec["content"]
        data = csv_bytes(content) if spec["filename"].endswith(".csv") else content.encode()
        document.file.save(spec["filename"], ContentFile(data))
        document.save()
    return document


def load_notices(index, today):
    created = 0
    for spec in demo_content.NOTICES:
        if NoticePage.objects.child_of(index).filter(slug=spec["slug"]).exists():
            continue
        day = today - datetime.timedelta(days=spec["days_ago"])
        notice = NoticePage(
            title=spec["title"],
            slug=spec["slug"],
            date=day,
            category=spec["category"],
            issuing_unit=spec["unit"],
            urgent=spec.get("urgent", False),
            pinned=spec.get("pinned", False),
            summary=spec["summary"],
            body=_body(spec["paragraphs"]),
            first_published_at=_as_datetime(day),
        )
        if "pinned_for" in spec:
            notice.pinned_until = day + datetime.timedelta(days=spec["pinned_for"])
        if "valid_for" in spec:
            notice.valid_from = day
            notice.valid_until = day + datetime.timedelta(days=spec["valid_for"])
        if "attachment" in spec:
            notice.attachments = [NoticeAttachment(document=_document(spec["attachment"]))]
        _publish(index, notice)
        created += 1
    return created


def load_policies(index):
    by_key = {}
    created = 0
    for spec in demo_content.POLICIES:
        policy = PolicyPage.objects.child_of(index).filter(slug=spec["key"]).first()
        if policy is None:
            issue_date = datetime.date.fromisoformat(spec["issue_date"])
            policy = PolicyPage(
                title=spec["title"],
                slug=spec["key"],
                level=spec["level"],
                issuer=spec["issuer"],
                document_number=spec["document_number"],
                issue_date=issue_date,
                summary=f"<p>{spec['summary']}</p>",
                body=_body(spec["paragraphs"]),
                first_published_at=_as_datetime(issue_date),
            )
            for name in ("effective_date", "repealed_on"):
                if spec.get(name):
                    setattr(policy, name, datetime.date.fromisoformat(spec[name]))
            policy.topics.add(*spec["topics"])
            _publish(index, policy)
            created += 1
        by_key[spec["key"]] = policy
    # Links second: a policy may point to one defined after it.
    for spec in demo_content.POLICIES:
        policy = by_key[spec["key"]]
        changed = False
        for field in ("superseded_by", "interprets"):
            target = by_key.get(spec.get(field))
            if target is not None and getattr(policy, f"{field}_id") != target.pk:
                setattr(policy, field, target)
                changed = True
        if changed:
            policy.save_revision(log_action=False).publish(log_action=False)
    return created


def load(stdout):
    ensure_groups()
    today = timezone.localdate()
    home = ensure_home(stdout)
    notices = ensure_section(
        home,
        NoticeIndexPage,
        "notices",
        "通知公告",
        "街道和各村（社区）发布的通知、公告、公示、紧急通知、红黑榜和表彰。",
    )
    policies = ensure_section(
        home,
        PolicyIndexPage,
        "policies",
        "政策文件",
        "国家、省、市、县和街道的政策文件及其解读，可按层级、主题、效力状态和年份查找。",
    )
    ensure_quick_links(home, notices, policies)
    n_notices = load_notices(notices, today)
    n_policies = load_policies(policies)
    stdout.write(f"通知公告：新增{n_notices}条；政策文件：新增{n_policies}件")

    disclosures.load(stdout)
