/* The search page: Pagefind's bundled UI (pagefind/pagefind-ui.js, from this site) on #search.
   Result links and the index are resolved against the site's own address (data-site), so the
   search works wherever the site is published, under a sub-path or from a folder. A query in
   the address (?q=…, from the search box in every page's header) is searched at once. */
(function () {
  "use strict";
  function start() {
    var box = document.getElementById("search");
    if (!box || typeof PagefindUI === "undefined") return;
    var site = new URL(box.getAttribute("data-site"), window.location.href);
    var bundle = new URL(box.getAttribute("data-bundle"), window.location.href);
    /* A district's index is in parts (pagefind/s01/ …): merged into one search. */
    var merged = (box.getAttribute("data-merge") || "").split(" ").filter(Boolean).map(function (path) {
      return { bundlePath: new URL(path, window.location.href).pathname, baseUrl: site.pathname };
    });
    var ui = new PagefindUI({
      element: "#search",
      bundlePath: bundle.pathname,
      baseUrl: site.pathname,
      mergeIndex: merged,
      showSubResults: true,
      showImages: false,
      resetStyles: false
    });
    /* Pagefind's form submits by script (it prevents the default): its action="javascript:…" is not
       needed, and the site has no javascript: URL anywhere. */
    Array.prototype.forEach.call(box.querySelectorAll("form[action]"), function (form) {
      if (/^\s*javascript:/i.test(form.getAttribute("action"))) form.removeAttribute("action");
    });
    /* A visible label for Pagefind's input (it has only a title). */
    var input = box.querySelector("input.pagefind-ui__search-input");
    if (input && box.getAttribute("data-label")) {
      input.id = input.id || "search-input";
      var label = document.createElement("label");
      label.htmlFor = input.id;
      label.className = "search-label";
      label.textContent = box.getAttribute("data-label");
      box.insertBefore(label, box.firstChild);
    }
    var q = new URLSearchParams(window.location.search).get("q");
    if (q) ui.triggerSearch(q);
  }
  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", start);
  else start();
})();
