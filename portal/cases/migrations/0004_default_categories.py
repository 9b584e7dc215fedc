"""The standard catalog of case categories a new install starts with.

Grid-management practice lists these categories (with their handling deadline
in days and whether they count as 矛盾纠纷 towards the 化解率). They are plain
rows: editable and removable in the admin afterwards. The function only adds
what is missing, matched by name, so it never clashes with a category an
install (or the demo loader, which uses the same codes for the same names)
already has, and reversing the migration leaves the data alone.

Self-contained on purpose: a migration must not import app code that may change.
"""

from django.db import migrations

# name, code, deadline in days, counts towards 化解率, description
CATALOG = [
    ("矛盾纠纷", "dispute", 30, True, "债务、赔偿等一般矛盾纠纷"),
    ("邻里纠纷", "neighbour", 15, True, "相邻关系、漏水、噪音等邻里之间的纠纷"),
    ("婚姻家庭纠纷", "family-dispute", 15, True, "婚姻、赡养、抚养、继承等家庭矛盾"),
    ("土地纠纷", "land-dispute", 30, True, "土地承包、宅基地界址、山林权属等纠纷"),
    ("物业纠纷", "property-dispute", 15, True, "业主与物业服务企业、业主之间的纠纷"),
    ("劳资纠纷", "labour-dispute", 15, True, "拖欠工资、劳动合同等劳动争议"),
    ("征地拆迁纠纷", "land-acquisition-dispute", 30, True, "征地补偿、房屋拆迁安置引发的纠纷"),
    ("民生诉求", "livelihood", 15, False, "群众生产生活中的各类诉求和建议"),
    ("环境卫生", "sanitation", 3, False, "垃圾清运、乱堆乱放、污水、公厕等"),
    ("市容秩序", "city-order", 7, False, "占道经营、乱贴乱画、违规广告、私搭乱建等"),
    ("治安隐患", "public-security", 3, False, "可疑人员、盗窃、赌博、治安防范薄弱部位等"),
    ("安全生产", "work-safety", 3, False, "企业、作坊、工地的生产安全隐患"),
    ("消防安全", "fire", 3, False, "楼道堆物、电动车违规充电、消防通道占用"),
    ("食品药品安全", "food-drug-safety", 5, False, "无证经营、过期食品药品、餐饮卫生等"),
    ("道路交通", "traffic", 7, False, "交通秩序、交通设施损坏、乱停乱放"),
    ("基础设施", "infrastructure", 15, False, "道路、路灯、井盖、供排水、供电等公共设施"),
    ("城乡建设", "construction", 15, False, "违法建设、工程施工、农村建房管理"),
    ("生态环境", "ecology", 10, False, "大气、水、噪声、土壤污染，秸秆焚烧等"),
    ("劳动保障", "labour-security", 15, False, "就业、社会保险参保、劳动用工"),
    ("社会保障", "social-security", 15, False, "低保、特困供养、养老、残疾人补贴等"),
    ("教育医疗", "education-health", 15, False, "入学、校园周边、看病就医、医保报销"),
    ("其他", "other", 15, False, "不属于以上类别的事项"),
]


def add_default_categories(apps, schema_editor):
    CaseCategory = apps.get_model("cases", "CaseCategory")
    taken_codes = set(CaseCategory.objects.values_list("code", flat=True))
    existing_names = set(CaseCategory.objects.values_list("name", flat=True))
    for name, code, days, dispute, description in CATALOG:
        if name in existing_names:
            continue
        unique = code
        n = 2
        while unique in taken_codes:
            unique = f"{code}-{n}"
            n += 1
        CaseCategory.objects.create(
            name=name,
            code=unique,
            deadline_days=days,
            is_dispute=dispute,
            description=description,
        )
        taken_codes.add(unique)
        existing_names.add(name)


class Migration(migrations.Migration):
    dependencies = [
        ("cases", "0003_event_detail"),
    ]

    operations = [
        migrations.RunPython(add_default_categories, migrations.RunPython.noop),
    ]
