from django.apps import AppConfig


class PagesConfig(AppConfig):
    name = "portal.pages"
    label = "pages"
    verbose_name = "页面"

    def ready(self):
        from portal.pages.disclosures import mail as disclosure_mail

        disclosure_mail.connect()
