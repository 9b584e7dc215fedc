"""Rules of villagers' questions about a disclosure (村民询问): one door for every caller.

* **The clock.** The committee answers within 10 days (``ANSWER_DAYS``), counted
  in calendar days of Asia/Shanghai: a question asked at any time on day D is
  due by the end of D+10 and overdue from D+11 while unanswered. An answer given
  late ends the overdue state (it is then "answered late").
* **Who.** The village's supervision committee (the groups of the village's
  disclosure review task, exactly who approves its disclosures) and its village
  committee (村社区工作人员 whose regions include the village) see and answer the
  village's questions; town and county admins of the village see them read-only.
* **Asking.** ``ask`` validates, refuses duplicates and personal numbers in the
  text, and stores; the public form adds the honeypot and rate limits
  (``question_views``). The asker's name and phone never leave the
  admin: the public list shows ``anonymise(name)``.
"""

import datetime
import hashlib
import re
import unicodedata
from zoneinfo import ZoneInfo

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Q
from django.utils import timezone

from portal.groups import COUNTY_ADMIN, TOWN_ADMIN, VILLAGE_STAFF
from portal.pages.disclosures.question_models import (
    ANSWER_MAX,
    BODY_MAX,
    NAME_MAX,
    DisclosureQuestion,
)

ANSWER_DAYS = 10
CLOCK_ZONE = ZoneInfo("Asia/Shanghai")
BODY_MIN = 5
DUPLICATE_DAYS = 30
CONTROL_RE = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")
PHONE_RE = re.compile(r"^(?:1[3-9]\d{9}|0\d{2,3}-?\d{7,8})$")


# --- the clock ---------------------------------------------------------------------------------


def local_date(moment):
    """The Asia/Shanghai calendar day of an aware datetime."""
    return moment.astimezone(CLOCK_ZONE).date()


def today_local(now=None):
    return local_date(now or timezone.now())


def answer_due_date(asked_at):
    """The last day on which an answer is on time."""
    return local_date(asked_at) + datetime.timedelta(days=ANSWER_DAYS)


def is_overdue(question, today=None):
    today = today or today_local()
    return question.answered_at is None and today > answer_due_date(question.asked_at)


def answered_late(question):
    return question.answered_at is not None and local_date(question.answered_at) > answer_due_date(
        question.asked_at
    )


def days_left(question, today=None):
    """Days until the due date (0 on the due day, negative when overdue)."""
    today = today or today_local()
    return (answer_due_date(question.asked_at) - today).days


def _midnight(day):
    return datetime.datetime.combine(day, datetime.time(0, 0), tzinfo=CLOCK_ZONE)


def overdue_q(today=None):
    """``Q`` of unanswered questions past their due date on ``today`` (asked before D-10)."""
    today = today or today_local()
    limit = _midnight(today - datetime.timedelta(days=ANSWER_DAYS))
    return Q(answered_at__isnull=True, asked_at__lt=limit)


def waiting_q():
    return Q(answered_at__isnull=True)


def status_label(question, today=None):
    if question.answered_at is not None:
        return "逾期答复" if answered_late(question) else "已答复"
    left = days_left(question, today)
    if left < 0:
        return f"已逾期 {-left} 天"
    if left == 0:
        return "今日到期"
    return f"待答复（剩 {left} 天）"


def overdue_counts_by_region(region_ids=None, today=None):
    """{region id: number of overdue questions} (one grouped query)."""
    from django.db.models import Count

    qs = DisclosureQuestion.objects.filter(overdue_q(today))
    if region_ids is not None:
        qs = qs.filter(region_id__in=region_ids)
    rows = qs.values("region_id").annotate(n=Count("id"))
    return {row["region_id"]: row["n"] for row in rows}


# --- privacy of the public list ----------------------------------------------------------------


def anonymise(name):
    """``张三`` → ``张**``; no usable name → ``村民``."""
    name = (name or "").strip()
    if not name:
        return "村民"
    return name[0] + "**"


def public_answers(page):
    """The answered questions of ``page`` as the public sees them (no name, no phone)."""
    rows = (
        DisclosureQuestion.objects.filter(page=page, answered_at__isnull=False, shown_publicly=True)
        .order_by("asked_at", "id")
        .only("asker_name", "body", "public_body", "asked_at", "answer", "answered_at")
    )
    return [
        {
            "asker": anonymise(q.asker_name),
            "question": q.public_body or q.body,
            "asked_on": local_date(q.asked_at),
            "answer": q.answer,
            "answered_on": local_date(q.answered_at),
        }
        for q in rows
    ]


# --- who -------------------------------------------------------------------------------------


def committee_region_ids(user):
    """Villages whose disclosure review task names one of ``user``'s groups."""
    from wagtail.models import GroupApprovalTask, WorkflowPage

    from portal.pages.models import DisclosureIndexPage

    tasks = GroupApprovalTask.objects.filter(groups__user=user).values("pk")
    pages = WorkflowPage.objects.filter(workflow__workflow_tasks__task__in=tasks).values("page_id")
    return set(
        DisclosureIndexPage.objects.filter(pk__in=pages)
        .exclude(region_id=None)
        .values_list("region_id", flat=True)
    )


def _scoped_ids(user, group_names):
    from portal.snippets.scope import ALL, region_ids_in_scope

    if not user.groups.filter(name__in=group_names).exists():
        return set()
    scope = region_ids_in_scope(user)
    return ALL if scope is ALL else set(scope)


def answerable_region_ids(user):
    """Region ids whose questions ``user`` may answer, or ``None`` for all (superuser)."""
    if user is None or not user.is_authenticated or not user.is_active:
        return set()
    if user.is_superuser:
        return None
    cached = getattr(user, "_portal_question_answer_ids", None)
    if cached is None:
        cached = committee_region_ids(user) | (_scoped_ids(user, [VILLAGE_STAFF]) or set())
        user._portal_question_answer_ids = cached
    return cached


def viewable_region_ids(user):
    """Region ids whose questions ``user`` may read in the admin, or ``None`` for all."""
    answerable = answerable_region_ids(user)
    if answerable is None:
        return None
    oversight = _scoped_ids(user, [TOWN_ADMIN, COUNTY_ADMIN])
    if oversight is None:
        return None
    return answerable | oversight


def visible_questions(user):
    ids = viewable_region_ids(user)
    qs = DisclosureQuestion.objects.select_related("page", "region", "answered_by")
    return qs if ids is None else qs.filter(region_id__in=ids)


def can_answer(user, question):
    ids = answerable_region_ids(user)
    return ids is None or question.region_id in ids


def recipients_for_region(region_id):
    """Active users with an email who answer ``region_id``'s questions (the new-question email)."""
    from django.contrib.auth import get_user_model
    from django.contrib.auth.models import Group
    from wagtail.models import GroupApprovalTask, WorkflowPage

    from portal.pages.models import DisclosureIndexPage

    User = get_user_model()
    index_ids = DisclosureIndexPage.objects.filter(region_id=region_id).values("pk")
    workflows = WorkflowPage.objects.filter(page_id__in=index_ids).values("workflow_id")
    tasks = GroupApprovalTask.objects.filter(workflow_tasks__workflow_id__in=workflows)
    committee = Q(groups__in=Group.objects.filter(groupapprovaltask__in=tasks))
    staff = Q(
        groups__name=VILLAGE_STAFF, staff_regions__region_id__in=_region_and_ancestors(region_id)
    )
    users = User.objects.filter(committee | staff).filter(is_active=True).exclude(email="")
    return list(users.distinct().order_by("pk"))


def _region_and_ancestors(region_id):
    from portal.snippets.models import Region

    ids = []
    current = region_id
    while current is not None and current not in ids:
        ids.append(current)
        current = Region.objects.filter(pk=current).values_list("parent_id", flat=True).first()
    return ids


# --- asking and answering ------------------------------------------------------------------


def normalise(text):
    text = unicodedata.normalize("NFKC", text or "")
    return re.sub(r"\s+", " ", text).strip()


def fingerprint(page_id, phone, body):
    key = f"{page_id}\x00{normalise(phone)}\x00{normalise(body).lower()}"
    return hashlib.sha256(key.encode()).hexdigest()


def question_problems(name, phone, body):
    """{field: Chinese message} for what is wrong with a question (empty when fine)."""
    from portal.pages.disclosures.leaks import KIND_LABELS, numbers_in_text

    problems = {}
    name, phone, body = normalise(name), normalise(phone).replace(" ", ""), (body or "").strip()
    for field, label, value in (
        ("name", "姓名", name),
        ("phone", "联系电话", phone),
        ("body", "询问内容", body),
    ):
        if CONTROL_RE.search(value):
            problems[field] = f"{label}中有无法识别的字符，请删除后重新填写"
    if problems:
        return problems
    if not name:
        problems["name"] = "请填写您的姓名（仅村委会可见，不会公开）"
    elif len(name) > NAME_MAX:
        problems["name"] = f"姓名最多 {NAME_MAX} 个字"
    if not phone:
        problems["phone"] = "请填写联系电话，便于村委会答复（仅村委会可见，不会公开）"
    elif not PHONE_RE.match(phone):
        problems["phone"] = "联系电话格式不正确：请填写11位手机号码或带区号的固定电话"
    if len(body) < BODY_MIN:
        problems["body"] = f"请写明您的问题（至少 {BODY_MIN} 个字）"
    elif len(body) > BODY_MAX:
        problems["body"] = f"询问内容最多 {BODY_MAX} 个字，当前 {len(body)} 个字"
    else:
        kinds = {kind for kind, _, _ in numbers_in_text(body)}
        if kinds:
            labels = "、".join(KIND_LABELS[k] for k in sorted(kinds))
            problems["body"] = (
                f"询问内容中含有{labels}；为保护隐私请删除，联系电话请填写在“联系电话”一栏"
            )
    return problems


def is_duplicate(page, phone, body, now=None):
    now = now or timezone.now()
    since = now - datetime.timedelta(days=DUPLICATE_DAYS)
    return DisclosureQuestion.objects.filter(
        page=page, fingerprint=fingerprint(page.pk, phone, body), asked_at__gte=since
    ).exists()


DUPLICATE_MESSAGE = "您已就这份公开内容提交过相同的询问，村委会将在10日内答复，请勿重复提交。"


def ask(page, *, name, phone, body, now=None):
    """Store a villager's question about the live disclosure ``page``; raise ValidationError.

    The committee is told by email when the transaction commits.
    """
    now = now or timezone.now()
    if not page.live or page.region_id is None:
        raise ValidationError("这份公开内容目前不接受询问。")
    problems = question_problems(name, phone, body)
    if problems:
        raise ValidationError(problems)
    phone = normalise(phone).replace(" ", "")
    body = body.strip()
    with transaction.atomic():
        if is_duplicate(page, phone, body, now):
            raise ValidationError(DUPLICATE_MESSAGE)
        question = DisclosureQuestion.objects.create(
            page=page,
            region_id=page.region_id,
            asker_name=normalise(name),
            asker_phone=phone,
            body=body,
            asked_at=now,
            fingerprint=fingerprint(page.pk, phone, body),
        )
        from portal.pages.disclosures import mail as disclosure_mail

        disclosure_mail.question_asked(question)
    return question


def answer(question, user, text, public_body=None, now=None, shown_publicly=True):
    """Record the committee's answer; it shows under the disclosure at once (unless not public)."""
    if not can_answer(user, question):
        raise ValidationError("只有本村村务监督委员会或村民委员会可以答复本询问。")
    text = (text or "").strip()
    if not text:
        raise ValidationError({"answer": "请填写答复内容"})
    if len(text) > ANSWER_MAX:
        raise ValidationError({"answer": f"答复内容最多 {ANSWER_MAX} 个字，当前 {len(text)} 个字"})
    shown = (public_body or "").strip()
    for field, value in (("answer", text), ("public_body", shown)):
        if CONTROL_RE.search(value):
            raise ValidationError({field: "有无法识别的字符，请删除后重新填写"})
    if len(shown) > BODY_MAX:
        raise ValidationError({"public_body": f"公开的询问内容最多 {BODY_MAX} 个字"})
    from portal.pages.disclosures.leaks import numbers_in_text

    for field, value in (("answer", text), ("public_body", shown or question.body)):
        if numbers_in_text(value):
            raise ValidationError({field: "含有身份证号、手机号码或银行卡号，公开前请删除或打码"})
    question.answer = text
    question.shown_publicly = bool(shown_publicly)
    question.public_body = "" if shown == question.body else shown
    if question.answered_at is None:
        question.answered_at = now or timezone.now()
    question.answered_by = user
    question.save()
    from portal.pagecache import invalidate

    invalidate("disclosure question answered")
    return question
