"""Running totals in the disclosure editor: the script is loaded, and its arithmetic is exact.

The arithmetic runs in the real script under Node (the same file the browser loads),
so a float slip (0.1 + 0.2) or a deleted row counted would fail here.
"""

import json
import shutil
import subprocess
from pathlib import Path

import pytest
from django.conf import settings

from .conftest import add_url, edit_url

SCRIPT = Path(settings.BASE_DIR) / "static" / "js" / "disclosure-finance-totals.js"
NODE = shutil.which("node")


def _totals(opening, rows):
    program = (
        f"const t = require({json.dumps(str(SCRIPT))});"
        f"process.stdout.write(JSON.stringify(t.computeTotals({json.dumps(opening)}, "
        f"{json.dumps(rows)})));"
    )
    result = subprocess.run([NODE, "-e", program], capture_output=True, text=True, timeout=30)
    assert result.returncode == 0, result.stderr
    return json.loads(result.stdout)


def _row(direction, amount, deleted=False):
    return {"direction": direction, "amount": amount, "deleted": deleted}


@pytest.mark.skipif(NODE is None, reason="node is not installed")
@pytest.mark.parametrize(
    ("opening", "rows", "income", "expense", "closing", "problems"),
    [
        ("1000", [_row("income", "500"), _row("expense", "200.5")], "500.00", "200.50", "1299.50", []),
        ("", [_row("income", "0.1"), _row("income", "0.2")], "0.30", "0.00", "0.30", []),
        ("1,000.00", [_row("expense", "1 200")], "0.00", "1200.00", "-200.00", []),
        ("10", [_row("income", "5"), _row("income", "99", deleted=True)], "5.00", "0.00", "15.00", []),
        ("0", [_row("income", "abc"), _row("expense", "1.234")], "0.00", "0.00", "0.00",
         ["第1行金额不是有效的数字", "第2行金额不是有效的数字"]),
        ("x", [], "0.00", "0.00", "0.00", ["期初余额不是有效的金额"]),
        ("0", [_row("", "5")], "0.00", "0.00", "0.00", []),  # no direction chosen yet
    ],
)  # fmt: skip
def test_running_totals(opening, rows, income, expense, closing, problems):
    totals = _totals(opening, rows)
    assert (totals["income"], totals["expense"], totals["closing"]) == (income, expense, closing)
    assert totals["problems"] == problems


@pytest.mark.django_db
def test_editor_loads_the_script_without_inline_code(client, editor, tree, make_disclosure):
    client.force_login(editor)
    page = make_disclosure(kind="finance", live=False)
    for url in (add_url(tree["东湖社区"]), edit_url(page)):
        html = client.get(url).content.decode()
        assert "js/disclosure-finance-totals.js" in html
        assert 'id="id_finance_items-FORMS"' in html and 'id="id_opening_balance"' in html
    assert SCRIPT.is_file()
