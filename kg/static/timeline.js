/* thb-kg timeline page: draws the JSON in <script type="application/json"
 * id="thb-timeline-data"> with vis-timeline: one row per legal order, bars
 * for periods, marks for dated facts; filters by legal order and kind.
 *
 * Every data-borne string becomes a DOM text node (textContent) or an
 * attribute set with setAttribute; vis-timeline gets DOM elements for its
 * contents and tooltips, never HTML strings. Links are made only from
 * http(s) URLs and the site's own relative page paths.
 */
(function () {
  "use strict";

  var WEB = /^https?:\/\/[^\s<>"]+$/i;
  var PAGE = /^(\.\.\/)*[A-Za-z0-9_\-][A-Za-z0-9_\-.\/]*\.html(#[A-Za-z0-9_\-]*)?$/;
  var YEAR = 365.25 * 24 * 3600 * 1000;

  function byId(id) { return document.getElementById(id); }
  function el(tag, text, cls) {
    var e = document.createElement(tag);
    if (text !== undefined && text !== null) { e.textContent = String(text); }
    if (cls) { e.className = cls; }
    return e;
  }
  function link(text, href, external) {
    var ok = href && (external ? WEB.test(href)
      : PAGE.test(href) && href.indexOf("//") < 0 && href.replace(/^(\.\.\/)+/, "").indexOf("..") < 0);
    if (!ok) { return el("span", text); }
    var a = el("a", text);
    a.setAttribute("href", href);
    if (external) { a.setAttribute("rel", "noopener noreferrer external"); }
    return a;
  }

  var holder = byId("thb-timeline-data");
  var container = byId("thb-timeline");
  if (!holder || !container || typeof vis === "undefined") { return; }
  var data = JSON.parse(holder.textContent);
  var kindByIndex = {};
  data.kinds.forEach(function (k) { kindByIndex[k.index] = k; });
  var state = {
    rowOn: data.rows.map(function () { return true; }),
    kindOn: {}
  };
  data.kinds.forEach(function (k) { state.kindOn[k.index] = true; });
  var api = { data: data, state: state, ready: false };
  window.thbTimeline = api;

  function when(it) {
    if (it.end === undefined) { return it.shown || it.start; }
    return it.start + " \u2013 " + (it.open ? "" : it.end);
  }
  function tooltip(it) {
    var box = el("div", null, "tl-tip");
    box.appendChild(el("strong", it.label));
    box.appendChild(el("div", it.what + ": " + when(it)));
    var titles = it.src.map(function (s) { return data.sources[s].title; });
    if (titles.length) { box.appendChild(el("div", "source: " + titles.join("; "), "tl-tip-src")); }
    return box;
  }

  var groups = new vis.DataSet(data.rows.map(function (row, i) {
    return { id: i, content: el("span", row), order: i };
  }));
  var items = new vis.DataSet(data.items.map(function (it, k) {
    var kind = kindByIndex[it.kind];
    var item = {
      id: k,
      group: it.row,
      start: it.start,
      title: tooltip(it),
      className: "tl-k-" + kind.key + (it.open ? " tl-open" : "") + (it.u ? " tl-u" : "")
    };
    if (it.end !== undefined) {
      item.end = it.end;
      item.type = "range";
      item.content = el("span", it.label);
    } else {
      item.type = "point";
      item.content = el("span", "");
    }
    return item;
  }));
  var visible = new vis.DataView(items, {
    filter: function (item) {
      var it = data.items[item.id];
      return state.rowOn[it.row] && state.kindOn[it.kind];
    }
  });
  var starts = data.items.map(function (it) { return Date.parse(it.start); });
  var ends = data.items.map(function (it) { return Date.parse(it.end || it.start); });
  var first = Math.min.apply(null, starts);
  var last = Math.max.apply(null, ends);
  // open on where most things happen: from the 5th percentile of the starts on
  var sorted = starts.slice().sort(function (a, b) { return a - b; });
  var from = sorted[Math.floor(sorted.length * 0.05)] || first;
  var timeline = new vis.Timeline(container, visible, groups, {
    stack: true,
    orientation: "top",
    zoomMin: YEAR / 6,
    zoomMax: (last - first) * 1.3 + YEAR,
    min: first - 5 * YEAR,
    max: last + 5 * YEAR,
    start: from - YEAR,
    end: last + YEAR,
    verticalScroll: true,
    maxHeight: 640,
    margin: { item: { horizontal: 2, vertical: 4 } },
    tooltip: { followMouse: true, overflowMethod: "cap", delay: 150 },
    showCurrentTime: false,
    selectable: true,
    groupHeightMode: "auto"
  });
  api.timeline = timeline;
  api.items = items;
  api.visible = visible;

  function status() {
    var s = byId("thb-tl-status");
    if (s) { s.textContent = visible.length + " of " + data.items.length + " shown"; }
  }
  api.shownCount = function () { return visible.length; };

  function refresh() {
    groups.update(data.rows.map(function (row, i) { return { id: i, visible: state.rowOn[i] }; }));
    visible.refresh();
    status();
  }
  api.refresh = refresh;

  // ------------------------------------------------------------ details of a bar or mark
  var details = byId("thb-tl-details");
  function show(k) {
    if (!details) { return; }
    while (details.firstChild) { details.removeChild(details.firstChild); }
    if (k === null || k === undefined) { return; }
    var it = data.items[k];
    var head = el("p", null, "tl-head");
    head.appendChild(link(it.label, it.page, false));
    head.appendChild(el("span", " \u2014 " + it.what + ": " + when(it) + (it.open ? " (no end in the sources)" : "")));
    details.appendChild(head);
    var srcs = el("p", "Source: ", "tl-src");
    it.src.forEach(function (s, i) {
      var info = data.sources[s];
      if (i) { srcs.appendChild(document.createTextNode(" \u00b7 ")); }
      srcs.appendChild(info.page ? link(info.title, info.page, false) : el("span", info.title));
      if (info.href) {
        srcs.appendChild(document.createTextNode(" "));
        srcs.appendChild(link("[document]", info.href, true));
      }
    });
    details.appendChild(srcs);
  }
  api.show = show;
  timeline.on("select", function (props) { show(props.items.length ? props.items[0] : null); });

  // ------------------------------------------------------------ filters and zoom
  var controls = byId("thb-tl-controls");
  if (controls) {
    controls.hidden = false;
    Array.prototype.forEach.call(controls.querySelectorAll("input[data-row]"), function (box) {
      box.addEventListener("change", function () {
        state.rowOn[parseInt(box.getAttribute("data-row"), 10)] = box.checked;
        refresh();
      });
    });
    Array.prototype.forEach.call(controls.querySelectorAll("input[data-kind]"), function (box) {
      box.addEventListener("change", function () {
        state.kindOn[parseInt(box.getAttribute("data-kind"), 10)] = box.checked;
        refresh();
      });
    });
  }
  function on(id, f) { var b = byId(id); if (b) { b.addEventListener("click", f); } }
  on("thb-tl-in", function () { timeline.zoomIn(0.5, { animation: false }); });
  on("thb-tl-out", function () { timeline.zoomOut(0.5, { animation: false }); });
  on("thb-tl-fit", function () { timeline.fit({ animation: false }); });

  // a scrolling panel must be reachable from the keyboard (arrows scroll it)
  timeline.on("changed", function () {
    var names = { "vis-left": "Legal orders", "vis-center": "Bars and marks", "vis-right": "Right margin" };
    Array.prototype.forEach.call(container.querySelectorAll(".vis-vertical-scroll"), function (p) {
      if (!p.hasAttribute("tabindex")) {
        var which = Object.keys(names).filter(function (c) { return p.classList.contains(c); })[0];
        p.setAttribute("tabindex", "0");
        p.setAttribute("role", "region");
        p.setAttribute("aria-label", (names[which] || "Timeline") + ", scrollable");
      }
    });
  });
  timeline.once("changed", function () {
    api.ready = true;
    container.setAttribute("data-ready", "true");
  });
  status();
})();
