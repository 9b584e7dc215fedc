"""The town's home page."""

from django.db import models
from wagtail import blocks
from wagtail.admin.panels import FieldPanel
from wagtail.api import APIField
from wagtail.fields import StreamField
from wagtail.models import Page
from wagtail.search import index


class QuickLinkBlock(blocks.StructBlock):
    title = blocks.CharBlock(label="名称")
    page = blocks.PageChooserBlock(label="站内页面", required=False)
    url = blocks.CharBlock(label="链接地址", required=False, help_text="站内页面为空时使用")
    description = blocks.CharBlock(label="说明", required=False)

    class Meta:
        icon = "link"
        label = "快捷入口"


class HomePage(Page):
    intro = models.TextField("欢迎语", blank=True)
    quick_links = StreamField(
        [("link", QuickLinkBlock())], verbose_name="快捷入口", blank=True, use_json_field=True
    )

    content_panels = Page.content_panels + [FieldPanel("intro"), FieldPanel("quick_links")]

    parent_page_types = ["wagtailcore.Page"]
    subpage_types = ["pages.NoticeIndexPage", "pages.DisclosureIndexPage", "pages.PolicyIndexPage"]
    max_count = 1

    search_fields = Page.search_fields + [index.SearchField("intro")]
    api_fields = [APIField("intro"), APIField("quick_links")]

    class Meta:
        verbose_name = "首页"
        verbose_name_plural = "首页"

    def get_context(self, request, *args, **kwargs):
        # Imported here: the sections module imports this models package.
        from portal.pages.home import home_sections

        context = super().get_context(request, *args, **kwargs)
        sections = home_sections(self)
        context.update(sections)
        # The site-wide banner lists the same urgent notices: no second query here
        # (see ``portal.pages.context_processors.urgent_notices``).
        request._urgent_banner = sections["urgent_notices"]
        return context
