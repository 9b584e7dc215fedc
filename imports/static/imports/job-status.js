// Polls an import job's status while it runs in the background and reloads the
// page once it is done. The URL comes from a data attribute (no inline script:
// the site's Content-Security-Policy forbids it).
(function () {
  "use strict";
  var root = document.querySelector("[data-job-status-url]");
  if (!root) {
    return;
  }
  var url = root.getAttribute("data-job-status-url");
  var stage = root.querySelector("[data-job-stage]");
  var rows = root.querySelector("[data-job-rows]");
  var bar = root.querySelector("[data-job-progress]");
  var label = root.querySelector("[data-job-status-label]");

  function update(data) {
    if (label) {
      label.textContent = data.status_label;
    }
    if (stage && data.stage) {
      stage.textContent = data.stage;
    }
    if (rows && data.rows_total) {
      rows.textContent = data.rows_done + " / " + data.rows_total + " 行";
    }
    if (bar) {
      bar.value = data.percent;
      bar.textContent = data.percent + "%";
    }
  }

  function poll() {
    fetch(url, { credentials: "same-origin", headers: { Accept: "application/json" } })
      .then(function (response) {
        if (!response.ok) {
          throw new Error("status " + response.status);
        }
        return response.json();
      })
      .then(function (data) {
        update(data);
        if (data.busy) {
          window.setTimeout(poll, 2000);
        } else {
          window.location.reload();
        }
      })
      .catch(function () {
        window.setTimeout(poll, 5000);
      });
  }

  window.setTimeout(poll, 1000);
})();
