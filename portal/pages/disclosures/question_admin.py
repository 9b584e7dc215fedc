"""Admin screens of villagers' questions: the list with its 10-day clock, the answer form,
and the dashboard panel of overdue and waiting questions.

Scoped by ``questions.visible_questions``: a question of another
village is a 404, as if it did not exist. The rules (clock, who may answer)
stay in ``questions``; these views only show and call them.
"""

from django import forms
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.urls import include, path, reverse
from wagtail import hooks
from wagtail.admin import messages
from wagtail.admin.menu import MenuItem
from wagtail.admin.ui.components import Component

from portal.pages.disclosures import questions as rules
from portal.pages.disclosures.question_models import ANSWER_MAX, BODY_MAX

PER_PAGE = 50
PANEL_ROWS = 10

FILTERS = [
    ("waiting", "待答复"),
    ("overdue", "已逾期"),
    ("answered", "已答复"),
    ("all", "全部"),
]


class AnswerForm(forms.Form):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        from portal.pages.disclosures.question_views import without_nul_validator

        without_nul_validator(self)

    answer = forms.CharField(
        label="答复内容（将公开显示在公开内容下方）",
        widget=forms.Textarea(attrs={"rows": 6}),
        max_length=ANSWER_MAX,
        error_messages={"required": "请填写答复内容", "max_length": "答复内容过长"},
    )
    public_body = forms.CharField(
        label="公开的询问内容（可删去他人姓名等不宜公开的内容）",
        widget=forms.Textarea(attrs={"rows": 3}),
        max_length=BODY_MAX,
        required=False,
        error_messages={"max_length": "公开的询问内容过长"},
    )
    shown_publicly = forms.BooleanField(
        label="在公开内容下方公开本询问和答复（与公开内容无关、涉及个人隐私的可不公开，但仍须答复询问人）",
        required=False,
        initial=True,
    )


def _rows(questions, today):
    return [
        {
            "question": q,
            "due": q.due_date,
            "status": rules.status_label(q, today),
            "overdue": rules.is_overdue(q, today),
        }
        for q in questions
    ]


def list_view(request):
    today = rules.today_local()
    current = request.GET.get("status", "waiting")
    if current not in dict(FILTERS):
        current = "waiting"
    qs = rules.visible_questions(request.user)
    if current == "waiting":
        qs = qs.filter(rules.waiting_q()).order_by("asked_at", "id")
    elif current == "overdue":
        qs = qs.filter(rules.overdue_q(today)).order_by("asked_at", "id")
    elif current == "answered":
        qs = qs.filter(answered_at__isnull=False).order_by("-answered_at", "-id")
    paginator = Paginator(qs, PER_PAGE)
    page_obj = paginator.get_page(request.GET.get("p"))
    return TemplateResponse(
        request,
        "pages/question_admin_list.html",
        {
            "rows": _rows(page_obj.object_list, today),
            "page_obj": page_obj,
            "filters": FILTERS,
            "current": current,
            "today": today,
            "overdue_count": rules.visible_questions(request.user)
            .filter(rules.overdue_q(today))
            .count(),
        },
    )


def detail_view(request, pk):
    question = get_object_or_404(rules.visible_questions(request.user), pk=pk)
    today = rules.today_local()
    may_answer = rules.can_answer(request.user, question)
    initial = {
        "answer": question.answer,
        "public_body": question.public_body or question.body,
        "shown_publicly": question.shown_publicly,
    }
    form = AnswerForm(request.POST or None, initial=initial)
    if request.method == "POST":
        if not may_answer:
            messages.error(request, "只有本村村务监督委员会或村民委员会可以答复本询问。")
            return redirect("disclosure_questions_admin:detail", question.pk)
        if form.is_valid():
            try:
                rules.answer(
                    question,
                    request.user,
                    form.cleaned_data["answer"],
                    public_body=form.cleaned_data["public_body"],
                    shown_publicly=form.cleaned_data["shown_publicly"],
                )
            except ValidationError as error:
                if hasattr(error, "error_dict"):
                    for field, errors in error.message_dict.items():
                        for message in errors:
                            form.add_error(field if field in form.fields else None, message)
                else:
                    for message in error.messages:
                        form.add_error(None, message)
            else:
                if question.shown_publicly:
                    messages.success(request, "已答复，答复已显示在公开内容下方。")
                else:
                    messages.success(request, "已答复（不公开），请另行告知询问人。")
                return redirect("disclosure_questions_admin:index")
    return TemplateResponse(
        request,
        "pages/question_admin_detail.html",
        {
            "question": question,
            "form": form,
            "may_answer": may_answer,
            "status": rules.status_label(question, today),
            "overdue": rules.is_overdue(question, today),
            "due": question.due_date,
        },
    )


admin_urls = [
    path("", list_view, name="index"),
    path("<int:pk>/", detail_view, name="detail"),
]


@hooks.register("register_admin_urls")
def register_question_urls():
    return [
        path(
            "disclosure-questions/",
            include((admin_urls, "disclosure_questions_admin")),
        )
    ]


class QuestionsMenuItem(MenuItem):
    def is_shown(self, request):
        ids = rules.viewable_region_ids(request.user)
        return ids is None or bool(ids)


@hooks.register("register_admin_menu_item")
def register_questions_menu_item():
    return QuestionsMenuItem(
        "村民询问",
        reverse("disclosure_questions_admin:index"),
        name="disclosure-questions",
        icon_name="help",
        order=330,
    )


class QuestionsPanel(Component):
    """Dashboard panel: overdue questions first, then the ones still waiting."""

    name = "disclosure_questions"
    template_name = "pages/question_admin_panel.html"
    order = 104

    def __init__(self, overdue, waiting, overdue_count, waiting_count):
        self.overdue, self.waiting = overdue, waiting
        self.overdue_count, self.waiting_count = overdue_count, waiting_count

    def get_context_data(self, parent_context):
        return {
            "request": parent_context["request"],
            "overdue": self.overdue,
            "waiting": self.waiting,
            "overdue_count": self.overdue_count,
            "waiting_count": self.waiting_count,
        }


@hooks.register("construct_homepage_panels")
def add_questions_panel(request, panels):
    ids = rules.viewable_region_ids(request.user)
    if ids is not None and not ids:
        return
    today = rules.today_local()
    qs = rules.visible_questions(request.user).filter(rules.waiting_q()).order_by("asked_at")
    overdue_qs = qs.filter(rules.overdue_q(today))
    waiting_qs = qs.exclude(rules.overdue_q(today))
    overdue_count, waiting_count = overdue_qs.count(), waiting_qs.count()
    if overdue_count or waiting_count:
        panels.append(
            QuestionsPanel(
                _rows(overdue_qs[:PANEL_ROWS], today),
                _rows(waiting_qs[:PANEL_ROWS], today),
                overdue_count,
                waiting_count,
            )
        )
