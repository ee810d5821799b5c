// Live character count for text areas that carry data-count-max (the proposal's abstract).
// Without script the field's help text states the limits and the server enforces them.
(function () {
  "use strict";
  function setUp(area) {
    var max = parseInt(area.getAttribute("data-count-max"), 10);
    var min = parseInt(area.getAttribute("data-count-min") || "0", 10);
    var counter = document.createElement("p");
    counter.className = "cfp-count";
    counter.id = area.id + "_count";
    // Polite and atomic: read out as one sentence after typing pauses, not every keystroke.
    counter.setAttribute("aria-live", "polite");
    counter.setAttribute("aria-atomic", "true");
    area.insertAdjacentElement("afterend", counter);
    var described = (area.getAttribute("aria-describedby") || "").split(" ").filter(Boolean);
    described.push(counter.id);
    area.setAttribute("aria-describedby", described.join(" "));
    // The sentence comes translated from the server, e.g. "{count} of {max} characters".
    var label = area.getAttribute("data-count-label") || "{count} / {max}";
    var timer = null;
    function update() {
      var length = area.value.length;
      var text = label.replace("{count}", String(length)).replace("{max}", String(max)).replace("{min}", String(min));
      var state = "";
      if (length < min) { state = "short"; }
      else if (length > max) { state = "long"; }
      counter.textContent = text;
      counter.setAttribute("data-state", state);
    }
    area.addEventListener("input", function () {
      window.clearTimeout(timer);
      timer = window.setTimeout(update, 400);
    });
    update();
  }
  function init() {
    Array.prototype.forEach.call(document.querySelectorAll("textarea[data-count-max]"), setUp);
  }
  // After htmx replaced the presenters region, put focus on it so keyboard and screen-reader
  // users continue from there (the button they pressed is gone).
  document.addEventListener("htmx:afterSwap", function (event) {
    var target = event.detail && event.detail.target;
    if (target && target.id === "presenters") {
      var section = document.getElementById("presenters");
      if (section) { section.focus(); }
    }
  });
  if (document.readyState === "loading") { document.addEventListener("DOMContentLoaded", init); }
  else { init(); }
})();
