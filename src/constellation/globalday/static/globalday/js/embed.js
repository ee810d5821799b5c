// The snippet generator's "Copy" button: shown only when the clipboard can be used; the
// read-only text area works without it (select the text and copy).
(function () {
  "use strict";
  var button = document.querySelector("[data-copy]");
  if (!button || !navigator.clipboard) { return; }
  var source = document.getElementById(button.getAttribute("data-copy"));
  var done = document.querySelector("[data-copied]");
  button.hidden = false;
  button.addEventListener("click", function () {
    navigator.clipboard.writeText(source.value).then(function () {
      if (done) { done.hidden = false; }
    });
  });
})();
