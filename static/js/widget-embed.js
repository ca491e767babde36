/* GD Catalog Search widget loader (served at /widget/embed.js). An agency page writes

     <div data-gdc-widget data-organization="dga" data-lang="en"><a href="…/search">…</a></div>
     <script src="https://<portal>/widget/embed.js" async></script>

   and every such element becomes an iframe of <portal>/widget with those parameters, resized to the
   widget's height. Without JavaScript the element's own link stays. Nothing is read from, or written
   to, the agency page besides these elements; no cookie, no global variable. */
(function () {
  "use strict";
  var script = document.currentScript;
  if (!script || !script.src) { return; }
  var widgetUrl = script.src.replace(/\/widget\/embed\.js(?:[?#].*)?$/, "/widget");
  var origin = new URL(widgetUrl).origin;
  // The widget's search parameters (several values of one: separated by commas).
  var PARAMS = ["q", "organization", "tags", "data_category", "update_frequency_unit", "geo_coverage",
                "data_type", "data_format", "res_format", "license_id", "place", "year", "sort", "size", "lang"];
  var MULTI = { organization: 1, tags: 1, data_category: 1, update_frequency_unit: 1, geo_coverage: 1,
                data_type: 1, data_format: 1, res_format: 1, license_id: 1, place: 1, year: 1 };
  var TITLES = { th: "ค้นหาชุดข้อมูลเปิดภาครัฐ", en: "Search open government datasets" };
  var frames = [];

  function attribute(host, name) {
    return host.getAttribute("data-" + name) || host.getAttribute("data-" + name.replace(/_/g, "-"));
  }

  function widgetSrc(host) {
    var query = [];
    PARAMS.forEach(function (name) {
      var value = attribute(host, name);
      if (!value) { return; }
      var values = MULTI[name] ? value.split(",") : [value];
      values.forEach(function (v) {
        v = v.trim();
        if (v) { query.push(encodeURIComponent(name) + "=" + encodeURIComponent(v)); }
      });
    });
    return widgetUrl + (query.length ? "?" + query.join("&") : "");
  }

  function build(host) {
    if (host.getAttribute("data-gdc-ready")) { return; }
    host.setAttribute("data-gdc-ready", "1");
    var lang = attribute(host, "lang") === "en" ? "en" : "th";
    var height = parseInt(attribute(host, "height"), 10) || 520;
    var iframe = document.createElement("iframe");
    iframe.src = widgetSrc(host);
    iframe.title = attribute(host, "title") || TITLES[lang];
    iframe.setAttribute("loading", "lazy");
    iframe.style.border = "0";
    iframe.style.width = "100%";
    iframe.style.height = Math.min(Math.max(height, 200), 2000) + "px";
    while (host.firstChild) { host.removeChild(host.firstChild); }
    host.appendChild(iframe);
    frames.push(iframe);
  }

  function buildAll() {
    Array.prototype.forEach.call(document.querySelectorAll("[data-gdc-widget]"), build);
  }

  window.addEventListener("message", function (event) {
    var data = event.data;
    if (event.origin !== origin || !data || data.type !== "gdc-widget:height") { return; }
    var height = Math.min(Math.max(Number(data.height) || 0, 120), 4000);
    frames.forEach(function (iframe) {
      if (iframe.contentWindow === event.source) { iframe.style.height = height + "px"; }
    });
  });

  buildAll();
  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", buildAll);
  }
})();
