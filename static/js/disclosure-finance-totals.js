// Running totals of a disclosure's finance lines while the clerk types them.
// Loaded on every page editor (insert_editor_js) and idle where there is no finance
// table. Amounts are summed in whole fen (integers), never as floats, so 0.1 + 0.2
// shows 0.30. The server computes the published totals itself; this is only a guide.
(function (root) {
  "use strict";

  var AMOUNT = /^(\d{1,12})(?:\.(\d{1,2}))?$/;

  function toFen(raw) {
    var text = String(raw == null ? "" : raw).replace(/[,，\s]/g, "");
    if (text === "") return 0;
    var match = AMOUNT.exec(text);
    if (!match) return null;
    return parseInt(match[1], 10) * 100 + parseInt((match[2] || "0").padEnd(2, "0"), 10);
  }

  function formatFen(fen) {
    var sign = fen < 0 ? "-" : "";
    var abs = Math.abs(fen);
    var cents = String(abs % 100).padStart(2, "0");
    return sign + Math.floor(abs / 100) + "." + cents;
  }

  // rows: [{direction, amount, deleted}], opening: raw text. Returns totals or problems.
  function computeTotals(opening, rows) {
    var problems = [];
    var openingFen = toFen(opening);
    if (openingFen === null) {
      problems.push("期初余额不是有效的金额");
      openingFen = 0;
    }
    var income = 0;
    var expense = 0;
    var number = 0;
    rows.forEach(function (row) {
      if (row.deleted) return;
      number += 1;
      var fen = toFen(row.amount);
      if (fen === null) {
        problems.push("第" + number + "行金额不是有效的数字");
        return;
      }
      if (row.direction === "income") income += fen;
      else if (row.direction === "expense") expense += fen;
    });
    return {
      income: formatFen(income),
      expense: formatFen(expense),
      closing: formatFen(openingFen + income - expense),
      problems: problems,
    };
  }

  function readRows(container) {
    var rows = [];
    container.querySelectorAll("select[name$='-direction'], input[name$='-direction']").forEach(
      function (direction) {
        var prefix = direction.name.slice(0, -"-direction".length);
        if (prefix.indexOf("__prefix__") !== -1) return;
        var amount = container.querySelector("[name='" + prefix + "-amount']");
        var deleted = container.querySelector("[name='" + prefix + "-DELETE']");
        rows.push({
          direction: direction.value,
          amount: amount ? amount.value : "",
          deleted: !!deleted && (deleted.value === "1" || deleted.checked === true),
        });
      }
    );
    return rows;
  }

  function attach(doc) {
    var container = doc.getElementById("id_finance_items-FORMS");
    var opening = doc.getElementById("id_opening_balance");
    if (!container || !opening) return;
    var box = doc.createElement("p");
    box.className = "help-block";
    box.setAttribute("data-finance-totals", "");
    box.setAttribute("aria-live", "polite");
    container.parentNode.insertBefore(box, container.nextSibling);

    function refresh() {
      var totals = computeTotals(opening.value, readRows(container));
      var text =
        "当前合计（自动计算，保存后以系统计算为准）：收入 " + totals.income + " 元，支出 " +
        totals.expense + " 元，期末余额 " + totals.closing + " 元";
      if (totals.problems.length) text += "。" + totals.problems.join("；");
      box.textContent = text;
    }
    var pending = false;
    function schedule() {
      if (pending) return;
      pending = true;
      setTimeout(function () { pending = false; refresh(); }, 0);
    }
    doc.addEventListener("input", schedule);
    doc.addEventListener("change", schedule);
    doc.addEventListener("click", schedule);
    if (typeof MutationObserver !== "undefined") {
      new MutationObserver(schedule).observe(container, {
        childList: true, subtree: true, attributes: true, attributeFilter: ["value", "class"],
      });
    }
    refresh();
  }

  var api = { toFen: toFen, formatFen: formatFen, computeTotals: computeTotals };
  if (typeof module !== "undefined" && module.exports) {
    module.exports = api;
  } else {
    root.portalFinanceTotals = api;
    if (document.readyState === "loading") {
      document.addEventListener("DOMContentLoaded", function () { attach(document); });
    } else {
      attach(document);
    }
  }
})(this);
