/* Offline drafts of the grid worker's workspace.
 *
 * A form marked data-draft (上报事件, 走访记录) is sent by this script instead of
 * the browser: the draft — its fields, its photos as blobs and its client
 * token — is first written to IndexedDB, then posted. When the post cannot
 * reach the server the draft stays on the phone and is sent again when the
 * connection returns ("online" event, page load, every 20 seconds). Before each
 * send a fresh CSRF token is fetched (/field/sync/token/): a draft may be sent
 * hours after its page was drawn. The server refuses a second copy of the same
 * client token, so a draft sent twice makes one record.
 *
 * Without this script the forms still work as plain forms (online only).
 */
(function () {
  "use strict";

  var body = document.body;
  var USER = body.getAttribute("data-field-user");
  var TOKEN_URL = body.getAttribute("data-token-url");
  var DB_NAME = "field-drafts";
  var STORE = "drafts";

  if (!USER) {
    // Signed out: forget the pages kept for offline use (they show people's data).
    if (window.caches) {
      caches.keys().then(function (keys) {
        keys.forEach(function (key) { if (key.indexOf("field-") === 0) { caches.delete(key); } });
      });
    }
    return;
  }
  if ("serviceWorker" in navigator) {
    navigator.serviceWorker.register(body.getAttribute("data-sw"), { scope: "/field/" })
      .catch(function () {});
  }
  if (!window.indexedDB || !window.fetch || !window.FormData) { return; }

  var statusEl = document.getElementById("net-status");
  var draftsEl = document.getElementById("drafts");
  var listEl = document.getElementById("draft-list");
  var sending = false;

  function say(text, ok) {
    statusEl.textContent = text;
    statusEl.className = ok ? "net ok" : "net";
    statusEl.hidden = !text;
  }

  function newToken() {
    if (window.crypto && crypto.randomUUID) { return crypto.randomUUID(); }
    var b = new Uint8Array(16);
    crypto.getRandomValues(b);
    b[6] = (b[6] & 0x0f) | 0x40;
    b[8] = (b[8] & 0x3f) | 0x80;
    var h = Array.prototype.map.call(b, function (x) { return (x + 0x100).toString(16).slice(1); });
    return h.slice(0, 4).join("") + "-" + h.slice(4, 6).join("") + "-" + h.slice(6, 8).join("") +
      "-" + h.slice(8, 10).join("") + "-" + h.slice(10).join("");
  }

  // --- IndexedDB ---------------------------------------------------------------
  function db() {
    return new Promise(function (resolve, reject) {
      var req = indexedDB.open(DB_NAME, 1);
      req.onupgradeneeded = function () { req.result.createObjectStore(STORE, { keyPath: "id" }); };
      req.onsuccess = function () { resolve(req.result); };
      req.onerror = function () { reject(req.error); };
    });
  }
  function tx(mode, work) {
    return db().then(function (conn) {
      return new Promise(function (resolve, reject) {
        var t = conn.transaction(STORE, mode);
        var result = work(t.objectStore(STORE));
        t.oncomplete = function () { resolve(result && result.result); };
        t.onerror = function () { reject(t.error); };
      });
    });
  }
  function putDraft(d) { return tx("readwrite", function (s) { return s.put(d); }); }
  function deleteDraft(id) { return tx("readwrite", function (s) { return s.delete(id); }); }
  function allDrafts() {
    return tx("readonly", function (s) { return s.getAll(); }).then(function (all) {
      return (all || []).filter(function (d) { return d.owner === USER; });
    });
  }

  // --- the drafts panel ----------------------------------------------------------
  function render() {
    return allDrafts().then(function (drafts) {
      listEl.textContent = "";
      drafts.forEach(function (d) {
        var li = document.createElement("li");
        var when = new Date(d.savedAt);
        li.textContent = d.label + "（" + (when.getMonth() + 1) + "月" + when.getDate() + "日 " +
          ("0" + when.getHours()).slice(-2) + ":" + ("0" + when.getMinutes()).slice(-2) + " 保存" +
          (d.files.length ? "，含照片 " + d.files.length + " 张" : "") + "）" +
          (d.error ? "：" + d.error : "：等待联网发送");
        var drop = document.createElement("button");
        drop.type = "button";
        drop.textContent = "删除草稿";
        drop.addEventListener("click", function () {
          if (window.confirm("确定删除这份草稿吗？删除后无法恢复。")) {
            deleteDraft(d.id).then(render);
          }
        });
        li.appendChild(drop);
        listEl.appendChild(li);
      });
      if (drafts.length) {
        var now = document.createElement("li");
        var send = document.createElement("button");
        send.type = "button";
        send.textContent = "立即发送";
        send.addEventListener("click", function () { syncAll(); });
        now.appendChild(send);
        listEl.appendChild(now);
      }
      draftsEl.hidden = drafts.length === 0;
      return drafts;
    });
  }

  // --- sending -----------------------------------------------------------------
  function freshToken() {
    return fetch(TOKEN_URL, { headers: { "X-Field-Sync": "1" }, credentials: "same-origin", cache: "no-store" })
      .then(function (r) {
        if (r.status === 401 || r.status === 403) { throw { login: true }; }
        if (!r.ok) { throw { network: true }; }
        return r.json();
      }, function () { throw { network: true }; })
      .then(function (data) {
        if (data.user !== USER) { throw { login: true }; }
        return data.csrfToken;
      });
  }

  function send(d) {
    return freshToken().then(function (csrf) {
      var data = new FormData();
      d.fields.forEach(function (pair) { data.append(pair[0], pair[1]); });
      d.files.forEach(function (f) { data.append(f.field, f.blob, f.filename || "photo.jpg"); });
      return fetch(d.url, {
        method: "POST",
        body: data,
        credentials: "same-origin",
        headers: { "X-CSRFToken": csrf, "X-Field-Sync": "1" }
      }).then(function (r) {
        return r.json().catch(function () { return {}; }).then(function (answer) {
          if (r.status === 401) { throw { login: true }; }
          if (!r.ok) { throw { refused: answer.message || "服务器拒绝了这份草稿", answer: answer }; }
          return answer;
        });
      }, function () { throw { network: true }; });
    });
  }

  function describe(answer) {
    var parts = [];
    var errors = (answer && answer.errors) || {};
    Object.keys(errors).forEach(function (k) { parts = parts.concat(errors[k]); });
    return ((answer && answer.message) || "发送失败") + (parts.length ? "：" + parts.join("；") : "");
  }

  function syncAll() {
    if (sending || navigator.onLine === false) { return Promise.resolve(); }
    sending = true;
    return allDrafts().then(function (drafts) {
      var chain = Promise.resolve();
      var sent = [];
      drafts.filter(function (d) { return !d.error; }).forEach(function (d) {
        chain = chain.then(function () {
          return send(d).then(function (answer) {
            sent.push(answer.message);
            return deleteDraft(d.id);
          }, function (problem) {
            if (problem && problem.refused) {
              d.error = describe(problem.answer);
              return putDraft(d);
            }
            throw problem;
          });
        });
      });
      return chain.then(function () {
        if (sent.length) { say("草稿已发送：" + sent.join("；"), true); }
      }, function (problem) {
        if (problem && problem.login) { say("登录已过期，请重新登录，草稿仍保存在本机"); }
        else { say("网络不可用，草稿仍保存在本机，联网后自动发送"); }
      });
    }).then(function () { sending = false; return render(); }, function () { sending = false; });
  }

  // --- the forms -----------------------------------------------------------------
  function draftOf(form) {
    var fields = [];
    var files = [];
    var entries = new FormData(form);
    entries.forEach(function (value, name) {
      if (name === "csrfmiddlewaretoken") { return; }
      if (typeof value === "object" && value !== null && "size" in value) {
        if (value.size > 0) { files.push({ field: name, blob: value, filename: value.name }); }
        return;
      }
      fields.push([name, value]);
    });
    var token = form.querySelector("input[name=client_token]");
    return {
      id: token.value,
      owner: USER,
      url: form.action,
      label: form.getAttribute("data-draft-label") || "草稿",
      savedAt: new Date().toISOString(),
      fields: fields,
      files: files
    };
  }

  function stamp(form) {
    // When the visit really happened: kept with the draft, not the time it was sent.
    var at = form.querySelector("input[name=visited_at][type=hidden]");
    if (at && !at.value) {
      var now = new Date();
      at.value = new Date(now.getTime() - now.getTimezoneOffset() * 60000).toISOString().slice(0, 16);
    }
  }

  function onSubmit(event) {
    var form = event.currentTarget;
    if (!form.querySelector("input[name=client_token]")) { return; }
    event.preventDefault();
    stamp(form);
    var draft = draftOf(form);
    var button = form.querySelector("button[type=submit]");
    if (button) { button.disabled = true; }
    putDraft(draft).then(function () {
      return send(draft).then(function (answer) {
        return deleteDraft(draft.id).then(function () {
          window.location.assign(answer.url || window.location.href);
        });
      }, function (problem) {
        if (problem && problem.refused) {
          // Online and refused (a missing field…): let the server draw the form with its errors.
          return deleteDraft(draft.id).then(function () { HTMLFormElement.prototype.submit.call(form); });
        }
        form.reset();
        form.querySelector("input[name=client_token]").value = newToken();
        var at = form.querySelector("input[name=visited_at][type=hidden]");
        if (at) { at.value = ""; }
        if (problem && problem.login) { say("登录已过期：内容已保存在本机，重新登录后自动发送"); }
        else { say("当前没有网络：内容已保存在本机，联网后自动发送，不会重复登记"); }
        return render();
      });
    }).catch(function () {
      say("无法在本机保存草稿，请联网后再提交");
    }).then(function () { if (button) { button.disabled = false; } });
  }

  Array.prototype.forEach.call(document.querySelectorAll("form[data-draft]"), function (form) {
    form.addEventListener("submit", onSubmit);
  });
  Array.prototype.forEach.call(document.querySelectorAll("form.logout"), function (form) {
    form.addEventListener("submit", function () {
      if (navigator.serviceWorker && navigator.serviceWorker.controller) {
        navigator.serviceWorker.controller.postMessage("forget");
      }
    });
  });

  window.addEventListener("online", function () { say("已联网，正在发送草稿…", true); syncAll(); });
  window.addEventListener("offline", function () { say("当前没有网络：填写的内容会保存在本机"); });
  if (navigator.onLine === false) { say("当前没有网络：填写的内容会保存在本机"); }
  render().then(syncAll);
  window.setInterval(syncAll, 20000);
}());
