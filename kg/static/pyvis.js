/* thb-kg: draws a pyvis Network from kg.to_pyvis (kg/templates/pyvis.html).
 * The data arrives as JSON in <script type="application/json">; vis-network
 * writes string titles with innerText, so no data-borne string becomes markup.
 */
(function () {
  "use strict";
  var holder = document.getElementById("thb-pyvis-data");
  if (!holder) { return; }
  var data = JSON.parse(holder.textContent);
  var options = data.options || {};
  if (data.configure) {
    options.configure = options.configure || {};
    options.configure.enabled = true;
    options.configure.container = document.getElementById("config");
  }
  var nodes = new vis.DataSet(data.nodes);
  var edges = new vis.DataSet(data.edges);
  var container = document.getElementById("mynetwork");
  var network = new vis.Network(container, { nodes: nodes, edges: edges }, options);
  window.network = network;
  window.nodes = nodes;
  window.edges = edges;
  function ready() { container.setAttribute("data-ready", "true"); }
  if (options.physics && options.physics.enabled !== false && data.nodes.length) {
    network.once("stabilizationIterationsDone", function () {
      network.setOptions({ physics: false });
      ready();
    });
  } else {
    network.once("afterDrawing", ready);
  }
})();
