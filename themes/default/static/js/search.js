// The search box: Pagefind's index of this language (built by worklog into
// pagefind/<language>/), loaded on the first query, results as you type.
// Keys: "/" focuses the box, the arrows move through the results, Enter opens one,
// Escape goes back to the box.
(function () {
  "use strict";
  var box = document.querySelector("[data-search]");
  if (!box) return;
  var input = box.querySelector("input");
  var list = box.querySelector("ul");
  var status = box.querySelector("[role=status]");
  var MAX = 8;
  var pagefind = null;
  var asked = 0;
  box.hidden = false;

  // worklog hands `đ` to Pagefind as `d` and a combining stroke (U+0335), so that it
  // folds to `d` like any other accent: the query folds the same way, and what is shown
  // gets its `đ` back.
  function foldQuery(q) { return q.replace(/đ/g, "d").replace(/Đ/g, "D"); }
  function unstroke(s) { return s.replace(/d\u0335/g, "đ").replace(/D\u0335/g, "Đ"); }

  // A load that failed (in `worklog serve`, the index of a site just started is still
  // being made; or the connection dropped) is tried again on the next query.
  function load() {
    if (!pagefind) {
      pagefind = import(box.dataset.search).then(function (pf) {
        return pf.options({ baseUrl: box.dataset.base, excerptLength: 18 }).then(function () {
          return pf;
        });
      });
      pagefind.catch(function () { pagefind = null; });
    }
    return pagefind;
  }

  function say(text) { status.textContent = text; }

  function show(items) {
    list.textContent = "";
    items.forEach(function (r) {
      var li = document.createElement("li");
      var a = document.createElement("a");
      a.href = r.url;
      var title = document.createElement("span");
      title.className = "search-title";
      if (r.meta.number) {
        var num = document.createElement("span");
        num.className = "num";
        num.textContent = r.meta.number;
        title.appendChild(num);
        title.appendChild(document.createTextNode(" "));
      }
      title.appendChild(document.createTextNode(unstroke(r.meta.title || r.url)));
      var excerpt = document.createElement("span");
      excerpt.className = "search-excerpt";
      // Pagefind's excerpt is escaped text with <mark> around the matches.
      excerpt.innerHTML = unstroke(r.excerpt);
      a.appendChild(title);
      a.appendChild(excerpt);
      li.appendChild(a);
      list.appendChild(li);
    });
    list.hidden = items.length === 0;
  }

  function search() {
    var query = input.value.trim();
    var mine = ++asked;
    if (!query) {
      show([]);
      say("");
      return;
    }
    load()
      .then(function (pf) { return pf.debouncedSearch(foldQuery(query), {}, 120); })
      .then(function (found) {
        if (!found || mine !== asked) return null;
        return Promise.all(found.results.slice(0, MAX).map(function (r) { return r.data(); }));
      })
      .then(function (items) {
        if (!items || mine !== asked) return;
        show(items);
        say(items.length ? box.dataset.results.replace("{n}", items.length) : box.dataset.none);
      })
      .catch(function (e) {
        say(box.dataset.none);
        console.warn("search:", e);
      });
  }

  function links() { return Array.prototype.slice.call(list.querySelectorAll("a")); }

  input.addEventListener("input", search);
  input.addEventListener("focus", load, { once: true });
  box.addEventListener("keydown", function (e) {
    var all = links();
    var at = all.indexOf(document.activeElement);
    if (e.key === "ArrowDown" && all.length) {
      e.preventDefault();
      all[Math.min(at + 1, all.length - 1)].focus();
    } else if (e.key === "ArrowUp" && at >= 0) {
      e.preventDefault();
      (at === 0 ? input : all[at - 1]).focus();
    } else if (e.key === "Enter" && document.activeElement === input && all.length) {
      e.preventDefault();
      all[0].click();
    } else if (e.key === "Escape") {
      input.focus();
    }
  });
  document.addEventListener("keydown", function (e) {
    var t = e.target;
    var typing = t && (t.isContentEditable || /^(INPUT|TEXTAREA|SELECT)$/.test(t.tagName));
    if (e.key === "/" && !typing && !e.ctrlKey && !e.metaKey && !e.altKey) {
      e.preventDefault();
      input.focus();
    }
  });
})();
