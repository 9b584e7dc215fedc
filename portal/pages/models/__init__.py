"""Page models: home, notices, village-affairs disclosures and policies."""

from portal.pages.disclosures.models import (
    DisclosureAttachment,
    DisclosureCatalogItem,
    DisclosureIndexPage,
    DisclosurePage,
    FinanceLineItem,
)

from .home import HomePage
from .notices import NoticeAttachment, NoticeIndexPage, NoticePage
from .policies import PolicyAttachment, PolicyIndexPage, PolicyPage, PolicyTopic

__all__ = [
    "DisclosureAttachment",
    "DisclosureCatalogItem",
    "DisclosureIndexPage",
    "DisclosurePage",
    "FinanceLineItem",
    "HomePage",
    "NoticeAttachment",
    "NoticeIndexPage",
    "NoticePage",
    "PolicyAttachment",
    "PolicyIndexPage",
    "PolicyPage",
    "PolicyTopic",
]
