"""The columns that name a person, declared once for every register that has them.

Volunteers, care objects and the volunteer ledgers (service records, points)
all carry an ID number and a phone; offices head those columns in the same
handful of ways, so the headers they accept, their help and their examples must
not drift apart between registers.
"""

from ..cleaning import clean_id_number, clean_phone
from ..table import Column

ID_NUMBER_HEADERS = (
    "身份证号",
    "身份证号码",
    "公民身份号码",
    "公民身份证号码",
    "身份证",
    "证件号码",
)
PHONE_HEADERS = ("手机号码", "联系电话", "手机号", "手机", "电话", "联系方式", "电话号码")
ID_NUMBER_EXAMPLE = "110101199003074514"
AS_TEXT = "请将该列设为文本格式"


def id_number_column(*, required=True, help=None):
    """身份证号, validated by GB 11643 (``cleaning.clean_id_number``)."""
    return Column(
        "id_number",
        ID_NUMBER_HEADERS[0],
        clean_id_number,
        synonyms=ID_NUMBER_HEADERS[1:],
        required=required,
        help=help or f"18位，{AS_TEXT}",
        example=ID_NUMBER_EXAMPLE,
    )


def phone_column(header="手机号码", *, help=None, example="13800138000"):
    """A person's phone under ``header``; every other usual heading is accepted too."""
    return Column(
        "phone",
        header,
        clean_phone,
        synonyms=tuple(h for h in PHONE_HEADERS if h != header),
        help=help or "",
        example=example,
    )
