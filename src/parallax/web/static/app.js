// Parallax: a little JavaScript on top of pages that work without it.
// - light/dark toggle (remembered), - follow/mute/pin forms submitted in place (no reload),
// - "/" focuses search. No inline script anywhere (strict CSP).
(function () {
  "use strict";
  var root = document.documentElement;
  var saved = null;
  try { saved = localStorage.getItem("parallax-theme"); } catch (e) { /* storage disabled */ }
  if (saved === "light" || saved === "dark") { root.setAttribute("data-theme", saved); }

  function ready(fn) {
    if (document.readyState !== "loading") { fn(); } else { document.addEventListener("DOMContentLoaded", fn); }
  }

  ready(function () {
    var toggle = document.getElementById("theme-toggle");
    if (toggle) {
      toggle.hidden = false;
      toggle.addEventListener("click", function () {
        var dark = root.getAttribute("data-theme") === "dark" ||
          (!root.getAttribute("data-theme") && window.matchMedia("(prefers-color-scheme: dark)").matches);
        var next = dark ? "light" : "dark";
        root.setAttribute("data-theme", next);
        try { localStorage.setItem("parallax-theme", next); } catch (e) { /* ignore */ }
      });
    }

    document.addEventListener("keydown", function (event) {
      var tag = (event.target && event.target.tagName) || "";
      if (event.key === "/" && !/INPUT|TEXTAREA|SELECT/.test(tag)) {
        var box = document.getElementById("q");
        if (box) { event.preventDefault(); box.focus(); }
      }
    });
  });
})();
