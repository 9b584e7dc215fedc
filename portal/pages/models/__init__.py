"""Page models: home, notices, village-affairs disclosures and policies."""

from .disclosures import (
    DisclosureAttachment,
    DisclosureCatalogItem,
    DisclosureIndexPage,
    DisclosurePage,
    FinanceLineItem,
)
from .home import HomePage
from .notices import NoticeAttachment, NoticeIndexPage, NoticePage
from .policies import PolicyAttachment, PolicyIndexPage, PolicyPage, PolicyTopic
from .questions import DisclosureQuestion

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
