/* thb-kg query page (kg serve): the editor, the examples, the permalink,
 * the results, downloads, the network view and the errors' places.
 *
 * Data reaches the page only as JSON and through textContent or
 * setAttribute, never innerHTML. Every request goes to this page's own
 * origin (the Content-Security-Policy allows no other).
 */
(function () {
  "use strict";

  var CM = window.ThbEditor;
  var examples = JSON.parse(document.getElementById("examples-data").textContent);
  var config = JSON.parse(document.getElementById("page-config").textContent);
  var prefixes = config.prefixes;
  var terms = config.terms || {};

  function byId(id) { return document.getElementById(id); }
  var select = byId("examples");
  var textarea = byId("query");
  var question = byId("question");
  var description = byId("description");
  var statusEl = byId("status");
  var errorBox = byId("error");
  var errorText = byId("error-text");
  var errorWhere = byId("error-where");
  var results = byId("results");
  var downloads = byId("downloads");
  var permalink = byId("permalink");
  var showNetwork = byId("show-network");
  var showTable = byId("show-table");
  var networkBox = byId("network-box");
  var pristineWidget = byId("thb-view").cloneNode(true);
  var api = { ran: 0, lastRun: null };
  window.thbQuery = api;

  // ------------------------------------------------------------ completion
  var KEYWORDS = ("SELECT CONSTRUCT DESCRIBE ASK WHERE FILTER OPTIONAL UNION MINUS GRAPH BIND VALUES " +
    "DISTINCT REDUCED ORDER BY GROUP HAVING LIMIT OFFSET AS ASC DESC PREFIX BASE NOT EXISTS IN " +
    "COUNT SUM MIN MAX AVG SAMPLE GROUP_CONCAT SEPARATOR STR LANG LANGMATCHES DATATYPE BOUND IRI " +
    "COALESCE IF REGEX CONTAINS STRSTARTS STRENDS LCASE UCASE YEAR MONTH DAY NOW isIRI isLiteral " +
    "isBlank SAMETERM").split(" ");

  function complete(context) {
    var line = context.state.doc.lineAt(context.pos);
    var before = line.text.slice(0, context.pos - line.from);
    var m = /\bPREFIX\s+([A-Za-z][\w-]*)?$/i.exec(before);
    if (m) {  // a PREFIX declaration: the whole line
      return {
        from: context.pos - (m[1] || "").length,
        options: Object.keys(prefixes).map(function (p) {
          return { label: p + ":", apply: p + ": <" + prefixes[p] + ">", detail: prefixes[p], type: "namespace" };
        })
      };
    }
    m = /(^|[^\w?$<:-])([A-Za-z][\w-]*):([\w-]*)$/.exec(before);
    if (m && terms[m[2]]) {  // a term of one of our vocabularies
      return {
        from: context.pos - m[3].length,
        options: terms[m[2]].map(function (t) { return { label: t, type: /^[A-Z]/.test(t) ? "class" : "property" }; }),
        validFor: /^[\w-]*$/
      };
    }
    m = /(^|[^\w?$<:-])([A-Za-z][\w-]*)$/.exec(before);
    if (!m || (!context.explicit && m[2].length < 1)) { return null; }
    var options = Object.keys(prefixes).map(function (p) {
      return { label: p + ":", detail: prefixes[p], type: "namespace", boost: 1 };
    }).concat(KEYWORDS.map(function (k) { return { label: k, type: "keyword" }; }));
    return { from: context.pos - m[2].length, options: options, validFor: /^[\w-]*$/ };
  }

  // ------------------------------------------------------------ the editor
  var view = null;
  function text() { return view ? view.state.doc.toString() : textarea.value; }
  function setText(value) {
    if (view) {
      view.dispatch({ changes: { from: 0, to: view.state.doc.length, insert: value } });
    } else { textarea.value = value; }
  }

  if (CM) {
    var parent = byId("editor");
    view = new CM.EditorView({
      parent: parent,
      state: CM.EditorState.create({
        doc: textarea.value,
        extensions: [
          CM.EditorView.cspNonce.of(config.styleNonce),  // its style elements, under the CSP
          CM.basicSetup,
          CM.sparql(),
          CM.lintGutter(),
          CM.EditorState.languageData.of(function () { return [{ autocomplete: complete }]; }),
          CM.Prec.highest(CM.keymap.of([{ key: "Mod-Enter", run: function () { run(); return true; } }])),
          CM.EditorView.contentAttributes.of({ "aria-label": "SPARQL query", spellcheck: "false" }),
          CM.EditorView.updateListener.of(function (update) {
            if (update.docChanged) { textarea.value = update.state.doc.toString(); scheduleLink(); }
          })
        ]
      })
    });
    textarea.hidden = true;
    textarea.style.display = "none";
    api.editor = view;
  }

  // ------------------------------------------------------------ permalink
  function linkFor(query, runIt) {
    return "?query=" + encodeURIComponent(query) + (runIt ? "&run=1" : "");
  }
  var linkTimer = null;
  function updateLink(runIt) {
    if (linkTimer) { clearTimeout(linkTimer); linkTimer = null; }
    var href = linkFor(text(), runIt);
    permalink.setAttribute("href", href);
    if (window.location.search !== href) { window.history.replaceState(null, "", href); }
  }
  function scheduleLink() {
    if (linkTimer) { clearTimeout(linkTimer); }
    linkTimer = setTimeout(function () { linkTimer = null; updateLink(false); }, 250);
  }
  permalink.setAttribute("href", linkFor(text(), config.run));

  // ------------------------------------------------------------ examples
  function showExample(q) {
    question.textContent = q ? q.question : "";
    description.textContent = q ? q.description : "";
  }
  select.addEventListener("change", function () {
    var q = examples.filter(function (e) { return e.name === select.value; })[0];
    showExample(q);
    if (!q) { return; }
    setText(q.sparql);
    updateLink(false);
  });
  var current = examples.filter(function (e) { return e.sparql === textarea.value; })[0];
  if (current) { select.value = current.name; showExample(current); }

  // ------------------------------------------------------------ results
  function shorten(iri) {
    var best = "", bestPrefix = "";
    Object.keys(prefixes).forEach(function (p) {
      var ns = prefixes[p];
      if (iri.indexOf(ns) === 0 && ns.length > best.length && /^[\w\-.\/]*$/.test(iri.slice(ns.length))) {
        best = ns; bestPrefix = p;
      }
    });
    return best ? bestPrefix + ":" + iri.slice(best.length) : iri;
  }

  function cell(term) {
    var td = document.createElement("td");
    if (!term) { return td; }
    if (term.type === "uri") {
      var a = document.createElement("a");
      if (/^https?:\/\//.test(term.value)) { a.setAttribute("href", term.value); }
      a.textContent = shorten(term.value);
      a.setAttribute("title", term.value);
      td.appendChild(a);
    } else if (term.type === "bnode") {
      td.textContent = "_:" + term.value;
    } else {
      var span = document.createElement("span");
      span.className = "lit";
      span.textContent = term.value;
      td.appendChild(span);
      var tag = term["xml:lang"] ? "@" + term["xml:lang"] : (term.datatype ? shorten(term.datatype) : "");
      if (tag) {
        var dt = document.createElement("span");
        dt.className = "dt";
        dt.textContent = " " + tag;
        td.appendChild(dt);
      }
    }
    return td;
  }

  function renderTable(data) {
    results.replaceChildren();
    if (typeof data.boolean === "boolean") {
      var p = document.createElement("p");
      p.textContent = "Answer: " + data.boolean;
      results.appendChild(p);
      return 0;
    }
    var vars = data.head.vars || [];
    var rows = data.results.bindings || [];
    var table = document.createElement("table");
    var head = table.createTHead().insertRow();
    vars.forEach(function (v) {
      var th = document.createElement("th");
      th.textContent = v;
      head.appendChild(th);
    });
    var body = table.createTBody();
    var iris = {};
    rows.forEach(function (row) {
      var tr = body.insertRow();
      vars.forEach(function (v) {
        tr.appendChild(cell(row[v]));
        if (row[v] && row[v].type === "uri") { iris[row[v].value] = true; }
      });
    });
    results.appendChild(table);
    showLabels(table, Object.keys(iris));
    return rows.length;
  }

  // The table gets data-labelled once its IRIs show their labels (or the
  // labels failed and the IRIs stay): what a reader or a test waits for.
  function showLabels(table, iris) {
    function done() { table.setAttribute("data-labelled", "true"); }
    if (!iris.length) { done(); return; }
    fetch("labels", {
      method: "POST", headers: { "Content-Type": "application/json" },
      body: JSON.stringify({ iris: iris })
    }).then(function (response) {
      return response.ok ? response.json() : {};
    }).then(function (names) {
      table.querySelectorAll("a[title]").forEach(function (a) {
        var name = names[a.getAttribute("title")];
        if (typeof name === "string") { a.textContent = name; }
      });
    }).catch(function () { /* labels are a nicety: keep the IRIs */ }).then(done);
  }

  // ------------------------------------------------------------ downloads
  var FORMATS = {
    rows: [["csv", "CSV", "csv"], ["tsv", "TSV", "tsv"], ["json", "JSON", "srj"]],
    boolean: [["json", "JSON", "srj"]],
    graph: [["turtle", "Turtle", "ttl"], ["jsonld", "JSON-LD", "jsonld"], ["nt", "N-Triples", "nt"]]
  };
  function showDownloads(query, kind) {
    downloads.replaceChildren(document.createTextNode("Download: "));
    FORMATS[kind].forEach(function (f) {
      var a = document.createElement("a");
      a.setAttribute("href", "sparql?" + new URLSearchParams({ query: query, format: f[0] }).toString());
      a.setAttribute("download", "query-result." + f[2]);
      a.setAttribute("id", "download-" + f[0]);
      a.textContent = f[1];
      downloads.appendChild(a);
    });
    downloads.hidden = false;
  }

  // ------------------------------------------------------------ errors
  var POSITION = /\(line (\d+), column (\d+)\)/;
  function clearError() {
    errorBox.hidden = true;
    errorText.textContent = "";
    errorWhere.hidden = true;
    if (view) { view.dispatch(CM.setDiagnostics(view.state, [])); }
  }
  function showError(message) {
    errorText.textContent = message;
    errorBox.hidden = false;
    var m = POSITION.exec(message);
    api.errorAt = null;
    if (!m || !view) { return; }
    var doc = view.state.doc;
    var lineNo = Math.min(Math.max(Number(m[1]), 1), doc.lines);
    var line = doc.line(lineNo);
    var from = Math.min(line.from + Math.max(Number(m[2]) - 1, 0), line.to);
    var word = /^[^\s{}().,;]+/.exec(doc.sliceString(from, line.to));
    var to = Math.min(from + (word ? word[0].length : 1), doc.length);
    if (to <= from) { from = Math.max(line.from, from - 1); to = Math.max(to, from + 1); }
    var sentence = message.split("\n")[0];
    view.dispatch(CM.setDiagnostics(view.state, [{ from: from, to: to, severity: "error", message: sentence }]));
    api.errorAt = { line: lineNo, column: Number(m[2]), from: from, to: to };
    errorWhere.textContent = "Go to line " + m[1] + ", column " + m[2];
    errorWhere.hidden = false;
    errorWhere.onclick = function (ev) {
      ev.preventDefault();
      view.dispatch({ selection: { anchor: from, head: to }, scrollIntoView: true });
      view.focus();
    };
  }

  // ------------------------------------------------------------ the network view
  var lastDrawable = null;
  function drawable(kind, data) {
    if (kind === "graph") { return true; }
    if (kind !== "rows") { return false; }
    var vars = data.head.vars || [];
    return ["source", "relation", "target"].every(function (v) { return vars.indexOf(v) >= 0; });
  }

  function runInline(id) {
    var script = document.createElement("script");
    script.textContent = byId(id).textContent;  // the same text: allowed by its hash
    document.body.appendChild(script);
    script.remove();
  }

  function drawNetwork() {
    if (!lastDrawable) { return; }
    var query = lastDrawable;
    statusEl.textContent = "Drawing the network\u2026";
    fetch("network", {
      method: "POST",
      headers: { "Content-Type": "application/sparql-query", "Accept": "application/json" },
      body: query
    }).then(function (response) {
      return response.text().then(function (body) { return [response, body]; });
    }).then(function (pair) {
      var response = pair[0], body = pair[1];
      if (!response.ok) { showError(body.trim()); statusEl.textContent = "Error " + response.status; return; }
      if (window.thbView && window.thbView.network) { window.thbView.network.destroy(); }
      var fresh = pristineWidget.cloneNode(true);
      byId("thb-view").replaceWith(fresh);
      byId("thb-data").textContent = body;
      networkBox.hidden = false;
      results.hidden = true;
      showNetwork.hidden = true;
      showTable.hidden = false;
      if (!window.vis) { runInline("vis-js"); }
      runInline("view-js");
      api.networkDrawn = (api.networkDrawn || 0) + 1;
      var drawn = window.thbView && window.thbView.data;
      statusEl.textContent = drawn ? "Network of " + drawn.nodes.length + " node(s) and " +
        drawn.edges.length + " relation(s)" : "";
    }).catch(function (err) {
      showError("The endpoint could not be reached: " + err);
    });
  }
  showNetwork.addEventListener("click", drawNetwork);
  showTable.addEventListener("click", function () {
    networkBox.hidden = true;
    results.hidden = false;
    showTable.hidden = true;
    showNetwork.hidden = !lastDrawable;
  });

  // ------------------------------------------------------------ run
  function run() {
    var query = text();
    clearError();
    downloads.hidden = true;
    showNetwork.hidden = true;
    showTable.hidden = true;
    networkBox.hidden = true;
    results.hidden = false;
    lastDrawable = null;
    statusEl.textContent = "Running\u2026";
    updateLink(true);
    var started = performance.now();
    fetch("sparql", {
      method: "POST",
      headers: { "Content-Type": "application/sparql-query",
                 "Accept": "application/sparql-results+json, text/turtle;q=0.9" },
      body: query
    }).then(function (response) {
      return response.text().then(function (body) { return [response, body]; });
    }).then(function (pair) {
      var response = pair[0], body = pair[1];
      var seconds = ((performance.now() - started) / 1000).toFixed(2);
      api.ran += 1;
      api.lastRun = query;
      statusEl.setAttribute("data-runs", String(api.ran));
      if (!response.ok) {
        results.replaceChildren();
        showError(body.trim());
        statusEl.textContent = "Error " + response.status + " after " + seconds + " s";
        return;
      }
      var type = response.headers.get("Content-Type") || "";
      var cut = response.headers.get("X-Result-Truncated");
      var kind;
      if (type.indexOf("json") >= 0) {
        var data = JSON.parse(body);
        kind = typeof data.boolean === "boolean" ? "boolean" : "rows";
        var n = renderTable(data);
        statusEl.textContent = (kind === "boolean" ? "Answered" : n + " row(s)") + " in " + seconds + " s" +
          (cut ? " (" + cut + ")" : "");
        if (drawable(kind, data)) { lastDrawable = query; }
      } else {
        kind = "graph";
        results.replaceChildren();
        var pre = document.createElement("pre");
        pre.textContent = body;
        results.appendChild(pre);
        statusEl.textContent = "Triples in " + seconds + " s" + (cut ? " (" + cut + ")" : "");
        lastDrawable = query;
      }
      showDownloads(query, kind);
      showNetwork.hidden = !lastDrawable;
    }).catch(function (err) {
      showError("The endpoint could not be reached: " + err);
      statusEl.textContent = "";
    });
  }
  api.run = run;

  byId("query-form").addEventListener("submit", function (ev) { ev.preventDefault(); run(); });
  if (config.run) { run(); }
})();
