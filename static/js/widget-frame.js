/* Runs inside the widget's frame: tells the embedding page how tall the widget is, so that
   /widget/embed.js can size the iframe without a scrollbar. The height is not secret, hence "*". */
(function () {
  "use strict";
  if (window.parent === window) { return; }
  var last = 0;

  function report() {
    var height = Math.ceil(document.documentElement.getBoundingClientRect().height);
    if (height && height !== last) {
      last = height;
      window.parent.postMessage({ type: "gdc-widget:height", height: height }, "*");
    }
  }

  if (window.ResizeObserver) {
    new ResizeObserver(report).observe(document.documentElement);
  }
  window.addEventListener("load", report);
  report();
})();
