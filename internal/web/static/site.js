// Progressive enhancement only: every feature works without this file, as
// plain forms that post and come back. With it, the same actions go through
// the JSON API without a page reload, and notices show as toasts.
(function () {
  "use strict";

  // The live counter counts code points after NFC, as the server does, not
  // the UTF-16 units that maxlength counts.
  function countChars(text) {
    var s = text.replace(/\r\n?/g, "\n").normalize("NFC").trim();
    return Array.from(s).length;
  }

  function bindCounter(area) {
    var foot = area.parentNode.querySelector(".counter");
    var now = foot && foot.querySelector(".counter-now");
    if (!now) return;
    var max = parseInt(area.dataset.max, 10);
    function update() {
      var n = countChars(area.value);
      now.textContent = String(n);
      foot.classList.toggle("over", n > max);
    }
    area.addEventListener("input", update);
    update();
  }
  document.querySelectorAll("textarea[data-max]").forEach(bindCounter);

  var toasts = document.getElementById("toasts");
  function toast(message, title, isError) {
    if (!toasts) return;
    var el = document.createElement("div");
    el.className = "toast" + (isError ? " toast-error" : "");
    el.setAttribute("role", isError ? "alert" : "status");
    if (title) {
      var t = document.createElement("strong");
      t.className = "toast-title";
      t.textContent = title;
      el.appendChild(t);
    }
    var p = document.createElement("p");
    p.textContent = message;
    el.appendChild(p);
    toasts.appendChild(el);
    setTimeout(function () { el.classList.add("toast-leaving"); }, 4000);
    setTimeout(function () { el.remove(); }, 4600);
  }
  // Notices that came with the page fade the same way.
  if (toasts) {
    toasts.querySelectorAll(".toast").forEach(function (el) {
      setTimeout(function () { el.classList.add("toast-leaving"); }, 5000);
    });
  }

  function api(method, url, body) {
    var opts = { method: method, credentials: "same-origin", headers: { "Accept": "application/json" } };
    if (body !== undefined) {
      opts.headers["Content-Type"] = "application/json";
      opts.body = JSON.stringify(body);
    }
    return fetch(url, opts).then(function (res) {
      return res.text().then(function (text) {
        var data = null;
        try { data = text ? JSON.parse(text) : null; } catch (e) { data = null; }
        return { status: res.status, ok: res.ok, data: data };
      });
    });
  }

  function failed(res) {
    if (res.status === 401) {
      location.href = "/login?next=" + encodeURIComponent(location.pathname + location.search);
      return;
    }
    var d = res.data || {};
    toast(d.error || "요청을 처리하지 못했습니다. 잠시 후 다시 시도해주세요.", d.title, true);
  }

  function setReactions(form, data) {
    var cancel = document.querySelector(".reaction-cancel-form");
    form.querySelectorAll("button[name=kind]").forEach(function (b) {
      var code = b.value;
      var c = b.querySelector(".reaction-count");
      if (c && data.counts && code in data.counts) c.textContent = String(data.counts[code]);
      b.setAttribute("aria-pressed", data.mine === code ? "true" : "false");
    });
    if (cancel) cancel.hidden = !data.mine;
  }

  var handlers = {
    reaction: function (form, submitter) {
      var kind = submitter && submitter.value;
      if (!kind) return;
      api("PUT", form.dataset.api, { reaction: kind }).then(function (res) {
        if (!res.ok) return failed(res);
        setReactions(form, res.data);
      });
    },
    "reaction-cancel": function (form) {
      api("DELETE", form.dataset.api).then(function (res) {
        if (!res.ok) return failed(res);
        setReactions(document.querySelector(".reaction-form"), res.data);
        toast("공감 표현을 취소했습니다.");
      });
    },
    bookmark: function (form) {
      var input = form.querySelector("input[name=on]");
      var on = input.value !== "0";
      api(on ? "PUT" : "DELETE", form.dataset.api).then(function (res) {
        if (!res.ok) return failed(res);
        input.value = on ? "0" : "1";
        var b = form.querySelector("button");
        b.setAttribute("aria-pressed", on ? "true" : "false");
        b.textContent = on ? "저장됨" : "기사 저장";
        toast(res.data.message);
      });
    },
    subscribe: function (form) {
      var input = form.querySelector("input[name=on]");
      var on = input.value !== "0";
      api(on ? "PUT" : "DELETE", form.dataset.api).then(function (res) {
        if (!res.ok) return failed(res);
        input.value = on ? "0" : "1";
        var b = form.querySelector("button");
        b.setAttribute("aria-pressed", on ? "true" : "false");
        b.textContent = on ? "구독중" : "구독";
        var count = document.querySelector(".subscriber-count strong");
        if (count && typeof res.data.subscribers === "number") count.textContent = res.data.subscribers + "명";
        toast(on ? "구독했습니다." : "구독을 취소했습니다.");
      });
    },
    comment: function (form) {
      var area = form.querySelector("textarea");
      api("POST", form.dataset.api, { body: area.value }).then(function (res) {
        if (!res.ok) return failed(res);
        addComment(res.data);
        area.value = "";
        area.dispatchEvent(new Event("input"));
        toast("댓글이 등록되었습니다.");
      });
    }
  };

  function addComment(c) {
    var list = document.querySelector(".comment-list");
    if (!list) return;
    var thread = document.createElement("div");
    thread.className = "thread";
    var art = document.createElement("div");
    art.className = "comment";
    art.id = "comment-" + c.id;
    var head = document.createElement("header");
    head.className = "comment-head";
    var who = document.createElement("a");
    who.className = "comment-author";
    who.href = "/users/" + c.author.id;
    who.textContent = c.author.display_name;
    var when = document.createElement("time");
    when.dateTime = c.created_at;
    when.textContent = c.created_at.slice(0, 16).replace(/-/g, ".").replace("T", " ");
    head.appendChild(who);
    head.appendChild(document.createTextNode(" "));
    head.appendChild(when);
    var body = document.createElement("p");
    body.className = "comment-body";
    body.textContent = c.body;
    art.appendChild(head);
    art.appendChild(body);
    thread.appendChild(art);
    list.insertBefore(thread, list.firstChild);
    var count = document.querySelector(".comment-count");
    if (count) count.textContent = String(parseInt(count.textContent, 10) + 1);
    var empty = document.querySelector(".comments-empty");
    if (empty) empty.remove();
  }

  document.addEventListener("submit", function (e) {
    var form = e.target;
    var h = form.dataset && handlers[form.dataset.kind];
    if (!h || !window.fetch) return;
    e.preventDefault();
    h(form, e.submitter);
  });
})();
