/* The widget builder page: a "copy" button beside each snippet (without JavaScript the code can be
   selected by hand, so the button only exists when it works). */
(function () {
  "use strict";

  function copyText(text, done) {
    if (navigator.clipboard && window.isSecureContext) {
      navigator.clipboard.writeText(text).then(done, function () { fallback(text, done); });
    } else {
      fallback(text, done);
    }
  }

  function fallback(text, done) {
    var area = document.createElement("textarea");
    area.value = text;
    area.setAttribute("readonly", "");
    area.className = "visually-hidden";
    document.body.appendChild(area);
    area.select();
    try { document.execCommand("copy"); done(); } catch (e) { /* selection stays for manual copy */ }
    document.body.removeChild(area);
  }

  Array.prototype.forEach.call(document.querySelectorAll("[data-copy]"), function (slot) {
    var source = document.getElementById(slot.getAttribute("data-copy"));
    if (!source) { return; }
    var button = document.createElement("button");
    var status = document.createElement("span");
    button.type = "button";
    button.className = "button";
    button.textContent = slot.getAttribute("data-label");
    status.setAttribute("role", "status");
    button.addEventListener("click", function () {
      copyText(source.textContent, function () { status.textContent = slot.getAttribute("data-done"); });
    });
    slot.appendChild(button);
    slot.appendChild(status);
  });
})();
