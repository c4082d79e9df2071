/* Sortable tables, a progressive enhancement: a table marked data-sortable is complete and in a
   sensible order without this script. With it, each header marked data-sort="number" or "text"
   gets a button that sorts the table's row groups (each <tbody>: a department and its unit
   budgets) by that column's data-value, and aria-sort says how the table is sorted.
   No inline script, nothing loaded from elsewhere. */
(function () {
  "use strict";
  function value(group, column, kind) {
    var cell = group.rows[0].cells[column];
    var raw = cell ? cell.getAttribute("data-value") : null;
    if (kind === "number") {
      return raw === null || raw === "" ? null : parseFloat(raw);
    }
    return raw === null ? cell.textContent.trim() : raw;
  }
  function sortBy(table, header, column, kind) {
    var descending = header.getAttribute("aria-sort") !== "descending";
    if (kind === "text" && header.getAttribute("aria-sort") === null) descending = false;
    var groups = Array.prototype.slice.call(table.tBodies);
    var lang = document.documentElement.lang || undefined;
    groups.sort(function (a, b) {
      var x = value(a, column, kind), y = value(b, column, kind);
      if (x === null && y === null) return 0;
      if (x === null) return 1;   /* no value (no last year): always last */
      if (y === null) return -1;
      var order = kind === "number" ? x - y : String(x).localeCompare(String(y), lang);
      return descending ? -order : order;
    });
    groups.forEach(function (g) { table.appendChild(g); });
    if (table.tFoot) table.appendChild(table.tFoot);
    Array.prototype.forEach.call(table.tHead.rows[0].cells, function (th) { th.removeAttribute("aria-sort"); });
    header.setAttribute("aria-sort", descending ? "descending" : "ascending");
  }
  function enhance(table) {
    Array.prototype.forEach.call(table.tHead.rows[0].cells, function (header, column) {
      var kind = header.getAttribute("data-sort");
      if (!kind) return;
      var button = document.createElement("button");
      button.type = "button";
      button.className = "sort";
      while (header.firstChild) button.appendChild(header.firstChild);
      header.appendChild(button);
      button.addEventListener("click", function () { sortBy(table, header, column, kind); });
    });
    table.classList.add("sortable-on");
  }
  function start() {
    Array.prototype.forEach.call(document.querySelectorAll("table[data-sortable]"), enhance);
  }
  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", start);
  else start();
})();
