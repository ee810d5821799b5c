// Directory filters: htmx replaces the results and, out of band, the facet lists. A
// replaced checkbox would lose keyboard focus, so put focus back on the element with the
// same id once the swap has settled.
(function () {
  "use strict";
  var focusedId = null;
  document.addEventListener("htmx:beforeRequest", function () {
    var active = document.activeElement;
    focusedId = active && active.id ? active.id : null;
  });
  document.addEventListener("htmx:afterSettle", function () {
    if (!focusedId) { return; }
    var again = document.getElementById(focusedId);
    if (again && again !== document.activeElement) { again.focus(); }
  });
})();
