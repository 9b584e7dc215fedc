"""Forms of the field workspace. They collect input; the rules are the services'."""

import uuid

from django import forms

from portal.cases.models import CaseCategory
from portal.snippets.models import Grid
from portal.snippets.scope import restrict_to_scope


def new_client_token():
    return str(uuid.uuid4())


class MultiplePhotoInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class PhotosField(forms.FileField):
    """Several photos in one input; their checks are ``portal.cases.photos``'s, not the form's."""

    widget = MultiplePhotoInput

    def clean(self, data, initial=None):
        return [f for f in (data if isinstance(data, (list, tuple)) else [data]) if f]


class ClientTokenField(forms.UUIDField):
    """The draft's identity, made on the phone (or in the form): a resend is the same report."""

    widget = forms.HiddenInput

    def __init__(self, **kwargs):
        super().__init__(
            required=True,
            error_messages={
                "required": "缺少草稿标识，请刷新页面后重新提交",
                "invalid": "草稿标识格式不正确，请刷新页面后重新提交",
            },
            **kwargs,
        )


def scoped_grids(user):
    grids = Grid.objects.select_related("region").order_by("region__name", "code")
    return restrict_to_scope(grids, user, "region")


class GridChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj):
        return f"{obj.region.name} · {obj.name}"


class ReportForm(forms.Form):
    """上报事件: what, where, which grid, up to three photos."""

    category = forms.ModelChoiceField(
        label="事件类别",
        queryset=CaseCategory.objects.order_by("name"),
        empty_label="请选择类别",
        error_messages={
            "required": "请选择事件类别",
            "invalid_choice": "所选事件类别不存在，请重新选择",
        },
    )
    grid = GridChoiceField(
        label="所属网格",
        queryset=Grid.objects.none(),
        empty_label="请选择网格",
        error_messages={
            "required": "请选择所属网格",
            "invalid_choice": "所选网格不在您的辖区内，请重新选择",
        },
    )
    description = forms.CharField(
        label="事件描述",
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 4, "placeholder": "发生了什么、涉及多少人、是否紧急"}),
        error_messages={"required": "请填写事件描述", "max_length": "事件描述不能超过2000字"},
    )
    place = forms.CharField(
        label="发生地点",
        max_length=200,
        required=False,
        widget=forms.TextInput(attrs={"placeholder": "如：3号楼东侧路口"}),
        error_messages={"max_length": "发生地点不能超过200字"},
    )
    photos = PhotosField(
        label="现场照片（最多3张）",
        required=False,
        widget=MultiplePhotoInput(attrs={"accept": "image/*"}),
    )
    client_token = ClientTokenField()

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        grids = scoped_grids(user)
        self.fields["grid"].queryset = grids
        if not self.is_bound:
            self.fields["client_token"].initial = new_client_token()
            only = list(grids[:2])
            if len(only) == 1:
                self.fields["grid"].initial = only[0].pk

    def clean_description(self):
        text = self.cleaned_data["description"].strip()
        if not text:
            raise forms.ValidationError("请填写事件描述")
        return text

    def case_title(self):
        """A short title from the category and the first words (the phone form has no title)."""
        text = " ".join(self.cleaned_data["description"].split())
        head = text[:24] + ("…" if len(text) > 24 else "")
        return f"{self.cleaned_data['category'].name}：{head}"[:200]


class VisitForm(forms.Form):
    """走访记录. ``visited_at`` is filled by the draft script when the visit is typed offline."""

    found_well = forms.TypedChoiceField(
        label="走访情况",
        choices=[("1", "情况良好"), ("0", "情况异常，需要关注")],
        coerce=lambda value: value == "1",
        initial="1",
        widget=forms.RadioSelect,
        error_messages={"required": "请选择走访情况"},
    )
    needs = forms.CharField(
        label="发现需求",
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3, "placeholder": "如：药品快用完，需要代购"}),
        error_messages={"max_length": "发现需求不能超过2000字"},
    )
    follow_up = forms.CharField(
        label="后续跟进",
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 2}),
        error_messages={"max_length": "后续跟进不能超过2000字"},
    )
    raise_case = forms.BooleanField(label="将发现的需求转为案件上报", required=False)
    case_category = forms.ModelChoiceField(
        label="案件类别（转为案件时填写）",
        queryset=CaseCategory.objects.order_by("name"),
        required=False,
        empty_label="请选择类别",
        error_messages={"invalid_choice": "所选事件类别不存在，请重新选择"},
    )
    visited_at = forms.DateTimeField(
        required=False,
        widget=forms.HiddenInput,
        input_formats=["%Y-%m-%dT%H:%M", "%Y-%m-%dT%H:%M:%S", "%Y-%m-%d %H:%M"],
        error_messages={"invalid": "走访时间格式不正确"},
    )
    client_token = ClientTokenField()

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if not self.is_bound:
            self.fields["client_token"].initial = new_client_token()

    def clean(self):
        data = super().clean()
        if data.get("raise_case"):
            if not data.get("case_category"):
                self.add_error("case_category", "转为案件时请选择案件类别")
            if not (data.get("needs") or "").strip():
                self.add_error("needs", "转为案件时请填写发现的需求")
        return data


class RoundFinishForm(forms.Form):
    notes = forms.CharField(
        label="巡查情况",
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3, "placeholder": "巡查中看到的情况，无异常可不填"}),
        error_messages={"max_length": "巡查情况不能超过2000字"},
    )
