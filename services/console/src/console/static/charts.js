// careloop console: charts drawn by Apache ECharts (served by the console, from npm).
// Each chart's option is JSON the server wrote into the page (a non-executable
// <script type="application/json">, allowed by the Content-Security-Policy); the same
// numbers are in a table beside it. SVG rendering, so the numbers are text in the page.
(function () {
  "use strict";

  function draw(holder) {
    var source = document.getElementById(holder.dataset.chart);
    if (!source || !window.echarts) { return; }
    var option = JSON.parse(source.textContent);
    var locale = document.body.dataset.lang === "en" ? "EN" : "ZH";
    var chart = window.echarts.init(holder, null, { renderer: "svg", locale: locale });
    option.aria = { enabled: true };
    option.animation = false;
    chart.setOption(option);
    holder.dataset.drawn = "true";
    window.addEventListener("resize", function () { chart.resize(); });
  }

  function drawAll(root) {
    (root || document).querySelectorAll("[data-chart]:not([data-drawn])").forEach(draw);
  }

  document.addEventListener("DOMContentLoaded", function () {
    drawAll(document);
    document.body.addEventListener("htmx:afterSwap", function (event) { drawAll(event.target); });
  });
})();
