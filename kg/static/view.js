/* thb-kg network view: draws the graph handed over as JSON in
 * <script type="application/json" id="thb-data"> with vis-network.
 *
 * Every data-borne string reaches the page through textContent, a
 * vis-network string title (drawn with innerText) or an attribute set with
 * setAttribute; never through innerHTML. Links are made only from http(s)
 * URLs and from the site's own relative page paths.
 */
(function () {
  "use strict";

  var WEB = /^https?:\/\/[^\s<>"]+$/i;
  var PAGE = /^(\.\.\/)*[A-Za-z0-9_\-][A-Za-z0-9_\-.\/]*\.html(#[A-Za-z0-9_\-]*)?$/;
  var DIM = "#dddddd";
  var DIM_LIMIT = 2000;  // past this many nodes, highlight without touching the others
  var emphasised = {};

  function byId(id) { return document.getElementById(id); }

  function el(tag, text, cls) {
    var e = document.createElement(tag);
    if (text !== undefined && text !== null) { e.textContent = String(text); }
    if (cls) { e.className = cls; }
    return e;
  }

  function link(text, href, external) {
    if (!href) { return el("span", text); }
    var ok = external ? WEB.test(href)
      : PAGE.test(href) && href.indexOf("//") < 0 && href.replace(/^(\.\.\/)+/, "").indexOf("..") < 0;
    if (!ok) { return el("span", text); }
    var a = el("a", text);
    a.setAttribute("href", href);
    if (external) {
      a.setAttribute("rel", "noopener noreferrer external");
      a.setAttribute("target", "_blank");
    }
    return a;
  }

  var holder = byId("thb-data");
  if (!holder) { return; }
  function mark(name) { if (window.performance && performance.mark) { performance.mark("thb:" + name); } }
  mark("start");
  var data = JSON.parse(holder.textContent);
  mark("parsed");
  var container = byId("thb-network");
  var state = {
    ready: false,
    readyAt: null,
    highlighted: null,
    kindOn: data.kinds.map(function () { return true; }),
    relOn: data.relations.map(function () { return true; }),
    srcOn: data.sources.map(function () { return true; }),
    day: null,          // "YYYY-12-31" while the time slider is on a year
    overview: !!data.overview
  };
  var api = { data: data, state: state, ready: false };
  window.thbView = api;

  function status(text) {
    var s = byId("thb-status");
    if (s) { s.textContent = text; }
  }

  // ------------------------------------------------------------ nodes and edges
  var adjacency = data.nodes.map(function () { return []; });
  data.edges.forEach(function (e, i) {
    adjacency[e.from].push(i);
    if (e.to !== e.from) { adjacency[e.to].push(i); }
  });

  function kindOf(n) { return data.kinds[data.nodes[n].kind]; }

  // "EU body", "UN legal instrument": the kind in words, with its legal order
  function kindWords(n) {
    var node = data.nodes[n];
    var order = node.o !== undefined ? data.orders[node.o].adj + " " : "";
    return order + kindOf(n).label;
  }
  api.kindWords = kindWords;

  function edgeWord(e) { return e.say || data.relations[e.rel]; }

  function nodeTitle(n) {
    var node = data.nodes[n];
    var d = data.details[n];
    var lines = [node.label + " (" + kindWords(n) + ")"];
    if (d.alt && d.alt.length) { lines.push("also: " + d.alt.join("; ")); }
    if (node.u) { lines.push("unconfirmed: no source confirms this"); }
    lines.push(adjacency[n].length + " relation(s); click for details");
    return lines.join("\n");
  }

  function edgeTitle(i) {
    var e = data.edges[i];
    var lines = [data.nodes[e.from].label + " \u2192 " + edgeWord(e) + " \u2192 " + data.nodes[e.to].label +
      (e.role ? " (as " + e.role + ")" : "")];
    (e.facts || []).forEach(function (f) { lines.push(f[0] + ": " + f[1]); });
    var titles = e.src.map(function (s) { return data.sources[s].title; });
    if (titles.length) { lines.push("source: " + titles.join("; ")); }
    if (e.u) { lines.push("unconfirmed: no source confirms this"); }
    return lines.join("\n");
  }

  var visNodes = data.nodes.map(function (node, n) {
    var item = { id: n, label: node.label, group: data.kinds[node.kind].key, title: nodeTitle(n) };
    if (node.x !== undefined) { item.x = node.x; item.y = node.y; }
    if (node.u) { item.shapeProperties = { borderDashes: [4, 3] }; item.borderWidth = 2; }
    return item;
  });
  var visEdges = data.edges.map(function (e, i) {
    var item = { id: i, from: e.from, to: e.to, title: edgeTitle(i) };
    if (data.edgeLabels) { item.label = e.role || edgeWord(e); }
    if (e.u) { item.dashes = [6, 4]; }
    return item;
  });
  var ov = data.overview;
  if (ov) {
    data.kinds.forEach(function (k, i) { state.kindOn[i] = ov.kinds.indexOf(k.key) >= 0; });
    ov.pos.forEach(function (p) { visNodes[p[0]].x = p[1]; visNodes[p[0]].y = p[2]; });
    data.options.physics.enabled = false;
    data.options.nodes.font.size = 15;
    data.options.nodes.scaling = { label: { drawThreshold: 4 } };
    data.options.nodes.widthConstraint = { maximum: ov.wrap };
  }
  var nodes = new vis.DataSet(visNodes);
  var edges = new vis.DataSet(visEdges);
  mark("datasets");
  api.nodes = nodes;
  api.edges = edges;

  if (!data.nodes.length) {
    status("Nothing to draw: the graph has no nodes.");
    container.appendChild(el("p", "Nothing to draw: the graph has no nodes.", "thb-empty"));
  }

  var network = new vis.Network(container, { nodes: nodes, edges: edges }, data.options);
  api.network = network;
  mark("network");

  var onReady = [];
  function markReady() {
    if (state.ready) { return; }
    state.ready = true;
    state.readyAt = performance.now();
    mark("ready");
    api.ready = true;
    api.readyAt = state.readyAt;
    container.setAttribute("data-ready", "true");
    status(data.nodes.length + " nodes, " + data.edges.length + " relations");
    onReady.splice(0).forEach(function (f) { f(); });
  }

  if (data.physics && data.nodes.length && !ov) {
    status("Laying out " + data.nodes.length + " nodes\u2026");
    network.once("stabilizationIterationsDone", function () {
      network.setOptions({ physics: false });
      network.fit({ animation: false });
      network.once("afterDrawing", markReady);
      network.redraw();
    });
  } else {
    network.once("afterDrawing", markReady);
    network.redraw();
  }
  if (!data.nodes.length) { markReady(); }

  api.drawnNodeCount = function () {
    var body = network.body;
    return body.nodeIndices.filter(function (id) {
      var n = body.nodes[id];
      return n && n.options.hidden !== true;
    }).length;
  };
  api.drawnEdgeCount = function () {
    var body = network.body;
    return body.edgeIndices.filter(function (id) {
      var e = body.edges[id];
      return e && e.options.hidden !== true && e.from && e.to &&
        e.from.options.hidden !== true && e.to.options.hidden !== true;
    }).length;
  };
  api.nodeIdOf = function (iri) {
    for (var i = 0; i < data.details.length; i++) {
      if (data.details[i].iri === iri) { return i; }
    }
    return null;
  };

  // ------------------------------------------------------------ highlight
  function highlight(n) {
    var keep = {};
    if (n !== null) {
      keep[n] = true;
      adjacency[n].forEach(function (i) { keep[data.edges[i].from] = true; keep[data.edges[i].to] = true; });
    }
    // Small graphs: dim everything outside the neighbourhood. Big ones: updating
    // thousands of nodes takes seconds, so emphasise the neighbourhood instead.
    var big = data.nodes.length > DIM_LIMIT;
    var changes = [];
    var candidates = big ? Object.keys(emphasised).map(Number).concat(Object.keys(keep).map(Number))
      : data.nodes.map(function (node, i) { return i; });
    candidates.forEach(function (i) {
      var node = data.nodes[i];
      var key = data.kinds[node.kind].key;
      var want = big ? (n !== null && keep[i] ? key + "~hi" : key)
        : (n === null || keep[i] ? key : key + "~dim");
      if (big) { if (want === key) { delete emphasised[i]; } else { emphasised[i] = true; } }
      if (visNodes[i].group !== want) {
        visNodes[i].group = want;
        changes.push({ id: i, group: want });
      }
    });
    if (changes.length) { nodes.update(changes); }
    state.highlighted = n;
    if (big) { return; }  // vis-network already marks a selected node's edges
    var edgeChanges = [];
    data.edges.forEach(function (e, i) {
      var dim = n !== null && e.from !== n && e.to !== n;
      if (!!visEdges[i].dim !== dim) {
        visEdges[i].dim = dim;
        edgeChanges.push({ id: i, color: dim ? { color: DIM, opacity: 0.4 } : { color: data.edgeColor, opacity: 1 } });
      }
    });
    if (edgeChanges.length) { edges.update(edgeChanges); }
  }
  api.highlight = highlight;

  // ------------------------------------------------------------ details panel
  var panel = byId("thb-details");

  function sourceLinks(list) {
    var span = el("span", null, "thb-sources");
    list.forEach(function (s, k) {
      var src = data.sources[s];
      if (k) { span.appendChild(document.createTextNode(" \u00b7 ")); }
      var a = src.href ? link(src.title, src.href, true) : el("span", src.title);
      a.classList.add("thb-source");
      if (src.u) { a.classList.add("thb-unconfirmed"); a.setAttribute("title", "unconfirmed source"); }
      span.appendChild(a);
      if (src.page) {
        span.appendChild(document.createTextNode(" "));
        var p = link("(page)", src.page, false);
        p.classList.add("thb-source-page");
        span.appendChild(p);
      }
    });
    return span;
  }

  function nodeRef(n) {
    var a = el("a", data.nodes[n].label, "thb-node-ref");
    a.setAttribute("href", "#");
    a.setAttribute("data-node", String(n));
    a.addEventListener("click", function (ev) { ev.preventDefault(); select(n, true); });
    return a;
  }

  function factRows(table, facts) {
    facts.forEach(function (f) {
      var tr = el("tr");
      tr.appendChild(el("th", f[0]));
      var td = el("td");
      if (f[2] !== null && f[2] !== undefined && f[2] >= 0) { td.appendChild(nodeRef(f[2])); }
      else { td.appendChild(el("span", f[1])); }
      tr.appendChild(td);
      var tdSrc = el("td");
      tdSrc.appendChild(sourceLinks(f[3] || []));
      tr.appendChild(tdSrc);
      table.appendChild(tr);
    });
  }

  // Each relation once, read from node n: an outgoing edge as it is, an incoming
  // one by its inverse ("guardian of" -> "has guardian") where the ontology has one.
  function relationRows(n) {
    var rows = [];
    var byKey = {};
    adjacency[n].forEach(function (i) {
      var e = data.edges[i];
      var out = e.from === n;
      var word = out ? edgeWord(e) : (e.say ? null : (data.inverse || [])[e.rel]);
      var other = out ? e.to : e.from;
      var key = [word === null ? "in:" + edgeWord(e) : word, other, e.role || ""].join("\u0000");
      var row = byKey[key];
      if (!row) {
        row = byKey[key] = { edge: e, word: word === undefined ? null : word, other: other, src: [], u: true };
        rows.push(row);
      }
      e.src.forEach(function (s) { if (row.src.indexOf(s) < 0) { row.src.push(s); } });
      row.u = row.u && !!e.u;
    });
    return rows;
  }
  api.relationRows = relationRows;

  function showDetails(n) {
    if (!panel) { return; }
    var node = data.nodes[n];
    var d = data.details[n];
    while (panel.firstChild) { panel.removeChild(panel.firstChild); }
    var close = el("button", "\u00d7", "thb-close");
    close.setAttribute("type", "button");
    close.setAttribute("aria-label", "Close details");
    close.addEventListener("click", function () { panel.hidden = true; network.unselectAll(); highlight(null); });
    panel.appendChild(close);
    panel.appendChild(el("h2", node.label));
    panel.appendChild(el("p", kindWords(n), "thb-kind"));
    if (node.u || d.someU) {
      panel.appendChild(el("p", node.u ? "Unconfirmed: no source confirms this entity; its statements come only from sources marked unconfirmed."
        : "Some statements below come from a source marked unconfirmed (dashed).", "thb-note thb-unconfirmed-note"));
    }
    var iri = el("p", null, "thb-iri");
    iri.appendChild(link(d.iri, d.iri, true));
    panel.appendChild(iri);
    if (d.page) {
      var pg = el("p", null, "thb-page");
      pg.appendChild(link("Open the page of " + node.label, d.page, false));
      panel.appendChild(pg);
    }
    if (d.types.length) { panel.appendChild(el("p", "In the data: " + d.types.join(", "), "thb-types")); }
    if (d.alt && d.alt.length) { panel.appendChild(el("p", "Also called: " + d.alt.join("; "), "thb-alt")); }
    if (d.links.length) {
      var ul = el("ul", null, "thb-links");
      d.links.forEach(function (l) { var li = el("li"); li.appendChild(link(l[0], l[1], true)); ul.appendChild(li); });
      panel.appendChild(el("h3", "Links"));
      panel.appendChild(ul);
    }
    if (d.facts.length) {
      panel.appendChild(el("h3", "Facts"));
      var table = el("table", null, "thb-facts");
      factRows(table, d.facts);
      panel.appendChild(table);
    }
    var rows = relationRows(n);
    if (rows.length) {
      panel.appendChild(el("h3", "Relations"));
      var rel = el("ul", null, "thb-relations-list");
      rows.forEach(function (row) {
        var e = row.edge;
        var li = el("li", null, row.u ? "thb-unconfirmed" : null);
        if (row.word !== null) {  // read from this node: "has guardian UNODC"
          li.appendChild(el("span", row.word + " "));
          li.appendChild(nodeRef(row.other));
        } else {                  // no word for the other way round: "Europol established by this"
          li.appendChild(nodeRef(row.other));
          li.appendChild(el("span", " " + edgeWord(e) + " "));
          li.appendChild(el("span", node.label, "thb-self"));
        }
        if (e.role) { li.appendChild(el("span", " as " + e.role, "thb-role")); }
        if (e.facts && e.facts.length) {
          li.appendChild(el("span", " (" + e.facts.map(function (f) { return f[0] + ": " + f[1]; }).join("; ") + ")", "thb-edge-facts"));
        }
        li.appendChild(el("span", " \u2014 ", "thb-sep"));
        li.appendChild(sourceLinks(row.src));
        if (row.u) { li.appendChild(el("span", " (unconfirmed)", "thb-unconfirmed-tag")); }
        rel.appendChild(li);
      });
      panel.appendChild(rel);
    }
    if (d.notes && d.notes.length) {
      panel.appendChild(el("h3", "Claims and notes"));
      var notes = el("ul", null, "thb-notes");
      d.notes.forEach(function (note) {
        var li = el("li", null, note[3] ? "thb-unconfirmed" : null);
        li.appendChild(el("strong", note[0] + ": "));
        li.appendChild(el("span", note[1]));
        li.appendChild(el("span", " \u2014 ", "thb-sep"));
        li.appendChild(sourceLinks(note[2]));
        if (note[3]) { li.appendChild(el("span", " (unconfirmed)", "thb-unconfirmed-tag")); }
        notes.appendChild(li);
      });
      panel.appendChild(notes);
    }
    panel.hidden = false;
  }
  api.showDetails = showDetails;

  function select(n, open) {
    network.selectNodes([n]);
    highlight(n);
    if (open !== false) { showDetails(n); }
    var pos = network.getPositions([n])[n];
    if (pos) { network.moveTo({ position: pos, scale: Math.max(network.getScale(), 0.9), animation: false }); }
    api.selected = n;
  }
  api.select = select;

  network.on("click", function (params) {
    if (params.nodes.length) {
      select(params.nodes[0], true);
    } else if (!params.edges.length) {
      highlight(null);
      api.selected = null;
    }
  });

  // ------------------------------------------------------------ search
  var names = byId("thb-names");
  if (names && data.nodes.length <= 3000) {
    var seen = {};
    data.nodes.map(function (n) { return n.label; }).sort().forEach(function (label) {
      if (seen[label]) { return; }
      seen[label] = true;
      var o = document.createElement("option");
      o.value = label;
      names.appendChild(o);
    });
  }

  function find(text) {
    var q = text.trim().toLowerCase();
    if (!q) { return null; }
    var tests = [
      function (n) { return data.nodes[n].label.toLowerCase() === q; },
      function (n) { return (data.details[n].alt || []).some(function (a) { return a.toLowerCase() === q; }); },
      function (n) { return data.details[n].iri.toLowerCase() === q; },
      function (n) { return data.nodes[n].label.toLowerCase().indexOf(q) === 0; },
      function (n) { return data.nodes[n].label.toLowerCase().indexOf(q) >= 0; },
      function (n) { return (data.details[n].alt || []).some(function (a) { return a.toLowerCase().indexOf(q) >= 0; }); }
    ];
    for (var t = 0; t < tests.length; t++) {
      for (var n = 0; n < data.nodes.length; n++) {
        if (visNodes[n].hidden) { continue; }
        if (tests[t](n)) { return n; }
      }
    }
    return null;
  }
  api.find = find;

  var form = byId("thb-search-form");
  if (form) {
    form.addEventListener("submit", function (ev) {
      ev.preventDefault();
      var text = byId("thb-search").value;
      var n = find(text);
      if (n === null) { status("No visible node matches \u201c" + text + "\u201d."); return; }
      select(n, true);
      status("Found " + data.nodes[n].label + ".");
    });
  }
  var fit = byId("thb-fit");
  if (fit) { fit.addEventListener("click", function () { network.fit({ animation: false }); }); }

  // ------------------------------------------------------------ time: the rule of --as-of
  // A node or edge is out on day D when it starts after D or ends before it;
  // undated things stay in; an edge stays while any of its spans holds and
  // both its ends do (kg/network/validity.py, in_force_on).
  function holds(t) {
    if (!t || state.day === null) { return true; }
    return !((t[0] && t[0] > state.day) || (t[1] && t[1] < state.day));
  }
  function edgeHolds(e) {
    if (!e.t || state.day === null) { return true; }
    return e.t.some(holds);
  }

  // ------------------------------------------------------------ filters and legend
  function applyFilters() {
    var nodeTime = data.nodes.map(function (node) { return holds(node.t); });
    var edgeVisible = data.edges.map(function (e) {
      return state.relOn[e.rel] && e.src.some(function (s) { return state.srcOn[s]; }) &&
        state.kindOn[data.nodes[e.from].kind] && state.kindOn[data.nodes[e.to].kind] &&
        nodeTime[e.from] && nodeTime[e.to] && edgeHolds(e);
    });
    var nodeChanges = [];
    data.nodes.forEach(function (node, n) {
      var visible = state.kindOn[node.kind] && nodeTime[n];
      if (visible && (node.src.length || adjacency[n].length)) {
        visible = node.src.some(function (s) { return state.srcOn[s]; }) ||
          adjacency[n].some(function (i) { return edgeVisible[i]; });
      }
      if (!!visNodes[n].hidden === visible) {
        visNodes[n].hidden = !visible;
        nodeChanges.push({ id: n, hidden: !visible });
      }
    });
    var edgeChanges = [];
    data.edges.forEach(function (e, i) {
      var hide = !edgeVisible[i];
      if (!!visEdges[i].hidden !== hide) {
        visEdges[i].hidden = hide;
        edgeChanges.push({ id: i, hidden: hide });
      }
    });
    if (nodeChanges.length) { nodes.update(nodeChanges); }
    if (edgeChanges.length) { edges.update(edgeChanges); }
    status(api.drawnNodeCount() + " of " + data.nodes.length + " nodes shown" +
      (state.day ? ", as on " + state.day : ""));
  }
  api.applyFilters = applyFilters;

  var lists = {};
  function checkboxList(listId, items, flags, render, what) {
    var ul = byId(listId);
    if (!ul) { return; }
    var boxes = [];
    function sync() { boxes.forEach(function (b, i) { b.checked = flags[i]; }); }
    lists[listId] = sync;
    var bar = el("li", null, "thb-bulk");
    var all = el("button", "all", "thb-all");
    all.setAttribute("type", "button");
    all.setAttribute("aria-label", "Show all " + what);
    all.addEventListener("click", function () {
      flags.forEach(function (f, i) { flags[i] = true; });
      sync();
      applyFilters();
    });
    bar.appendChild(all);
    ul.appendChild(bar);
    items.forEach(function (item, i) {
      var li = el("li");
      var label = el("label");
      var box = document.createElement("input");
      box.setAttribute("type", "checkbox");
      box.checked = flags[i];
      box.setAttribute("data-index", String(i));
      box.addEventListener("change", function () { flags[i] = box.checked; applyFilters(); });
      boxes.push(box);
      label.appendChild(box);
      render(label, item, i);
      li.appendChild(label);
      var only = el("button", "only", "thb-only");
      only.setAttribute("type", "button");
      only.setAttribute("aria-label", "Only " + label.textContent.trim());
      only.addEventListener("click", function () {
        flags.forEach(function (f, k) { flags[k] = k === i; });
        sync();
        applyFilters();
      });
      li.appendChild(only);
      ul.appendChild(li);
    });
  }

  checkboxList("thb-legend", data.kinds, state.kindOn, function (label, kind) {
    var sw = el("span", null, "thb-swatch thb-shape-" + kind.shape);
    sw.style.backgroundColor = kind.color;
    label.appendChild(sw);
    label.appendChild(el("span", kind.label + " (" + kind.count + ")"));
    label.setAttribute("data-kind", kind.key);
  }, "classes");
  checkboxList("thb-relations", data.relations, state.relOn, function (label, rel, i) {
    var count = data.edges.filter(function (e) { return e.rel === i; }).length;
    label.appendChild(el("span", rel + " (" + count + ")"));
  }, "relations");
  checkboxList("thb-sources", data.sources, state.srcOn, function (label, src) {
    label.appendChild(el("span", src.title, src.u ? "thb-unconfirmed" : null));
    if (src.u) { label.appendChild(el("span", " (unconfirmed)", "thb-unconfirmed-tag")); }
  }, "sources");

  // ------------------------------------------------------------ the time slider
  var slider = byId("thb-year");
  var sliderOut = byId("thb-year-out");
  function setYear(year) {
    var last = data.years ? data.years[1] + 1 : null;
    if (year === null || year >= last) {
      state.day = null;
      if (sliderOut) { sliderOut.textContent = "all years"; }
    } else {
      state.day = String(year) + "-12-31";
      if (sliderOut) { sliderOut.textContent = "31 December " + year; }
    }
    applyFilters();
  }
  api.setYear = setYear;
  if (slider && data.years && !data.asOf) {
    slider.setAttribute("min", String(data.years[0]));
    slider.setAttribute("max", String(data.years[1] + 1));
    slider.value = String(data.years[1] + 1);
    slider.setAttribute("aria-valuetext", "all years");
    slider.addEventListener("input", function () {
      setYear(parseInt(slider.value, 10));
      slider.setAttribute("aria-valuetext", sliderOut ? sliderOut.textContent : slider.value);
    });
    byId("thb-time").hidden = false;
  }

  // ------------------------------------------------------------ overview and the whole graph
  var whole = byId("thb-whole");
  function corePositions(useOverview) {
    if (!ov) { return; }
    var changes = ov.pos.map(function (p) {
      var node = data.nodes[p[0]];
      return useOverview || node.x === undefined ? { id: p[0], x: p[1], y: p[2] } : { id: p[0], x: node.x, y: node.y };
    });
    nodes.update(changes);
  }
  function showOverview(on) {
    state.overview = on;
    data.kinds.forEach(function (k, i) { state.kindOn[i] = !on || ov.kinds.indexOf(k.key) >= 0; });
    if (lists["thb-legend"]) { lists["thb-legend"](); }
    applyFilters();
    if (whole) { whole.textContent = on ? "Show the whole graph" : "Back to the overview"; }
    if (on) {
      network.setOptions({ physics: { enabled: false } });
      corePositions(true);
      network.fit({ nodes: ov.pos.map(function (p) { return p[0]; }), animation: false });
    } else if (data.physics) {
      status("Laying out " + data.nodes.length + " nodes\u2026");
      network.once("stabilized", function () {
        network.setOptions({ physics: { enabled: false } });
        network.fit({ animation: false });
        status(api.drawnNodeCount() + " of " + data.nodes.length + " nodes shown");
      });
      network.setOptions({ physics: { enabled: true } });
      network.stabilize(200);
    } else {
      corePositions(false);
      network.fit({ animation: false });
    }
  }
  api.showOverview = showOverview;
  if (ov) {
    applyFilters();
    network.fit({ nodes: ov.pos.map(function (p) { return p[0]; }), animation: false });
    if (whole) {
      whole.hidden = false;
      whole.addEventListener("click", function () { showOverview(!state.overview); });
    }
    network.on("afterDrawing", function (ctx) {  // each legal order's name over its column
      if (!state.overview) { return; }
      ctx.save();
      ctx.font = "bold 30px system-ui, sans-serif";
      ctx.fillStyle = "#1a1a1a";
      ctx.textAlign = "center";
      ov.columns.forEach(function (c) { ctx.fillText(c.title, c.x, c.y); });
      ctx.restore();
    });
  }

  // ------------------------------------------------------------ PNG of what is drawn
  function pngName() {
    return (data.title.toLowerCase().replace(/[^a-z0-9]+/g, "-").replace(/^-+|-+$/g, "") || "network") + ".png";
  }
  function downloadPng() {
    var src = container.querySelector("canvas");
    if (!src) { return; }
    var out = document.createElement("canvas");
    out.width = src.width;
    out.height = src.height;
    var c = out.getContext("2d");
    c.fillStyle = "#ffffff";  // the network's canvas is transparent
    c.fillRect(0, 0, out.width, out.height);
    c.drawImage(src, 0, 0);
    out.toBlob(function (blob) {
      var a = document.createElement("a");
      var url = URL.createObjectURL(blob);
      a.setAttribute("href", url);
      a.setAttribute("download", pngName());
      a.hidden = true;
      document.body.appendChild(a);
      a.click();
      setTimeout(function () { URL.revokeObjectURL(url); a.remove(); }, 1000);
    }, "image/png");
  }
  api.downloadPng = downloadPng;
  var png = byId("thb-png");
  if (png) { png.addEventListener("click", downloadPng); }

  // ------------------------------------------------------------ small screens: filters fold away
  var toggle = byId("thb-filters-toggle");
  var view = byId("thb-view");
  if (toggle && view) {
    toggle.addEventListener("click", function () {
      var open = view.classList.toggle("thb-filters-open");
      toggle.setAttribute("aria-expanded", open ? "true" : "false");
    });
  }

  if (data.focus !== null && data.focus !== undefined) {
    var whenReady = function () { select(data.focus, data.openFocus); };
    if (state.ready) { whenReady(); } else { onReady.push(whenReady); }
  }
})();
