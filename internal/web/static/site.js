// Progressive enhancement only: every feature works without this file, as
// plain forms that post and come back. With it, the same actions go through
// the JSON API without a page reload, and notices show as toasts.
(function () {
  "use strict";
  var root = document.documentElement;
  root.classList.add("js");

  // 글자 크기: the reader's choice, kept on this device.
  var sizeKey = "jikji.textSize";
  function storedSize() {
    try { return localStorage.getItem(sizeKey); } catch (e) { return null; }
  }
  function applySize(n) {
    if (n && n !== "3") root.dataset.textSize = n; else delete root.dataset.textSize;
    document.querySelectorAll("[data-text-size]").forEach(function (b) {
      if (b.tagName === "BUTTON") b.setAttribute("aria-pressed", b.dataset.textSize === (n || "3") ? "true" : "false");
    });
  }
  applySize(storedSize());

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
    var actions = document.getElementById("new-comment-actions");
    if (actions) {
      var foot = actions.content.cloneNode(true);
      foot.querySelectorAll("form[data-action]").forEach(function (f) {
        f.action = f.dataset.action.replace("{id}", String(c.id));
      });
      art.appendChild(foot);
    }
    thread.appendChild(art);
    list.insertBefore(thread, list.firstChild);
    var count = document.querySelector(".comment-count");
    if (count) count.textContent = String(parseInt(count.textContent, 10) + 1);
    var empty = document.querySelector(".comments-empty");
    if (empty) empty.remove();
  }

  // Reader tools beside a story.
  document.querySelectorAll(".text-size-choices button").forEach(function (b) {
    b.addEventListener("click", function () {
      var n = b.dataset.textSize;
      try { localStorage.setItem(sizeKey, n); } catch (e) { /* private mode: this page only */ }
      applySize(n);
    });
  });
  function copyText(text) {
    if (navigator.clipboard && window.isSecureContext) return navigator.clipboard.writeText(text);
    return new Promise(function (resolve, reject) {
      var area = document.createElement("textarea");
      area.value = text;
      area.setAttribute("readonly", "");
      area.className = "visually-hidden";
      document.body.appendChild(area);
      area.select();
      var ok = false;
      try { ok = document.execCommand("copy"); } catch (e) { ok = false; }
      area.remove();
      if (ok) resolve(); else reject(new Error("copy"));
    });
  }
  document.querySelectorAll(".tool-share").forEach(function (b) {
    b.addEventListener("click", function () {
      var url = b.dataset.url || location.href;
      var title = document.getElementById("article-headline");
      if (navigator.share) {
        navigator.share({ title: title ? title.textContent : document.title, url: url }).catch(function () {});
        return;
      }
      copyText(url).then(function () {
        toast("기사 주소를 복사했습니다.");
      }, function () {
        toast("주소를 복사하지 못했습니다: " + url, null, true);
      });
    });
  });
  document.querySelectorAll(".tool-print").forEach(function (b) {
    b.addEventListener("click", function () { window.print(); });
  });
  // Photos further down load lazily; a printout needs them all.
  window.addEventListener("beforeprint", function () {
    document.querySelectorAll(".article img[loading=lazy]").forEach(function (i) { i.loading = "eager"; });
  });

  // The masthead slides away while the reader scrolls down, and comes back
  // as soon as they scroll up.
  var masthead = document.getElementById("masthead");
  if (masthead) {
    var lastY = window.scrollY, ticking = false;
    var onScroll = function () {
      ticking = false;
      var y = window.scrollY;
      var open = false;
      try { open = !!masthead.querySelector(":popover-open"); } catch (e) { open = false; }
      var away = y > lastY && y > masthead.offsetHeight * 2 && !open;
      if (Math.abs(y - lastY) > 4 || y <= 0) {
        masthead.classList.toggle("masthead-away", away);
        lastY = y;
      }
    };
    window.addEventListener("scroll", function () {
      if (!ticking) { ticking = true; requestAnimationFrame(onScroll); }
    }, { passive: true });
    masthead.addEventListener("focusin", function () { masthead.classList.remove("masthead-away"); });
  }
  var search = document.getElementById("site-search");
  if (search) {
    search.addEventListener("toggle", function (e) {
      if (e.newState === "open") search.querySelector("input").focus();
    });
  }
  // The section being read is brought into view in the sideways bar.
  var current = document.querySelector(".sections-nav a[aria-current]");
  if (current) {
    var bar = current.closest("ul");
    if (bar.scrollWidth > bar.clientWidth) bar.scrollLeft = current.offsetLeft - (bar.clientWidth - current.offsetWidth) / 2;
  }

  // One comment menu open at a time; a tap elsewhere closes it.
  document.addEventListener("click", function (e) {
    document.querySelectorAll(".comment-menu[open]").forEach(function (d) {
      if (!d.contains(e.target)) d.open = false;
    });
  });
  document.addEventListener("keydown", function (e) {
    if (e.key !== "Escape") return;
    document.querySelectorAll(".comment-menu[open]").forEach(function (d) {
      d.open = false;
      d.querySelector("summary").focus();
    });
  });

  document.addEventListener("submit", function (e) {
    var form = e.target;
    var h = form.dataset && handlers[form.dataset.kind];
    if (!h || !window.fetch) return;
    e.preventDefault();
    h(form, e.submitter);
  });
})();
