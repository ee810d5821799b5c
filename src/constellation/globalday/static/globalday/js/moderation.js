// Moderation queue: htmx replaces the row whose Approve or Reject button was pressed, and
// the focused button goes with it. Put focus on the new row (tabindex="-1"), whose status
// is then read out, so keyboard users carry on from where they were.
(function () {
  "use strict";
  var rowId = null;
  document.addEventListener("htmx:beforeRequest", function (event) {
    var row = event.target.closest && event.target.closest(".moderation-item");
    rowId = row ? row.id : null;
  });
  document.addEventListener("htmx:afterSettle", function () {
    if (!rowId) { return; }
    var row = document.getElementById(rowId);
    rowId = null;
    if (row) { row.focus(); }
  });
})();
