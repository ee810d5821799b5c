/* Timetable grid enhancements; without this file every change is still made with the forms.
   - "Move" links fill in the move form instead of reloading the page.
   - Drag and drop (mouse): a session dropped on a free cell fills in and sends the move
     form, dropped on another session the swap form. The forms remain the keyboard way.
   - After an htmx swap of the editor, focus goes to the outcome (a status or an alert). */
(function () {
  "use strict";

  function setValue(id, value) {
    var field = document.getElementById(id);
    if (field) field.value = value;
    return field;
  }

  function send(field) {
    if (field && field.form) field.form.requestSubmit();
  }

  document.addEventListener("click", function (event) {
    var link = event.target.closest("a[data-move]");
    if (!link || !document.getElementById("id_move-session")) return;
    event.preventDefault();
    setValue("id_move-session", link.getAttribute("data-move"));
    var heading = document.getElementById("move-heading");
    if (heading) heading.scrollIntoView({ block: "start" });
    (document.getElementById("id_move-slot") || document.getElementById("id_move-session")).focus();
  });

  var dragged = null;

  function dropTarget(event) {
    return event.target.closest ? event.target.closest("td.tt-free, td[data-code]") : null;
  }

  document.addEventListener("dragstart", function (event) {
    var cell = event.target.closest ? event.target.closest("td[data-code]") : null;
    if (!cell) return;
    dragged = cell.getAttribute("data-code");
    event.dataTransfer.setData("text/plain", dragged);
    event.dataTransfer.effectAllowed = "move";
  });

  document.addEventListener("dragend", function () {
    dragged = null;
  });

  document.addEventListener("dragover", function (event) {
    var target = dropTarget(event);
    if (dragged && target && target.getAttribute("data-code") !== dragged) event.preventDefault();
  });

  document.addEventListener("drop", function (event) {
    var target = dropTarget(event);
    if (!dragged || !target) return;
    event.preventDefault();
    var code = target.getAttribute("data-code");
    if (code) {
      if (code === dragged) return;
      setValue("id_swap-first", dragged);
      send(setValue("id_swap-second", code));
    } else {
      setValue("id_move-session", dragged);
      setValue("id_move-slot", target.getAttribute("data-slot"));
      send(setValue("id_move-room", target.getAttribute("data-room")));
    }
    dragged = null;
  });

  document.body.addEventListener("htmx:afterSwap", function (event) {
    if (!event.detail.target || event.detail.target.id !== "editor") return;
    var outcome = document.getElementById("outcome");
    if (outcome) outcome.focus();
  });
})();
