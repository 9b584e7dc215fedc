"""The upload form of the admin's 数据导入 page."""

from django import forms

from .importers import kind_labels
from .safety import ACCEPTED_EXTENSIONS

# Field-name prefix of the preview's "map this category to…" selects.
CATEGORY_MAP_PREFIX = "map_category:"


class UploadForm(forms.Form):
    kind = forms.ChoiceField(label="数据类型", choices=list(kind_labels().items()))
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
            labels = kind_labels()
            self.fields["kind"].choices = [(kind, labels[kind]) for kind in kinds]


class ConfirmForm(forms.Form):
    skip_invalid = forms.BooleanField(label="跳过错误行", required=False)


def options_from_post(data, category_choices):
    """The importer options chosen on the preview: 允许新建类别 and category mappings.

    Only mappings to a category the preview offered are kept; the importer
    checks them again against the catalog.
    """
    allowed = set(category_choices)
    mapping = {}
    for key in data:
        if key.startswith(CATEGORY_MAP_PREFIX):
            target = (data.get(key) or "").strip()
            name = key[len(CATEGORY_MAP_PREFIX) :].strip()
            if name and target in allowed:
                mapping[name] = target
    options = {}
    if data.get("allow_new_categories"):
        options["allow_new_categories"] = True
    if mapping:
        options["category_map"] = mapping
    return options
