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
    var ui = new PagefindUI({
      element: "#search",
      bundlePath: bundle.pathname,
      baseUrl: site.pathname,
      showSubResults: true,
      showImages: false,
      resetStyles: false
    });
    var q = new URLSearchParams(window.location.search).get("q");
    if (q) ui.triggerSearch(q);
  }
  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", start);
  else start();
})();
