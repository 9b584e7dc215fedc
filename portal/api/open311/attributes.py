"""The extra questions (GeoReport ``attributes``) each service asks, and their answers' checks.

Categories carry no question list of their own, so the questions follow the
kind of category: every service asks how urgent the matter is and whether it
is still going on; a dispute category (``is_dispute``, counted in 化解率) also
asks how many people are involved and whether mediation was tried already —
what a dispatcher needs to send a mediator rather than a repair crew.

Answers arrive as ``attribute[code]=value`` (``attribute[code][]=`` repeated
for a multi-value list). ``parse_answers`` checks them against the definition
and returns ``(label, shown value)`` pairs that are added to the case's
description for staff (cases have no field of their own for them).
"""

from dataclasses import dataclass, field

from rest_framework.exceptions import ValidationError

MAX_STRING = 200
MAX_TEXT = 1000


@dataclass(frozen=True)
class Attribute:
    code: str
    description: str
    datatype: str  # string, number, datetime, text, singlevaluelist, multivaluelist
    required: bool = False
    values: tuple = field(default_factory=tuple)  # ((key, name), …) for the lists
    datatype_description: str = ""
    minimum: int = 0
    maximum: int = 100_000

    def as_definition(self, order):
        return {
            "variable": True,
            "code": self.code,
            "datatype": self.datatype,
            "required": self.required,
            "datatype_description": self.datatype_description,
            "order": order,
            "description": self.description,
            "values": [{"key": key, "name": name} for key, name in self.values],
        }


COMMON = (
    Attribute(
        "urgency",
        "紧急程度",
        "singlevaluelist",
        required=True,
        values=(("normal", "一般"), ("urgent", "紧急"), ("critical", "危及人身财产安全")),
        datatype_description="从 normal、urgent、critical 中选一个",
    ),
    Attribute(
        "ongoing",
        "问题是否仍在持续",
        "singlevaluelist",
        values=(("yes", "是"), ("no", "否")),
        datatype_description="yes 或 no",
    ),
)
DISPUTE = (
    Attribute(
        "parties",
        "涉及人数",
        "number",
        required=True,
        datatype_description="1 到 10000 之间的整数",
        minimum=1,
        maximum=10_000,
    ),
    Attribute(
        "mediated_before",
        "此前已尝试的调解",
        "multivaluelist",
        values=(
            ("none", "未调解"),
            ("village", "村（社区）调解"),
            ("police", "派出所调解"),
            ("court", "法院诉讼"),
        ),
        datatype_description="可多选：none、village、police、court",
    ),
)


def attributes_for(category):
    return COMMON + (DISPUTE if category.is_dispute else ())


def definitions_for(category):
    return [attr.as_definition(order) for order, attr in enumerate(attributes_for(category), 1)]


def _answers_in(data):
    """``{code: [values]}`` of every ``attribute[…]`` parameter in ``data`` (a QueryDict)."""
    answers = {}
    for name in data:
        if not name.startswith("attribute[") or not name.endswith("]"):
            continue
        code = name[len("attribute[") : -1]
        if code.endswith("]["):  # attribute[code][]
            code = code[:-2]
        values = data.getlist(name) if hasattr(data, "getlist") else [data[name]]
        answers.setdefault(code, []).extend(str(v).strip() for v in values)
    return answers


def parse_answers(category, data, clean_text):
    """Check the ``attribute[…]`` answers for ``category``; returns ``[(label, text), …]``.

    ``clean_text`` is the caller's sanitiser for free text. Raises
    ``ValidationError`` (Chinese, naming the attribute) for an unknown code, a
    missing required answer, or a value the definition does not allow.
    """
    defined = {attr.code: attr for attr in attributes_for(category)}
    answers = _answers_in(data)
    unknown = sorted(code for code in answers if code not in defined)
    if unknown:
        shown = "、".join(code[:30] for code in unknown[:5])
        raise ValidationError(f"服务“{category.code}”没有属性 {shown}，可用的属性见服务定义")
    shown_answers = []
    for attr in defined.values():
        values = [v for v in answers.get(attr.code, []) if v != ""]
        name = f"attribute[{attr.code}]"
        if not values:
            if attr.required:
                raise ValidationError(f"缺少必填属性 {name}（{attr.description}）")
            continue
        if attr.datatype != "multivaluelist" and len(values) > 1:
            raise ValidationError(f"属性 {name} 只能有一个值")
        if attr.datatype in ("singlevaluelist", "multivaluelist"):
            names = dict(attr.values)
            wrong = [v for v in values if v not in names]
            if wrong:
                allowed = "、".join(names)
                raise ValidationError(f"属性 {name} 的值“{wrong[0][:30]}”无效，可选：{allowed}")
            text = "、".join(names[v] for v in dict.fromkeys(values))
        elif attr.datatype == "number":
            value = values[0]
            if not (value.isascii() and value.isdigit() and len(value) <= 9):
                raise ValidationError(f"属性 {name} 应为整数，收到“{value[:30]}”")
            number = int(value)
            if not attr.minimum <= number <= attr.maximum:
                raise ValidationError(
                    f"属性 {name} 应在 {attr.minimum} 到 {attr.maximum} 之间，收到 {number}"
                )
            text = str(number)
        else:
            limit = MAX_TEXT if attr.datatype == "text" else MAX_STRING
            text = clean_text(values[0])
            if len(text) > limit:
                raise ValidationError(f"属性 {name} 不能超过 {limit} 个字")
        shown_answers.append((attr.description, text))
    return shown_answers
