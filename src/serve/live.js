// worklog serve: live reload. Injected into served pages only, never into `worklog build`.
(function () {
  "use strict";
  if (!window.WebSocket) return;
  var key = "worklog-scroll:" + location.pathname;
  var saved = sessionStorage.getItem(key);
  if (saved !== null) {
    sessionStorage.removeItem(key);
    window.addEventListener("load", function () { window.scrollTo(0, +saved); });
  }
  var here = decodeURI(location.pathname);
  var overlay = null;

  function showError(message, still) {
    if (!overlay) {
      overlay = document.createElement("div");
      overlay.id = "worklog-error-overlay";
      overlay.setAttribute("role", "alert");
      overlay.style.cssText = "position:fixed;inset:0;z-index:2147483647;background:rgba(20,20,28,.92);color:#fff;" +
        "font:14px/1.5 ui-monospace,SFMono-Regular,Menlo,Consolas,monospace;padding:2rem;overflow:auto";
      document.body.appendChild(overlay);
    }
    overlay.innerHTML = "";
    var title = document.createElement("h2");
    title.textContent = still ? "worklog: the site still does not build" : "worklog: the last change does not build";
    title.style.cssText = "margin:0 0 1rem;font:600 18px system-ui,sans-serif;color:#ff8a8a";
    var pre = document.createElement("pre");
    pre.textContent = message;
    pre.style.cssText = "white-space:pre-wrap;margin:0";
    var note = document.createElement("p");
    note.textContent = "The page below is the last good build. Fix the file and save: this goes away by itself.";
    note.style.cssText = "font:14px system-ui,sans-serif;color:#ccc";
    overlay.appendChild(title);
    overlay.appendChild(pre);
    overlay.appendChild(note);
  }

  function hideError() {
    if (overlay) { overlay.remove(); overlay = null; }
  }

  function reload() {
    sessionStorage.setItem(key, String(window.scrollY));
    location.reload();
  }

  // A stylesheet's name may carry a hash of its bytes (worklog.3f9a1c2b.css): a link is
  // swapped for the new file of the same plain name, hashed if it was.
  function plain(path) { return path.replace(/\.[0-9a-f]{8}(\.css)$/, "$1"); }

  function swapStylesheets(paths) {
    var links = document.querySelectorAll('link[rel="stylesheet"]');
    for (var i = 0; i < links.length; i++) {
      var current = decodeURI(new URL(links[i].href, location.href).pathname);
      var hashed = plain(current) !== current;
      for (var j = 0; j < paths.length; j++) {
        if (plain(paths[j]) === plain(current) && (plain(paths[j]) !== paths[j]) === hashed) {
          links[i].href = encodeURI(paths[j]) + (hashed ? "" : "?v=" + Date.now().toString(36));
        }
      }
    }
  }

  // The socket is on the page's own host and port (see src/serve/live.rs), so it works
  // wherever the page does: behind a forwarded port, a proxy, or with many tabs open.
  var url = (location.protocol === "https:" ? "wss://" : "ws://") + location.host + "/__worklog/live";
  var wait = 250;
  var lost = false;

  function connect() {
    var socket = new WebSocket(url);
    var opened = false;
    socket.onopen = function () {
      opened = true;
      wait = 250;
      // The server went away and came back: saves made meanwhile were never announced.
      if (lost) reload();
    };
    socket.onmessage = function (e) {
      var m = JSON.parse(e.data);
      if (m.type === "reload" && (m.all || m.paths.indexOf(here) >= 0)) reload();
      else if (m.type === "css") swapStylesheets(m.paths);
      else if (m.type === "failed") showError(m.message, m.still);
      else if (m.type === "ok") hideError();
    };
    socket.onclose = function () {
      lost = lost || opened;
      setTimeout(connect, wait);
      wait = Math.min(wait * 2, 4000);
    };
  }
  connect();
})();
