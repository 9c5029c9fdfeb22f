// Progressive enhancement for the configurator admin room; every page works without this file.
// - changing a field's type or a node's kind refreshes the editor so the right inputs appear;
// - removing a row asks first;
// - after a round trip the page returns to where the button was pressed.
(function () {
  "use strict";
  var KEY = "tb-admin-scroll:" + location.pathname;

  document.addEventListener("change", function (event) {
    var target = event.target;
    if (!target.matches || !target.matches("select[data-refresh]")) return;
    var form = target.form;
    var refresh = form && form.querySelector("[data-refresh-target]");
    if (refresh) refresh.click();
  });

  document.addEventListener("click", function (event) {
    var button = event.target.closest ? event.target.closest("button[data-confirm]") : null;
    if (button && !window.confirm(button.getAttribute("data-confirm"))) event.preventDefault();
  });

  document.addEventListener("submit", function () {
    try { sessionStorage.setItem(KEY, String(window.scrollY)); } catch (e) { /* private mode */ }
  });

  window.addEventListener("DOMContentLoaded", function () {
    var summary = document.querySelector(".error-summary");
    if (summary) { summary.focus(); return; }
    try {
      var y = sessionStorage.getItem(KEY);
      if (y !== null) { window.scrollTo(0, parseInt(y, 10) || 0); sessionStorage.removeItem(KEY); }
    } catch (e) { /* private mode */ }
  });
})();
