/* thb-kg site search: one box on every page, over entities, questions and sources.
   The documents come from assets/search-index.js (a <script>, so it works from file://);
   MiniSearch (assets/minisearch.js, MIT) indexes them on first use. A match counts by
   its kind as well (the "w" weight): instruments before the events about them. */
(function () {
  "use strict";
  var form = document.getElementById("site-search");
  if (!form || !window.MiniSearch || !window.thbSearchDocuments) { return; }
  var input = form.querySelector("input");
  var list = document.getElementById("site-search-results");
  var status = document.getElementById("site-search-status");
  var root = form.getAttribute("data-root") || "";
  var docs = window.thbSearchDocuments;
  var index = null;

  function build() {
    index = new window.MiniSearch({
      fields: ["title", "alt", "kind"],
      storeFields: ["title", "kind", "url", "w"],
      searchOptions: { boost: { title: 3, alt: 2.5 }, prefix: true, fuzzy: 0.15, combineWith: "AND" },
    });
    index.addAll(docs);
  }

  function search(q) {
    if (!index) { build(); }
    var opts = { boostDocument: function (id, term, stored) { return (stored && stored.w) || 1; } };
    var hits = index.search(q, opts);
    if (!hits.length) { hits = index.search(q, { boostDocument: opts.boostDocument, combineWith: "OR" }); }
    return hits.slice(0, 12);
  }

  function show(q) {
    list.textContent = "";
    if (!q.trim()) { status.textContent = ""; list.hidden = true; return; }
    var hits = search(q);
    hits.forEach(function (h) {
      var li = document.createElement("li");
      var a = document.createElement("a");
      a.href = root + h.url;
      a.textContent = h.title;
      var kind = document.createElement("span");
      kind.className = "hit-kind";
      kind.textContent = " " + h.kind;
      li.appendChild(a);
      li.appendChild(kind);
      list.appendChild(li);
    });
    list.hidden = hits.length === 0;
    status.textContent = hits.length ? hits.length + " found" : "nothing found";
  }

  input.addEventListener("input", function () { show(input.value); });
  form.addEventListener("submit", function (e) {
    e.preventDefault();
    var first = list.querySelector("a");
    if (first) { window.location.href = first.href; }
  });
  input.addEventListener("keydown", function (e) {
    if (e.key === "ArrowDown") { var a = list.querySelector("a"); if (a) { e.preventDefault(); a.focus(); } }
  });
})();
