// Live updates for open pages, over one server-sent event stream per page:
// new comments wait behind a "새 댓글 N개 보기" button (nothing on the page
// moves until the reader asks), counts change in place, live coverage
// updates appear at the top of their list, and a 속보 shows as a strip over
// the page. Without this file every page is the same, only not live.
(function () {
  "use strict";
  if (!window.EventSource || !window.fetch) return;

  var articleEl = document.querySelector("[data-live-article]");
  var articleID = articleEl ? articleEl.getAttribute("data-live-article") : "";
  var lastID = "";
  var source = null;
  var retryTimer = null;

  function streamURL() {
    var q = [];
    if (articleID) q.push("article=" + encodeURIComponent(articleID));
    // A stream opened anew (after the server refused one) carries the id
    // the browser saw last; EventSource's own reconnects send the header.
    if (lastID) q.push("last_event_id=" + encodeURIComponent(lastID));
    return "/api/v1/live" + (q.length ? "?" + q.join("&") : "");
  }

  function on(kind, fn) {
    source.addEventListener(kind, function (e) {
      if (e.lastEventId) lastID = e.lastEventId;
      var data;
      try { data = JSON.parse(e.data); } catch (err) { return; }
      fn(data);
    });
  }

  function connect() {
    retryTimer = null;
    if (source) source.close();
    source = new EventSource(streamURL());
    on("comment", onComment);
    on("counts", onCounts);
    on("update", onUpdate);
    on("breaking", onBreaking);
    source.addEventListener("open", function () { document.documentElement.setAttribute("data-live", "open"); });
    var es = source;
    es.onerror = function () {
      if (es !== source) return;
      document.documentElement.setAttribute("data-live", "closed");
      if (es.readyState !== EventSource.CLOSED || retryTimer) return;
      // The server refused the stream (busy node, or shutting down):
      // open a new one later, resuming where this one stopped.
      retryTimer = setTimeout(connect, 5000 + Math.random() * 10000);
    };
  }

  function text(tag, cls, s) {
    var el = document.createElement(tag);
    if (cls) el.className = cls;
    if (s !== undefined) el.textContent = s;
    return el;
  }

  function kstLabel(rfc3339) {
    // "2024-03-18T04:30:00+09:00" → "2024.03.18 04:30", as the page prints.
    return rfc3339.slice(0, 16).replace(/-/g, ".").replace("T", " ");
  }

  // New comments.
  var pending = [];
  var notice = null;

  function showNotice() {
    if (!notice) {
      var region = text("div", "live-notice-region");
      region.setAttribute("aria-live", "polite");
      notice = text("button", "live-notice");
      notice.type = "button";
      notice.hidden = true;
      notice.addEventListener("click", showPending);
      region.appendChild(notice);
      document.body.appendChild(region);
    }
    notice.textContent = "새 댓글 " + pending.length + "개 보기";
    notice.hidden = pending.length === 0;
  }

  function commentElement(c) {
    var art = text("div", "comment");
    art.id = "comment-" + c.id;
    var head = text("header", "comment-head");
    var who = text("a", "comment-author", c.author.display_name);
    who.href = "/users/" + c.author.id;
    var when = text("time", "", kstLabel(c.created_at));
    when.dateTime = c.created_at;
    head.appendChild(who);
    head.appendChild(document.createTextNode(" "));
    head.appendChild(when);
    art.appendChild(head);
    art.appendChild(text("p", "comment-body", c.body));
    return art;
  }

  function showPending() {
    var list = document.querySelector(".comment-list");
    var batch = pending;
    pending = [];
    showNotice();
    if (!list) return;
    batch.forEach(function (c) {
      if (document.getElementById("comment-" + c.id)) return;
      if (c.parent_id) {
        var parent = document.getElementById("comment-" + c.parent_id);
        var thread = parent && parent.closest(".thread");
        if (!thread) return;
        var replies = thread.querySelector(".replies");
        if (!replies) {
          replies = text("div", "replies");
          thread.appendChild(replies);
        }
        replies.appendChild(commentElement(c));
        return;
      }
      var t = text("div", "thread");
      t.appendChild(commentElement(c));
      list.insertBefore(t, list.firstChild);
    });
    var empty = document.querySelector(".comments-empty");
    if (empty) empty.remove();
    var section = document.getElementById("comments");
    if (section) {
      section.scrollIntoView({ block: "start" });
      var heading = document.getElementById("comments-heading");
      if (heading) { heading.tabIndex = -1; heading.focus({ preventScroll: true }); }
    }
  }

  function onComment(c) {
    if (String(c.article_id) !== articleID) return;
    // The reader's own comment is on the page already (site.js adds it
    // when the API answers, which may come just after this event).
    setTimeout(function () {
      if (document.getElementById("comment-" + c.id)) return;
      for (var i = 0; i < pending.length; i++) if (pending[i].id === c.id) return;
      pending.push(c);
      showNotice();
    }, 1000);
  }

  function onCounts(d) {
    if (String(d.article_id) !== articleID) return;
    var count = document.querySelector(".comment-count");
    if (count && typeof d.comments === "number") count.textContent = String(d.comments);
    var form = document.querySelector(".reaction-form");
    if (!form || !d.reactions) return;
    form.querySelectorAll("button[name=kind]").forEach(function (b) {
      var c = b.querySelector(".reaction-count");
      if (c) c.textContent = String(d.reactions[b.value] || 0);
    });
  }

  // Live coverage.
  function updateElement(u) {
    var li = text("li", "live-update live-update-new" + (u.pinned ? " live-update-pinned" : ""));
    li.id = "update-" + u.id;
    var meta = text("p", "live-update-meta");
    var when = text("time", "", kstLabel(u.created_at));
    when.dateTime = u.created_at;
    meta.appendChild(when);
    meta.appendChild(document.createTextNode(" "));
    meta.appendChild(text("span", "live-update-author", u.author));
    if (u.pinned) {
      meta.appendChild(document.createTextNode(" "));
      meta.appendChild(text("span", "live-update-pin", "고정"));
    }
    li.appendChild(meta);
    li.appendChild(text("p", "live-update-body", u.body));
    if (u.quote) {
      var q = text("blockquote", "live-update-quote");
      q.appendChild(text("p", "", u.quote));
      if (u.quote_source) {
        var f = text("footer", "", "— ");
        f.appendChild(text("cite", "", u.quote_source));
        q.appendChild(f);
      }
      li.appendChild(q);
    }
    if (u.photo && u.photo_id) {
      var widths = u.photo.widths || [];
      var w = widths.length ? widths[Math.floor(widths.length / 2)] : u.photo.width;
      var fig = text("figure", "live-update-photo");
      var img = document.createElement("img");
      img.src = "/photos/" + u.photo_id + "/" + w + ".jpg";
      img.width = w;
      img.height = Math.round(u.photo.height * w / Math.max(u.photo.width, 1));
      img.alt = u.photo.alt || "";
      fig.appendChild(img);
      var cap = ((u.photo.caption || "") + " " + (u.photo.credit || "")).trim();
      if (cap) fig.appendChild(text("figcaption", "", cap));
      li.appendChild(fig);
    }
    if (u.corrected_at) {
      var note = text("p", "live-update-correction");
      var t = text("time", "", kstLabel(u.corrected_at));
      t.dateTime = u.corrected_at;
      note.appendChild(t);
      note.appendChild(document.createTextNode(" 정정 · 정정 전: "));
      note.appendChild(text("del", "", u.previous_body || ""));
      li.appendChild(note);
    }
    return li;
  }

  function onUpdate(d) {
    var blog = document.getElementById("live");
    if (!blog) return;
    var u = d.update;
    if (d.action === "ended") {
      blog.classList.remove("live-on");
      document.querySelectorAll(".live-badge").forEach(function (b) { b.remove(); });
      return;
    }
    if (!u || String(u.article_id) !== articleID) return;
    var old = document.getElementById("update-" + u.id);
    if (d.action === "deleted") {
      if (old) old.remove();
      return;
    }
    var el = updateElement(u);
    if (old) {
      old.replaceWith(el);
      return;
    }
    if (d.action !== "posted") return;
    var list = blog.querySelector(u.pinned ? ".live-pinned" : ".live-updates") || blog.querySelector(".live-updates");
    if (!list) return;
    list.insertBefore(el, list.firstChild);
    var empty = blog.querySelector(".live-empty");
    if (empty) empty.remove();
  }

  // 속보.
  function onBreaking(d) {
    if (String(d.id) === articleID) return;
    try {
      if (sessionStorage.getItem("live-breaking-" + d.id)) return;
    } catch (e) { /* storage may be off */ }
    var old = document.querySelector(".live-strip");
    if (old) old.remove();
    var strip = text("div", "live-strip");
    strip.setAttribute("role", "status");
    strip.appendChild(text("span", "label label-breaking", "속보"));
    var a = text("a", "", d.headline);
    a.href = d.url;
    strip.appendChild(a);
    var close = text("button", "", "닫기");
    close.type = "button";
    close.setAttribute("aria-label", "속보 알림 닫기");
    close.addEventListener("click", function () {
      strip.remove();
      try { sessionStorage.setItem("live-breaking-" + d.id, "1"); } catch (e) { /* ignore */ }
    });
    strip.appendChild(close);
    document.body.appendChild(strip);
  }

  // The newsroom's live page refreshes its numbers in place.
  var dash = document.getElementById("live-dashboard");
  if (dash) {
    var every = parseInt(dash.getAttribute("data-live-refresh"), 10) || 10;
    setInterval(function () {
      if (document.hidden) return;
      fetch(location.href, { credentials: "same-origin" }).then(function (res) {
        if (!res.ok) return null;
        return res.text();
      }).then(function (html) {
        if (!html) return;
        var next = new DOMParser().parseFromString(html, "text/html").getElementById("live-dashboard");
        if (!next) return;
        // Keep the tables the reader opened open.
        dash.querySelectorAll("details[open]").forEach(function (d) {
          var fig = d.closest("figure");
          var same = fig && next.querySelector("#" + fig.id + " details");
          if (same) same.open = true;
        });
        dash.innerHTML = next.innerHTML;
      }).catch(function () { /* try again next time */ });
    }, every * 1000);
  }

  // A page left for another (or kept in the back-forward cache) lets go
  // of its stream: browsers hold only a few connections to one site.
  window.addEventListener("pagehide", function () {
    if (retryTimer) clearTimeout(retryTimer);
    retryTimer = null;
    if (source) source.close();
    source = null;
  });
  window.addEventListener("pageshow", function (e) {
    if (e.persisted) connect();
  });
  // A tab in the background lets go too, and resumes where it stopped
  // when the reader comes back: over HTTP/1.1 a browser opens only six
  // connections to a site, and open tabs must not take them all.
  document.addEventListener("visibilitychange", function () {
    if (document.hidden) {
      if (retryTimer) clearTimeout(retryTimer);
      retryTimer = null;
      if (source) source.close();
      source = null;
    } else if (!source) {
      connect();
    }
  });

  connect();
})();
