"""Page models: home, notices, village-affairs disclosures and policies."""

from .disclosures import (
    DisclosureAttachment,
    DisclosureCatalogItem,
    DisclosureIndexPage,
    DisclosurePage,
    FinanceLineItem,
)
from .home import HomePage
from .questions import DisclosureQuestion
from .notices import NoticeAttachment, NoticeIndexPage, NoticePage
from .policies import PolicyAttachment, PolicyIndexPage, PolicyPage, PolicyTopic

__all__ = [
    "DisclosureAttachment",
    "DisclosureCatalogItem",
    "DisclosureIndexPage",
    "DisclosurePage",
    "DisclosureQuestion",
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
