// Cùng Học Số — learning pages. The quiz works without this file: ordering questions are
// answered with a position select per item. This adds "move up/down" buttons and keeps
// positions unique (choosing 2 for an item swaps it with the item that had 2).
(function () {
  "use strict";

  function setupOrdering(list) {
    var items = Array.prototype.slice.call(list.querySelectorAll(".ordering-item"));
    var selects = items.map(function (item) { return item.querySelector("select"); });
    var upLabel = list.getAttribute("data-up-label") || "↑";
    var downLabel = list.getAttribute("data-down-label") || "↓";

    function sortByPosition() {
      items.sort(function (a, b) {
        return Number(a.querySelector("select").value) - Number(b.querySelector("select").value);
      });
      items.forEach(function (item) { list.appendChild(item); });
    }

    function swap(select, newValue) {
      var oldValue = select.getAttribute("data-value");
      selects.forEach(function (other) {
        if (other !== select && other.value === newValue) {
          other.value = oldValue;
          other.setAttribute("data-value", oldValue);
        }
      });
      select.value = newValue;
      select.setAttribute("data-value", newValue);
      sortByPosition();
    }

    selects.forEach(function (select) {
      select.setAttribute("data-value", select.value);
      select.addEventListener("change", function () { swap(select, select.value); });
      var moves = document.createElement("span");
      moves.className = "ordering-moves";
      [["-1", upLabel, "Lên"], ["1", downLabel, "Xuống"]].forEach(function (spec) {
        var button = document.createElement("button");
        button.type = "button";
        button.className = "button small";
        button.textContent = spec[1];
        button.setAttribute("aria-label", (list.getAttribute(spec[0] === "-1" ? "data-up-name" : "data-down-name") || spec[2]) +
          ": " + select.closest(".ordering-item").querySelector(".ordering-text").textContent);
        button.addEventListener("click", function () {
          var target = Number(select.value) + Number(spec[0]);
          if (target < 1 || target > selects.length) return;
          swap(select, String(target));
          button.focus();
        });
        moves.appendChild(button);
      });
      select.parentNode.appendChild(moves);
    });
    sortByPosition();
  }

  document.addEventListener("DOMContentLoaded", function () {
    document.querySelectorAll("[data-ordering]").forEach(setupOrdering);
    var problems = document.getElementById("quiz-problems");
    if (problems) problems.focus();
  });
})();
