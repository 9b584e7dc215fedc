"""The upload form of the admin's 数据导入 page."""

from django import forms

from .models import ImportJob
from .safety import ACCEPTED_EXTENSIONS


class UploadForm(forms.Form):
    kind = forms.ChoiceField(label="数据类型", choices=ImportJob.Kind.choices)
    file = forms.FileField(
        label="文件",
        help_text="支持 .xlsx、.xls、.csv（UTF-8 或 GB18030 编码）；表头上方可以有标题行",
        widget=forms.ClearableFileInput(attrs={"accept": ",".join(ACCEPTED_EXTENSIONS)}),
    )
    skip_invalid = forms.BooleanField(
        label="跳过错误行",
        required=False,
        help_text="勾选后只导入没有错误的行，被跳过的行及原因可下载为错误报告；"
        "不勾选时，只要有一行错误，整个文件都不导入",
    )

    def __init__(self, *args, kinds=None, **kwargs):
        super().__init__(*args, **kwargs)
        if kinds is not None:
            labels = dict(ImportJob.Kind.choices)
            self.fields["kind"].choices = [(kind, labels[kind]) for kind in kinds]


class ConfirmForm(forms.Form):
    skip_invalid = forms.BooleanField(label="跳过错误行", required=False)
