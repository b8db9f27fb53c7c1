/* worklog default theme: small progressive enhancements. Every page works without them.
   1. Shared nav: put window.WORKLOG_NAV_HTML into #nav-tree and mark the current page.
   2. Scroll the current page's link into view inside the sidebar (only when hidden).
   3. Drawer: Escape closes it.
   4. Tables: 4+ columns get labels for the phone card layout; overflowing ones become
      keyboard-scrollable regions.
   5. Code blocks: language label and a Copy button.
   Its words come from the theme's i18n, as data attributes of its <script> tag. */
(function () {
  "use strict";
  var script = document.currentScript;
  var words = (script && script.dataset) || {};

  function normalise(path) {
    try { path = decodeURI(path); } catch (e) { /* malformed escape: compare as is */ }
    return path.replace(/index\.html$/, "").replace(/\/+$/, "");
  }

  function markCurrent(tree) {
    var here = normalise(location.pathname);
    var links = tree.querySelectorAll("a[href]");
    for (var i = 0; i < links.length; i++) {
      if (normalise(links[i].pathname || "") !== here) continue;
      links[i].setAttribute("aria-current", "page");
      // Its own section opens too, as in pages that carry the tree.
      var own = links[i].nextElementSibling;
      if (own && own.tagName === "DETAILS") own.open = true;
      for (var el = links[i].parentElement; el && el !== tree; el = el.parentElement) {
        if (el.tagName === "DETAILS") el.open = true;
      }
      return;
    }
  }

  function sharedNav(tree) {
    if (!tree || tree.querySelector("ul") || typeof window.WORKLOG_NAV_HTML !== "string") return;
    tree.innerHTML = window.WORKLOG_NAV_HTML;
    markCurrent(tree);
  }

  function revealCurrent(sidebar) {
    var current = sidebar && sidebar.querySelector('a[aria-current="page"]');
    if (!current) return;
    var box = sidebar.getBoundingClientRect(), item = current.getBoundingClientRect();
    if (box.height === 0 || (item.top >= box.top && item.bottom <= box.bottom)) return;
    sidebar.scrollTop += item.top - box.top - Math.max(0, (box.height - item.height) / 3);
  }

  function drawer(toggle, sidebar) {
    if (!toggle) return;
    toggle.addEventListener("change", function () {
      if (toggle.checked) revealCurrent(sidebar);
    });
    document.addEventListener("keydown", function (e) {
      if ((e.key === "Escape" || e.key === "Esc") && toggle.checked) {
        toggle.checked = false;
        toggle.focus();
      }
    });
  }

  function tableCards() {
    var tables = document.querySelectorAll(".content table");
    for (var t = 0; t < tables.length; t++) {
      var heads = tables[t].querySelectorAll("thead th");
      if (heads.length < 4) continue;
      tables[t].classList.add("table-cards");
      // Explicit roles keep the table semantics when CSS displays the rows as cards.
      var all = tables[t].querySelectorAll("thead, tbody, tr, th, td");
      var roles = { THEAD: "rowgroup", TBODY: "rowgroup", TR: "row", TH: "columnheader", TD: "cell" };
      for (var i = 0; i < all.length; i++) all[i].setAttribute("role", roles[all[i].tagName]);
      tables[t].setAttribute("role", "table");
      // A column whose cells are all short (dates, numbers) gets half a card's width.
      var rows = tables[t].querySelectorAll("tbody tr"), longest = [];
      for (var r = 0; r < rows.length; r++) {
        for (var c = 0; c < rows[r].cells.length; c++) {
          var cell = rows[r].cells[c];
          if (heads[c]) cell.setAttribute("data-label", heads[c].textContent.trim());
          longest[c] = Math.max(longest[c] || 0, cell.textContent.trim().length);
        }
      }
      for (r = 0; r < rows.length; r++) {
        for (c = 0; c < rows[r].cells.length; c++) {
          if (longest[c] <= 16) rows[r].cells[c].classList.add("is-short");
        }
      }
    }
  }

  /* A table or a code block wider than its box scrolls sideways in it: the keyboard must
     reach it (tabindex), and a screen reader hears what it is. */
  function scrollableBoxes() {
    var kinds = [[".table-wrap", words.tableScrolls], [".content pre", words.codeScrolls]];
    for (var k = 0; k < kinds.length; k++) {
      var boxes = document.querySelectorAll(kinds[k][0]);
      for (var i = 0; i < boxes.length; i++) {
        var w = boxes[i], attrs = { tabindex: "0", role: "region", "aria-label": kinds[k][1] };
        var overflows = w.scrollWidth > w.clientWidth + 1;
        for (var name in attrs) {
          if (overflows) w.setAttribute(name, attrs[name]); else w.removeAttribute(name);
        }
      }
    }
  }

  function codeBlocks() {
    var blocks = document.querySelectorAll(".content pre > code");
    // The Clipboard API exists only on https:, localhost and file: pages.
    var canCopy = !!(navigator.clipboard && window.isSecureContext);
    for (var i = 0; i < blocks.length; i++) {
      var code = blocks[i], pre = code.parentNode;
      if (!pre.parentNode || pre.parentNode.classList.contains("code-block")) continue;
      var wrap = document.createElement("div");
      wrap.className = "code-block";
      var lang = /(?:^|\s)language-([\w+#.-]+)/.exec(code.className);
      if (lang) wrap.setAttribute("data-lang", lang[1]);
      pre.parentNode.insertBefore(wrap, pre);
      wrap.appendChild(pre);
      if (canCopy) wrap.appendChild(copyButton(code));
    }
  }

  function copyButton(code) {
    var button = document.createElement("button");
    button.type = "button";
    button.className = "copy-button";
    button.textContent = words.copy;
    function show(text) {
      return function () {
        button.textContent = text;
        setTimeout(function () { button.textContent = words.copy; }, 1800);
      };
    }
    button.addEventListener("click", function () {
      navigator.clipboard.writeText(code.textContent.replace(/\n$/, "")).then(show(words.copied), show(words.notCopied));
    });
    return button;
  }

  function init() {
    var sidebar = document.getElementById("sidebar");
    var steps = [
      function () { sharedNav(document.getElementById("nav-tree")); },
      function () { revealCurrent(sidebar); },
      function () { drawer(document.getElementById("nav-toggle"), sidebar); },
      tableCards,
      codeBlocks,
      scrollableBoxes
    ];
    // One failing step must not stop the others.
    for (var i = 0; i < steps.length; i++) {
      try { steps[i](); } catch (e) { if (window.console) console.warn("worklog:", e); }
    }
    var timer;
    window.addEventListener("resize", function () { clearTimeout(timer); timer = setTimeout(scrollableBoxes, 150); });
  }

  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", init);
  else init();
})();
