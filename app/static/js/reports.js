// Report pages: a "print" button, shown only where JavaScript runs (the browser's own
// print menu works everywhere; the print stylesheet is in reports.css).
document.addEventListener("DOMContentLoaded", () => {
  for (const button of document.querySelectorAll("button[data-print]")) {
    button.hidden = false;
    button.addEventListener("click", () => window.print());
  }
});
