"""The public form under a disclosure where a villager asks the committee a question.

The form is rendered into the (cached) disclosure page without a CSRF token: a
token would make every disclosure page uncacheable, and the form needs none —
it acts on no session (an anonymous question, name and phone typed in the form
itself), so a forged submission gains nothing a direct one would not. Abuse is
held off instead by a honeypot field, per-address and per-phone rate limits on
the shared atomic counters (``portal.security.ratelimit``, buckets
``question_ip`` and ``question_phone`` of ``RATE_LIMITS``), length caps and the
duplicate check in ``questions.ask``. Every refusal is a Chinese page
with the villager's input kept, never a 500.
"""

from django import forms
from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.views.decorators.cache import never_cache
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_http_methods

from portal.pages.disclosures import questions as rules
from portal.pages.disclosures.question_models import BODY_MAX, NAME_MAX, PHONE_MAX
from portal.pages.models import DisclosurePage
from portal.security import ratelimit

HONEYPOT = "website"


class QuestionForm(forms.Form):
    name = forms.CharField(label="姓名", max_length=NAME_MAX * 2, required=False)
    phone = forms.CharField(label="联系电话", max_length=PHONE_MAX * 2, required=False)
    body = forms.CharField(
        label="询问内容", max_length=BODY_MAX * 4, required=False, widget=forms.Textarea
    )
    website = forms.CharField(label="网址（请留空）", required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for field in ("name", "phone", "body"):
            self.fields[field].error_messages["max_length"] = (
                f"{self.fields[field].label}过长，请精简后再提交"
            )
        without_nul_validator(self)


def without_nul_validator(form):
    """Leave NUL and other control characters to the rules, whose message names the field."""
    from django.core.validators import ProhibitNullCharactersValidator

    for field in form.fields.values():
        field.validators = [
            v for v in field.validators if not isinstance(v, ProhibitNullCharactersValidator)
        ]


def _render(request, page, *, form=None, errors=(), status=200, done=False):
    return TemplateResponse(
        request,
        "pages/disclosure_question_result.html",
        {"page": page, "form": form, "errors": list(errors), "done": done},
        status=status,
    )


@csrf_exempt
@never_cache
@require_http_methods(["GET", "POST"])
def ask_view(request, page_id):
    page = DisclosurePage.objects.live().filter(pk=page_id).first()
    if page is None:
        raise Http404("没有找到这份公开内容")
    if request.method == "GET":  # a bookmarked or crawled form address: show the form
        return redirect(page.url + "#ask-heading")
    form = QuestionForm(request.POST)
    if request.POST.get(HONEYPOT):
        return _render(
            request, page, form=form, errors=["提交未成功，请检查后重新填写。"], status=400
        )
    wait = ratelimit.count_hit("question_ip", ratelimit.client_address(request))
    if wait:
        return _render(
            request,
            page,
            form=form,
            errors=[f"提交过于频繁，请在 {wait} 秒后再试，或直接到村委会询问。"],
            status=429,
        )
    if not form.is_valid():
        messages = [str(m) for field_errors in form.errors.values() for m in field_errors]
        return _render(request, page, form=form, errors=messages, status=400)
    data = form.cleaned_data
    problems = rules.question_problems(data["name"], data["phone"], data["body"])
    if problems:
        return _render(request, page, form=form, errors=problems.values(), status=400)
    wait = ratelimit.count_hit("question_phone", rules.normalise(data["phone"]).replace(" ", ""))
    if wait:
        return _render(
            request,
            page,
            form=form,
            errors=["这个电话号码今天提交的询问已经很多了，请明天再试，或直接到村委会询问。"],
            status=429,
        )
    try:
        rules.ask(page, name=data["name"], phone=data["phone"], body=data["body"])
    except ValidationError as error:
        return _render(request, page, form=form, errors=error.messages, status=400)
    return _render(request, page, done=True)
