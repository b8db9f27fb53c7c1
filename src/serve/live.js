// worklog serve: live reload. Injected into served pages only, never into `worklog build`.
(function () {
  "use strict";
  if (!window.EventSource) return;
  var key = "worklog-scroll:" + location.pathname;
  var saved = sessionStorage.getItem(key);
  if (saved !== null) {
    sessionStorage.removeItem(key);
    window.addEventListener("load", function () { window.scrollTo(0, +saved); });
  }
  var here = decodeURI(location.pathname);
  var overlay = null;

  function showError(message) {
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
    title.textContent = "worklog: the last change does not build";
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

  // Events come from a port of their own (see src/serve/live.rs).
  var source = new EventSource(location.protocol + "//" + location.hostname + ":__EVENTS_PORT__/__worklog/events");
  source.addEventListener("reload", function (e) {
    var data = JSON.parse(e.data);
    if (data.all || data.paths.indexOf(here) >= 0) reload();
  });
  source.addEventListener("css", function (e) {
    var paths = JSON.parse(e.data).paths;
    var links = document.querySelectorAll('link[rel="stylesheet"]');
    for (var i = 0; i < links.length; i++) {
      var url = new URL(links[i].href, location.href);
      if (paths.indexOf(decodeURI(url.pathname)) >= 0) {
        url.searchParams.set("v", Date.now().toString(36));
        links[i].href = url.pathname + url.search;
      }
    }
  });
  source.addEventListener("failed", function (e) { showError(JSON.parse(e.data).message); });
  source.addEventListener("ok", hideError);
})();
