from django.apps import AppConfig


class CareConfig(AppConfig):
    name = "portal.care"
    label = "care"
    verbose_name = "关爱走访"
