"""Forms of the resident's pages: report, track, rate. Validation only; rules are elsewhere.

Every message is Chinese and names the field; every text has a length cap
(``maxlength`` in the page, checked again here).
"""

from django import forms

from portal.snippets.phones import normalise_phone, phone_problem

from . import reporting
from .models import Case, CaseCategory
from .photos import PhotoError, clean_photos
from .rating import COMMENT_MAX

DESCRIPTION_MAX = 2000
DESCRIPTION_MIN = 5
PLACE_MAX = 200
NAME_MAX = 50

CONSENT_TEXT = (
    "您填写的姓名、电话和邮箱只用于工作人员联系您、核实和反馈办理情况，不会在网站上公开；"
    "您上传的照片已去除拍摄位置等信息，在工作人员审核前不会公开；"
    "如案件公开，只显示工作人员撰写的不含个人信息的摘要。"
)


NUL_MESSAGE = "填写的内容含有无法保存的控制字符，请删除后重试"


class MultipleFileInput(forms.FileInput):
    allow_multiple_selected = True


class PhotosField(forms.FileField):
    """Zero to ``CASE_PHOTOS_PER_CASE`` files from one ``<input multiple>``."""

    widget = MultipleFileInput

    def clean(self, data, initial=None):
        files = data if isinstance(data, (list, tuple)) else [data]
        return [super(PhotosField, self).clean(item, initial) for item in files if item]


class ReportForm(forms.Form):
    category = forms.ModelChoiceField(
        label="事件类别",
        queryset=CaseCategory.objects.order_by("name"),
        empty_label="请选择",
        error_messages={
            "required": "请选择事件类别",
            "invalid_choice": "所选事件类别不存在，请重新选择",
        },
    )
    description = forms.CharField(
        label="发生了什么",
        widget=forms.Textarea(attrs={"rows": 6}),
        max_length=DESCRIPTION_MAX,
        min_length=DESCRIPTION_MIN,
        help_text="请写清楚是什么事、从什么时候开始、影响到谁。请不要填写他人的身份证号、电话。",
        error_messages={
            "required": "请填写发生了什么",
            "max_length": f"“发生了什么”不能超过 {DESCRIPTION_MAX} 字（当前 %(show_value)d 字）",
            "min_length": f"“发生了什么”至少写 {DESCRIPTION_MIN} 个字",
        },
    )
    grid = forms.TypedChoiceField(
        label="所在网格",
        coerce=int,
        help_text="按村（社区）分组；不清楚网格时，选本村（社区）离事发地最近的网格即可。",
        error_messages={
            "required": "请选择所在网格",
            "invalid_choice": "所选网格不存在，请重新选择",
        },
    )
    place = forms.CharField(
        label="具体地点",
        max_length=PLACE_MAX,
        required=False,
        help_text="如：3号楼2单元门口、村东头桥边",
        error_messages={"max_length": f"“具体地点”不能超过 {PLACE_MAX} 字"},
    )
    photos = PhotosField(
        label="照片（可选，最多 3 张）",
        required=False,
        widget=MultipleFileInput(attrs={"accept": "image/*"}),
    )
    name = forms.CharField(
        label="您的姓名",
        max_length=NAME_MAX,
        error_messages={
            "required": "请填写您的姓名（仅工作人员可见）",
            "max_length": f"姓名不能超过 {NAME_MAX} 字",
        },
    )
    phone = forms.CharField(
        label="联系电话",
        max_length=20,
        widget=forms.TextInput(attrs={"inputmode": "tel", "autocomplete": "tel"}),
        error_messages={
            "required": "请填写联系电话（仅工作人员可见）",
            "max_length": "联系电话不能超过 20 个字符",
        },
    )
    email = forms.EmailField(
        label="电子邮箱（可选）",
        required=False,
        max_length=254,
        help_text="填写后，办理进度有变化时会发邮件告诉您。",
        error_messages={"invalid": "电子邮箱格式不正确", "max_length": "电子邮箱过长"},
    )
    consent = forms.BooleanField(
        label="我已阅读上述说明，同意工作人员使用我的联系方式处理本事项",
        error_messages={"required": "请勾选同意后再提交"},
    )
    # The honeypot: hidden from people (CSS, aria-hidden), filled in by bots.
    website = forms.CharField(required=False, max_length=200, label="网址（请留空）")
    form_token = forms.CharField(widget=forms.HiddenInput, max_length=64)

    def __init__(self, *args, grids=None, **kwargs):
        super().__init__(*args, **kwargs)
        _chinese_nul_message(self)
        self.grids = {grid.pk: grid for grid in (grids or [])}
        self.fields["grid"].choices = [("", "请选择")] + reporting.grid_choices(grids or [])
        self.fields["name"].widget.attrs["autocomplete"] = "name"
        self.fields["email"].widget.attrs["autocomplete"] = "email"
        self.fields["website"].widget.attrs.update({"tabindex": "-1", "autocomplete": "off"})

    @property
    def is_bot(self):
        return bool((self.data.get("website") or "").strip())

    def clean_grid(self):
        grid = self.grids.get(self.cleaned_data["grid"])
        if grid is None:
            raise forms.ValidationError("所选网格不存在，请重新选择")
        return grid

    def clean_phone(self):
        phone = normalise_phone(self.cleaned_data["phone"])
        problem = phone_problem(phone)
        if problem:
            raise forms.ValidationError(problem)
        return phone

    def clean_name(self):
        name = " ".join(self.cleaned_data["name"].split())
        if not name:
            raise forms.ValidationError("请填写您的姓名（仅工作人员可见）")
        return name

    def clean_form_token(self):
        token = self.cleaned_data["form_token"]
        if not reporting.valid_token(token):
            raise forms.ValidationError("表单已失效，请重新填写后提交")
        return token

    def clean_photos(self):
        files = self.cleaned_data.get("photos") or []
        try:
            clean_photos(files)
        except PhotoError as error:
            raise forms.ValidationError(error.messages) from None
        for item in files:
            item.seek(0)
        return files


_CODE_HELP = "提交时页面上显示的 8 位数字"


def _chinese_nul_message(form):
    for field in form.fields.values():
        for validator in field.validators:
            if getattr(validator, "code", None) == "null_characters_not_allowed":
                validator.message = NUL_MESSAGE


class TrackForm(forms.Form):
    number = forms.CharField(
        label="案件编号",
        max_length=30,
        help_text="如 AJ2026000123",
        error_messages={"required": "请填写案件编号"},
    )
    code = forms.CharField(
        label="查询码",
        max_length=20,
        help_text=_CODE_HELP,
        widget=forms.TextInput(attrs={"inputmode": "numeric", "autocomplete": "off"}),
        error_messages={"required": "请填写查询码"},
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        _chinese_nul_message(self)


class RateForm(TrackForm):
    satisfaction = forms.ChoiceField(
        label="您对办理结果是否满意",
        choices=Case.Satisfaction.choices,
        widget=forms.RadioSelect,
        error_messages={
            "required": "请选择满意、基本满意或不满意",
            "invalid_choice": "请选择满意、基本满意或不满意",
        },
    )
    comment = forms.CharField(
        label="意见和建议（可选）",
        required=False,
        max_length=COMMENT_MAX,
        widget=forms.Textarea(attrs={"rows": 4}),
        error_messages={"max_length": f"意见和建议不能超过 {COMMENT_MAX} 字"},
    )
    revision = forms.IntegerField(widget=forms.HiddenInput, min_value=0)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["number"].widget = forms.HiddenInput()
        self.fields["code"].widget = forms.HiddenInput()
