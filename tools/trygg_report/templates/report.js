// Draws the figures from their JSON specifications and ties the switches to them: a trace is
// shown while every switch key in its `meta` is checked. Sets window.tryggReady when all are
// drawn (the browser tests wait for it).
(function () {
  "use strict";
  var payload = JSON.parse(document.getElementById("figure-specs").textContent);
  if (payload.locale) {
    Plotly.register({moduleType: "locale", name: payload.locale.name,
                     dictionary: payload.locale.dictionary || {}, format: payload.locale.format});
  }
  function apply(plotId) {
    var plot = document.getElementById(plotId);
    if (!plot || !plot.data) return Promise.resolve();
    var off = {};
    document.querySelectorAll('fieldset.switches[data-plot="' + plotId + '"] input[type=checkbox]')
      .forEach(function (box) { if (!box.checked) off[box.getAttribute("data-group")] = true; });
    var visible = plot.data.map(function (trace) {
      var keys = Array.isArray(trace.meta) ? trace.meta : [];
      for (var i = 0; i < keys.length; i++) if (off[keys[i]]) return false;
      return true;
    });
    return Plotly.restyle(plot, {visible: visible});
  }
  var drawn = payload.figures.map(function (figure) {
    var id = "plot-" + figure.id;
    return Plotly.newPlot(document.getElementById(id), figure.data, figure.layout, figure.config)
      .then(function () { return apply(id); });
  });
  document.querySelectorAll("fieldset.switches input[type=checkbox]").forEach(function (box) {
    box.addEventListener("change", function () {
      apply(box.closest("fieldset").getAttribute("data-plot"));
    });
  });
  window.addEventListener("beforeprint", function () {
    payload.figures.forEach(function (figure) {
      Plotly.Plots.resize(document.getElementById("plot-" + figure.id));
    });
  });
  Promise.all(drawn).then(function () { window.tryggReady = true; });
})();
