"""``manage.py setup_portal``: an empty install becomes a portal; a second run changes nothing."""

import subprocess
import sys
from io import StringIO

import pytest
from django.conf import settings
from django.contrib.auth.models import Group
from django.core.management import call_command
from wagtail.models import GroupPagePermission, Page, Site, Workflow, WorkflowContentType

from portal.groups import ALL_GROUPS, EDITOR
from portal.pages.models import DisclosureIndexPage, HomePage, NoticeIndexPage, PolicyIndexPage
from portal.setup import SetupError, run_setup
from portal.snippets.models import Grid, Region

pytestmark = pytest.mark.django_db


def setup_portal(*args):
    out, err = StringIO(), StringIO()
    try:
        call_command("setup_portal", *args, stdout=out, stderr=err)
    except SystemExit as exit_:
        return exit_.code, out.getvalue(), err.getvalue()
    return 0, out.getvalue(), err.getvalue()


def snapshot():
    return (
        list(Region.objects.values_list("id", "name", "code", "level", "parent_id")),
        list(Page.objects.values_list("id", "path", "title", "slug")),
        list(Site.objects.values_list("id", "root_page_id", "site_name")),
        sorted(Group.objects.values_list("name", flat=True)),
        Group.permissions.through.objects.count(),
        GroupPagePermission.objects.count(),
        sorted(Workflow.objects.values_list("name", flat=True)),
    )


def test_empty_install_becomes_a_portal_and_a_second_run_is_a_no_op():
    assert not HomePage.objects.exists() and not Region.objects.exists()
    code, out, err = setup_portal("--name", "浉河区", "--code", "411502")
    assert code == 0, err
    assert "区县：浉河区（411502）已新建" in out and "门户设置完成" in out

    county = Region.objects.get()
    assert (county.name, county.code, county.level, county.parent) == (
        "浉河区", "411502000000", "county", None,
    )  # fmt: skip
    assert set(ALL_GROUPS) <= set(Group.objects.values_list("name", flat=True))
    assert Group.objects.get(name=EDITOR).permissions.exists()
    home = HomePage.objects.get()
    assert home.title == "浉河区基层治理门户" and home.live
    site = Site.objects.get(is_default_site=True)
    assert site.root_page_id == home.pk and site.site_name == "浉河区基层治理门户"
    assert NoticeIndexPage.objects.child_of(home).filter(slug="notices", live=True).exists()
    assert PolicyIndexPage.objects.child_of(home).filter(slug="policies", live=True).exists()
    assert DisclosureIndexPage.objects.child_of(home).get(slug="disclosures").region == county
    assert not Page.objects.filter(depth=2, content_type__model="page").exists()  # no Welcome
    assert WorkflowContentType.objects.filter(content_type__model="grid").exists()
    assert GroupPagePermission.objects.filter(group__name=EDITOR, page=home).exists()
    assert len(home.specific.quick_links) == 6

    before = snapshot()
    code, out, err = setup_portal("--name", "浉河区", "--code", "411502")
    assert code == 0 and "已全部设置，本次没有任何改动" in out and "新增" not in out
    code, out, _ = setup_portal()  # no arguments: the existing root is used
    assert code == 0 and "本次没有任何改动" in out
    assert snapshot() == before


def test_public_home_page_answers_after_setup(client):
    assert setup_portal("--name", "浉河区", "--code", "411502")[0] == 0
    response = client.get("/")
    assert response.status_code == 200 and "浉河区基层治理门户" in response.content.decode()
    assert client.get("/notices/").status_code == 200
    assert client.get("/disclosures/").status_code == 200


@pytest.mark.parametrize(
    ("args", "words"),
    [
        (["--name", "浉河区", "--code", "41150"], "应为6位数字"),
        (["--name", "浉河区", "--code", "4115O2"], "只能由数字组成"),
        (["--name", "信阳市", "--code", "411500"], "地市级"),
        (["--name", "浉河区"], "缺少 --code"),
        (["--code", "411502"], "缺少 --name"),
        (["--name", "浉河区", "--code", "411502", "--level", "province"], "层级“province”无效"),
        (["--name", "五星街道", "--code", "411502001", "--level", "town"], "--county"),
        (["--name", "五星街道", "--code", "411502", "--level", "town"], "应为9位数字"),
        ([], "尚未设置本门户所属的区县"),
        (["--bogus"], "参数有误"),
    ],
)
def test_bad_arguments_exit_2_with_a_chinese_message_and_write_nothing(args, words, capsys):
    groups_before = snapshot()[3]
    code, out, err = setup_portal(*args)
    err += capsys.readouterr().err  # argparse's own errors go to the process's stderr
    assert code == 2
    assert words in err and "Traceback" not in err
    assert not Region.objects.exists() and not HomePage.objects.exists()
    assert snapshot()[3] == groups_before  # nothing half-done


def test_a_second_county_is_refused_and_the_first_kept():
    assert setup_portal("--name", "浉河区", "--code", "411502")[0] == 0
    code, _out, err = setup_portal("--name", "平桥区", "--code", "411503")
    assert code == 2 and "一个门户只有一个区县" in err
    code, _out, err = setup_portal("--name", "浉河新区", "--code", "411502")
    assert code == 2 and "不一致" in err
    assert list(Region.objects.values_list("name", flat=True)) == ["浉河区"]


def test_town_portal_with_its_county():
    code, out, err = setup_portal(
        "--name", "五星街道", "--code", "411502001", "--level", "town", "--county", "浉河区"
    )
    assert code == 0, err
    town = Region.objects.get(level="town")
    assert town.code == "411502001000" and town.parent.name == "浉河区"
    assert town.parent.code == "411502000000"
    assert HomePage.objects.get().title == "五星街道基层治理门户"
    assert DisclosureIndexPage.objects.get(slug="disclosures").region == town
    again = setup_portal("--name", "五星街道", "--code", "411502001", "--level", "town")
    assert again[0] == 0 and "本次没有任何改动" in again[1]


def test_a_rerun_after_the_grid_import_gives_new_villages_their_boards():
    run_setup("浉河区", "411502")
    county = Region.objects.get()
    town = Region.objects.create(name="五星街道", level="town", parent=county, code="411502001000")
    village = Region.objects.create(
        name="五星社区", level="village", parent=town, code="411502001001"
    )
    Grid.objects.create(code="411502001001001", name="一网格", region=village)
    report = run_setup()
    board = DisclosureIndexPage.objects.get(region=village)
    assert board.get_parent().slug == "disclosures" and board.live
    assert Workflow.objects.filter(name="村务公开审核（五星社区）").exists()
    assert report.changed and not run_setup().changed


def test_setup_error_is_a_value_error_with_the_message():
    with pytest.raises(SetupError, match="6位"):
        run_setup("浉河区", "12")


def test_command_line_exit_status_without_a_traceback(tmp_path):
    """The real process: manage.py with bad arguments exits 2 and prints Chinese, no traceback."""
    database = tmp_path / "empty.sqlite3"
    env = {"DATABASE_URL": f"sqlite:///{database}", "DJANGO_SETTINGS_MODULE": "portal.settings.test",
           "PATH": "/usr/bin:/bin"}  # fmt: skip
    manage = settings.BASE_DIR / "manage.py"
    done = subprocess.run(
        [sys.executable, str(manage), "setup_portal", "--name", "浉河区", "--code", "abc"],
        capture_output=True, text=True, env=env, timeout=300,
    )  # fmt: skip
    assert done.returncode == 2
    assert "区划代码只能由数字组成" in done.stderr and "Traceback" not in done.stderr
