"""Digest sources of the disclosure area: overdue questions, disclosures awaiting approval."""

from django.contrib.contenttypes.models import ContentType
from django.urls import reverse
from wagtail.models import GroupApprovalTask, TaskState

from portal.digest import DigestLine, register
from portal.pages.disclosures import questions as questions
from portal.pages.disclosures.mail import admin_url


@register("disclosure_questions", "逾期未答复的村民询问（应在10日内答复）", order=10)
def overdue_questions(user, now):
    today = questions.today_local(now)
    ids = questions.answerable_region_ids(user)
    qs = questions.DisclosureQuestion.objects.filter(questions.overdue_q(today))
    if ids is not None:
        qs = qs.filter(region_id__in=ids)
    lines = []
    for q in qs.select_related("page", "region").order_by("asked_at", "id"):
        late = -questions.days_left(q, today)
        url = admin_url(reverse("disclosure_questions_admin:detail", args=[q.pk]))
        lines.append(
            DigestLine(f"{q.region.name}：「{q.page.title}」的询问，已逾期 {late} 天", url)
        )
    return lines


@register("disclosure_approvals", "等待您审核的公开内容", order=20)
def disclosures_awaiting_approval(user, now):
    from portal.pages.models import DisclosurePage

    tasks = GroupApprovalTask.objects.filter(groups__user=user).values("pk")
    states = TaskState.objects.filter(
        status=TaskState.STATUS_IN_PROGRESS,
        task__in=tasks,
        workflow_state__content_type=ContentType.objects.get_for_model(DisclosurePage),
    ).select_related("workflow_state")
    by_page = {int(s.workflow_state.object_id): s for s in states}
    pages = DisclosurePage.objects.filter(pk__in=by_page).select_related("region")
    lines = []
    for page in sorted(pages, key=lambda p: by_page[p.pk].started_at):
        waited = (now - by_page[page.pk].started_at).days
        url = admin_url(reverse("wagtailadmin_pages:edit", args=[page.pk]))
        region = page.region.name if page.region_id else ""
        lines.append(DigestLine(f"{region}：「{page.title}」，已提交 {waited} 天", url))
    return lines
