// Guided sessions: small enhancements. Every screen works without this file; each step
// is saved by an ordinary form post, so a reopened browser resumes where it stopped.
(function () {
  "use strict";

  // Without a connection a tap would end on the browser's error page; say it plainly
  // instead and keep the student on the step (everything recorded before is saved).
  function guardOffline() {
    var note = document.getElementById("offline-message");
    if (!note) return;
    document.querySelectorAll(".guided form").forEach(function (form) {
      form.addEventListener("submit", function (event) {
        if (navigator.onLine !== false) return;
        event.preventDefault();
        event.stopImmediatePropagation(); // keep the buttons enabled for another try
        note.hidden = false;
      }, true);
    });
    window.addEventListener("online", function () { note.hidden = true; });
  }

  // A page restored from the back/forward cache keeps the buttons app.js disabled.
  window.addEventListener("pageshow", function (event) {
    if (!event.persisted) return;
    document.querySelectorAll("form[data-once] button[disabled]").forEach(function (b) {
      b.disabled = false;
    });
  });

  document.addEventListener("DOMContentLoaded", guardOffline);
})();
