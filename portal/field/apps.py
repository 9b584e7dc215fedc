from django.apps import AppConfig


class FieldConfig(AppConfig):
    name = "portal.field"
    label = "field"
    verbose_name = "网格员工作台"
