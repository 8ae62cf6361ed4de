// UnionWorks charts: draws the dashboard charts with ECharts (served from our own static
// files) from JSON the page embeds with json_script. No figures live in this file.
//
//   <div id="trend-chart" data-chart="trend" data-chart-source="dashboard-charts"></div>
//   <select data-chart-select="trend-chart">…one option per indicator code…</select>
//
// The JSON holds, per chart, {labels, series: [{code, name, unit, type, data}], selected,
// links?, url?}; the select picks the series shown. A trend series with no data (the page
// counts only the one it opens on) is fetched from its url the first time it is picked. Charts are drawn when the page loads and
// again after an htmx swap brings new ones in; a bar of the children chart leads to that
// child's dashboard. The period picker shows only the inputs of the chosen kind.
(function () {
  "use strict";

  var HEIGHT = 320;
  var COLOURS = ["#a8232a", "#1d5fa6", "#1e7b4a", "#9a6200", "#6b4fa3", "#2f8f9d"];
  var MANY_BARS = 16;

  function language() {
    return (document.documentElement.lang || "zh-CN").toLowerCase().indexOf("en") === 0 ? "EN" : "ZH";
  }

  function formatNumber(value, unit) {
    if (value === null || value === undefined || value === "") {
      return "—";
    }
    var digits = unit === "%" ? 1 : unit === "万元" ? 2 : 0;
    var text = Number(value).toLocaleString("zh-CN", {
      minimumFractionDigits: digits,
      maximumFractionDigits: Math.max(digits, 2),
    });
    if (unit === "%") {
      return text + "%";
    }
    return unit ? text + " " + unit : text;
  }

  function shortNumber(value) {
    var size = Math.abs(value);
    if (language() === "ZH" && size >= 100000000) {
      return (value / 100000000).toLocaleString("zh-CN", { maximumFractionDigits: 1 }) + "亿";
    }
    if (language() === "ZH" && size >= 10000) {
      return (value / 10000).toLocaleString("zh-CN", { maximumFractionDigits: 1 }) + "万";
    }
    return Number(value).toLocaleString("zh-CN", { maximumFractionDigits: 1 });
  }

  function sourceOf(element) {
    var script = document.getElementById(element.getAttribute("data-chart-source"));
    if (!script) {
      return null;
    }
    try {
      return JSON.parse(script.textContent);
    } catch (error) {
      return null;
    }
  }

  function selectFor(element) {
    return element.id ? document.querySelector('[data-chart-select="' + element.id + '"]') : null;
  }

  function chosenSeries(spec, element) {
    var select = selectFor(element);
    var code = (select && select.value) || spec.selected;
    for (var i = 0; i < spec.series.length; i += 1) {
      if (spec.series[i].code === code) {
        return spec.series[i];
      }
    }
    return spec.series[0];
  }

  function baseOption(series, labels) {
    var colour = COLOURS[0];
    return {
      color: COLOURS,
      animation: false,
      textStyle: { fontFamily: getComputedStyle(document.body).fontFamily },
      tooltip: {
        // Drawn on the canvas: the HTML tooltip carries style= attributes the CSP refuses.
        renderMode: "richText",
        trigger: "axis",
        axisPointer: { type: series.type === "bar" ? "shadow" : "line" },
        valueFormatter: function (value) {
          return formatNumber(value, series.unit);
        },
      },
      legend: { data: [series.name], top: 0, left: "center" },
      grid: { left: 16, right: 24, top: 40, bottom: 12, containLabel: true },
      xAxis: {
        type: "category",
        data: labels,
        boundaryGap: series.type === "bar",
        axisLabel: { color: "#444", fontSize: 12 },
      },
      yAxis: {
        type: "value",
        name: series.unit,
        scale: series.type === "line",
        minInterval: series.unit === "%" || series.unit === "万元" ? 0 : 1,
        nameTextStyle: { color: "#6b7280", align: "right" },
        axisLabel: { formatter: shortNumber, color: "#444", fontSize: 12 },
        splitLine: { lineStyle: { color: "#e8ebef" } },
      },
      series: [
        {
          name: series.name,
          type: series.type,
          data: series.data,
          connectNulls: false,
          symbolSize: 6,
          barMaxWidth: 36,
          itemStyle: { color: colour },
          lineStyle: { width: 2 },
          label: {
            show: labels.length <= 12,
            position: "top",
            fontSize: 11,
            color: "#333",
            formatter: function (params) {
              return params.value === null || params.value === undefined ? "" : shortNumber(params.value);
            },
          },
        },
      ],
    };
  }

  // A phone's chart is ~350px wide: fewer value labels, and axis labels that never overlap
  // (ECharts drops the ones that would, or they turn to stand upright).
  function narrow() {
    return window.innerWidth < 640;
  }

  function trendOption(spec, series) {
    var option = baseOption(series, spec.labels);
    option.xAxis.axisLabel.hideOverlap = true;
    if (narrow()) {
      option.series[0].label.show = spec.labels.length <= 6;
    }
    return option;
  }

  function childrenOption(spec, series) {
    var option = baseOption({ name: series.name, unit: series.unit, type: "bar", data: series.data }, spec.labels);
    var many = spec.labels.length > MANY_BARS;
    var small = narrow();
    option.xAxis.axisLabel.interval = 0;
    option.xAxis.axisLabel.rotate = small ? (spec.labels.length > 3 ? 90 : 0) : spec.labels.length > 6 ? 30 : 0;
    option.grid.left = !small && spec.labels.length > 6 ? 56 : 16;
    option.xAxis.axisLabel.width = small ? 72 : 120;
    option.xAxis.axisLabel.overflow = "truncate";
    option.xAxis.axisLabel.hideOverlap = true;
    if (small) {
      option.series[0].label.show = spec.labels.length <= 6;
    }
    option.series[0].cursor = "pointer";
    if (many) {
      option.grid.bottom = 40;
      option.dataZoom = [
        { type: "slider", start: 0, end: Math.round((MANY_BARS / spec.labels.length) * 100), height: 18, bottom: 8 },
        { type: "inside" },
      ];
    }
    return option;
  }

  var BUILDERS = { trend: trendOption, children: childrenOption };

  function load(element, series) {
    if (!series.url || !window.fetch) {
      return;
    }
    element.setAttribute("aria-busy", "true");
    window
      .fetch(series.url, { credentials: "same-origin", headers: { Accept: "application/json" } })
      .then(function (response) {
        return response.ok ? response.json() : null;
      })
      .then(function (data) {
        element.removeAttribute("aria-busy");
        if (data && data.code === series.code) {
          element.uwFetched = element.uwFetched || {};
          element.uwFetched[series.code] = data;
          draw(element);
        }
      })
      .catch(function () {
        element.removeAttribute("aria-busy");
      });
  }

  function draw(element) {
    if (!window.echarts) {
      return;
    }
    var all = sourceOf(element);
    var kind = element.getAttribute("data-chart");
    var spec = all && all[kind];
    if (!spec || !spec.series || !spec.series.length || !BUILDERS[kind]) {
      return;
    }
    var series = chosenSeries(spec, element);
    if (series.data === null || series.data === undefined) {
      // A trend the page did not count: ask for it once, then draw it.
      var fetched = (element.uwFetched || {})[series.code];
      if (!fetched) {
        load(element, series);
        return;
      }
      series = fetched;
    }
    if (!element.clientHeight) {
      element.style.height = HEIGHT + "px";
    }
    var chart = window.echarts.getInstanceByDom(element);
    if (!chart) {
      chart = window.echarts.init(element, null, { renderer: "canvas", locale: language() });
      chart.on("click", function (params) {
        var links = element.uwLinks || [];
        if (params.componentType === "series" && links[params.dataIndex]) {
          window.location.href = links[params.dataIndex];
        }
      });
    }
    element.uwLinks = spec.links || [];
    chart.setOption(BUILDERS[kind](spec, series), true);
    element.setAttribute("data-chart-ready", "true");
  }

  function drawAll(root) {
    var scope = root && root.querySelectorAll ? root : document;
    var elements = scope.querySelectorAll("[data-chart]");
    for (var i = 0; i < elements.length; i += 1) {
      draw(elements[i]);
    }
    if (scope !== document && scope.matches && scope.matches("[data-chart]")) {
      draw(scope);
    }
  }

  function syncPicker(form) {
    var kind = form.querySelector('[data-period="kind"]');
    if (!kind) {
      return;
    }
    var parts = form.querySelectorAll("[data-period-part]");
    for (var i = 0; i < parts.length; i += 1) {
      parts[i].hidden = parts[i].getAttribute("data-period-part").split(" ").indexOf(kind.value) < 0;
    }
  }

  function syncPickers(root) {
    var scope = root && root.querySelectorAll ? root : document;
    var forms = scope.querySelectorAll("[data-period-picker]");
    for (var i = 0; i < forms.length; i += 1) {
      syncPicker(forms[i]);
    }
  }

  document.addEventListener("change", function (event) {
    var target = event.target;
    var chartId = target.getAttribute && target.getAttribute("data-chart-select");
    if (chartId) {
      var element = document.getElementById(chartId);
      if (element) {
        draw(element);
      }
    }
    if (target.getAttribute && target.getAttribute("data-period") === "kind") {
      syncPicker(target.closest("[data-period-picker]"));
    }
  });

  // htmx brings new page parts: draw the charts inside them (an old chart's element is gone).
  document.addEventListener("htmx:afterSettle", function (event) {
    drawAll(event.target);
    syncPickers(event.target);
  });

  var resizeTimer = null;
  window.addEventListener("resize", function () {
    window.clearTimeout(resizeTimer);
    resizeTimer = window.setTimeout(function () {
      var elements = document.querySelectorAll("[data-chart-ready]");
      for (var i = 0; i < elements.length; i += 1) {
        var chart = window.echarts && window.echarts.getInstanceByDom(elements[i]);
        if (chart) {
          chart.resize();
        }
      }
    }, 150);
  });

  function start() {
    drawAll(document);
    syncPickers(document);
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", start);
  } else {
    start();
  }
})();
