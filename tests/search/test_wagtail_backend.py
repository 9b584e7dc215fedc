"""The Chinese Wagtail search backend: site search, admin page/document search."""

import pytest
from django.core.files.base import ContentFile
from wagtail.documents import get_document_model
from wagtail.models import Page, Site
from wagtail.search.backends import get_search_backend

from portal.pages.models import HomePage, NoticeIndexPage, NoticePage


@pytest.fixture
def notices(db):
    root = Page.objects.get(depth=1)
    home = root.add_child(instance=HomePage(title="清河县青石街道", slug="qs-home"))
    Site.objects.update(root_page=home)
    index = home.add_child(instance=NoticeIndexPage(title="通知公告", slug="notices"))

    def notice(title, summary="", slug=None):
        return index.add_child(
            instance=NoticePage(
                title=title,
                slug=slug or f"n{NoticePage.objects.count()}",
                issuing_unit="青石街道办事处",
                summary=summary,
            )
        )

    return {
        "fee": notice("关于规范物业费收取的通知", "各小区物业服务企业应公示收费标准。"),
        "dibao": notice("2024年第三季度低保名单公示", "经审核，以下家庭纳入最低生活保障。"),
        "water": notice("停水通知", "因管网维修，东湖社区周六停水一天。"),
    }


def titles(results):
    return {page.title for page in results}


def test_the_default_backend_is_the_chinese_one():
    backend = get_search_backend()
    assert type(backend).__module__.startswith("search.wagtail_backend")


def test_a_word_inside_a_title_is_found(notices):
    results = Page.objects.live().search("物业费")
    assert titles(results) == {"关于规范物业费收取的通知"}
    assert titles(Page.objects.live().search("收取")) == {"关于规范物业费收取的通知"}


def test_traditional_script_and_synonyms_in_site_search(notices, starter_synonyms):
    assert titles(Page.objects.live().search("物業費")) == {"关于规范物业费收取的通知"}
    # 物管费 is a synonym of 物业费 in the starting set
    assert titles(Page.objects.live().search("物管费")) == {"关于规范物业费收取的通知"}
    # 最低生活保障 only in the body; 低保 in the title of the same page
    assert "2024年第三季度低保名单公示" in titles(Page.objects.live().search("最低生活保障"))


def test_autocomplete_finds_pages_by_a_word_in_the_middle_of_the_title(notices):
    assert titles(Page.objects.live().autocomplete("收取")) == {"关于规范物业费收取的通知"}
    assert "关于规范物业费收取的通知" in titles(Page.objects.live().autocomplete("物业"))


def test_punctuation_only_and_syntax_queries_find_nothing_without_errors(notices):
    assert list(Page.objects.live().search("！！！")) == []
    assert list(Page.objects.live().search('"')) == []
    list(Page.objects.live().search("NEAR AND OR * -停水"))
    list(Page.objects.live().autocomplete("'; DROP TABLE --"))


def test_admin_page_search(client, notices, superuser):
    client.force_login(superuser)
    response = client.get("/admin/pages/search/", {"q": "物业费"})
    assert response.status_code == 200
    page = response.content.decode()
    assert "关于规范物业费收取的通知" in page
    assert "停水通知" not in page


def test_admin_document_search(client, superuser):
    Document = get_document_model()
    doc = Document(title="宅基地审批办事指南")
    doc.file.save("guide.txt", ContentFile("宅基地".encode()), save=False)
    doc.save()
    other = Document(title="村务公开目录")
    other.file.save("list.txt", ContentFile(b"x"), save=False)
    other.save()
    assert titles(Document.objects.search("宅基地")) == {"宅基地审批办事指南"}
    client.force_login(superuser)
    page = client.get("/admin/documents/", {"q": "宅基地"}).content.decode()
    assert "宅基地审批办事指南" in page and "村务公开目录" not in page


def test_site_search_page_lists_pages(client, notices):
    response = client.get("/search/", {"q": "物业费"})
    assert response.status_code == 200
    page = response.content.decode()
    assert "<mark>物业费</mark>" in page
    assert notices["fee"].url in page
    assert '<span class="badge">通知公告</span>' in page  # the page type
    assert "停水通知" not in page


def test_site_search_shows_each_page_s_own_publication_date(client, notices):
    import datetime

    from portal.pages.models import PolicyIndexPage, PolicyPage

    fee = notices["fee"]
    fee.date = datetime.date(2023, 3, 5)
    fee.save_revision().publish()  # republished today: last_published_at moves, the date does not
    home = fee.get_parent().get_parent()
    policies = home.add_child(instance=PolicyIndexPage(title="政策文件", slug="policies"))
    policies.add_child(
        instance=PolicyPage(
            title="物业费管理办法",
            slug="wuyefei",
            issuer="青石街道办事处",
            level="town",
            issue_date=datetime.date(2021, 11, 20),
        )
    )
    page = client.get("/search/", {"q": "物业费"}).content.decode()
    assert '<time class="nowrap" datetime="2023-03-05">2023年3月5日</time>' in page
    assert '<time class="nowrap" datetime="2021-11-20">2021年11月20日</time>' in page


@pytest.mark.parametrize("q", ["", "！！！", "漏水" * 300, "<script>x</script>", 'NEAR * "'])
def test_site_search_page_never_fails(client, notices, q):
    response = client.get("/search/", {"q": q, "page": "abc"})
    assert response.status_code == 200
    assert "<script>x</script>" not in response.content.decode()


def test_site_search_no_results_page(client, notices):
    page = client.get("/search/", {"q": "飞碟"}).content.decode()
    assert "没有找到与“飞碟”相关的页面" in page
