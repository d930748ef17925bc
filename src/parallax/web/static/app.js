// Parallax: a little JavaScript on top of pages that work without it.
// - light/dark toggle (remembered); - "/" focuses search;
// - the small forms of a page (follow, mute, pin, unfollow) are sent in the background and the page's
//   <main> is swapped for the answer, keeping scroll and focus; any failure falls back to a normal post.
// No inline script anywhere (strict CSP).
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

    document.addEventListener("submit", function (event) {
      var form = event.target;
      var main = document.getElementById("main");
      if (!window.fetch || !window.DOMParser || !main || !main.contains(form) ||
          !form.classList.contains("inline") || (form.method || "").toLowerCase() !== "post") { return; }
      event.preventDefault();
      var buttons = Array.prototype.slice.call(main.querySelectorAll("form.inline button"));
      var index = buttons.indexOf(form.querySelector("button"));
      buttons.forEach(function (b) { b.disabled = true; });
      fetch(form.action, {
        method: "POST", body: new URLSearchParams(new FormData(form)), credentials: "same-origin",
        headers: { "Accept": "text/html" }
      }).then(function (response) {
        if (!response.ok) { throw new Error("HTTP " + response.status); }
        return response.text();
      }).then(function (html) {
        var fresh = new DOMParser().parseFromString(html, "text/html").getElementById("main");
        if (!fresh) { throw new Error("no main"); }
        main.replaceWith(fresh);
        var again = fresh.querySelectorAll("form.inline button");
        var target = again[Math.min(index, again.length - 1)];
        if (target) { target.focus(); }
      }).catch(function () {
        HTMLFormElement.prototype.submit.call(form);
      });
    });

    document.addEventListener("keydown", function (event) {
      var tag = (event.target && event.target.tagName) || "";
      if (event.key === "/" && !/INPUT|TEXTAREA|SELECT/.test(tag)) {
        var box = document.getElementById("q");
        if (box) { event.preventDefault(); box.focus(); }
      }
    });
  });
})();
