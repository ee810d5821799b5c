// Review pages: htmx replaces a proposal's reviewers (add/remove) or a decision row, and
// the focused button goes with it. Put focus back on the same place in the new markup
// (the row itself, tabindex="-1"), so keyboard users carry on from where they were; after
// a filter or a bulk decision, on the table's heading.
(function () {
  "use strict";
  var targetId = null;
  document.addEventListener("htmx:beforeRequest", function (event) {
    var place = event.target.closest && event.target.closest(".assignment-item, .decision-table tbody tr, #decisions");
    targetId = place ? place.id : null;
  });
  document.addEventListener("htmx:afterSettle", function () {
    if (!targetId) { return; }
    var place = document.getElementById(targetId === "decisions" ? "decisions-title" : targetId);
    targetId = null;
    if (place) { place.focus({preventScroll: true}); }
  });
})();
