// UnionWorks: the little behaviour the pages need beyond htmx. Everything works without it.
(function () {
  "use strict";

  // Enter in an org picker's search box looks the org up; it must not submit the form.
  document.addEventListener("keydown", function (event) {
    if (event.key === "Enter" && event.target.classList.contains("picker-search")) {
      event.preventDefault();
    }
  });

  // A picker's options replaced by a search count as a new choice (the unit form then
  // lists the grassroots unions under the org just found).
  document.addEventListener("htmx:afterSwap", function (event) {
    if (event.target.tagName === "SELECT") {
      event.target.dispatchEvent(new Event("change", { bubbles: true }));
    }
  });

  // A form marked data-confirm asks first (the CSP allows no onsubmit= attribute).
  document.addEventListener("submit", function (event) {
    var message = event.target.getAttribute && event.target.getAttribute("data-confirm");
    if (message && !window.confirm(message)) {
      event.preventDefault();
    }
  });

  // A full ID number typed into a search box never goes into a URL (history, logs, shared
  // links): it travels in the X-Id-Number header and the page answers with a URL holding
  // only its mask and blind index (core/idsearch.py). 16 or 17 digits are a number still
  // being typed: not sent while typing (a card number that long is sent on Enter).
  var FULL_ID = /^(\d{17}[\dX]|\d{15})$/;
  var TYPING_ID = /^\d{16,17}$/;
  document.addEventListener("htmx:configRequest", function (event) {
    var detail = event.detail;
    if (detail.verb !== "get" || !detail.formData || !detail.formData.has("q")) {
      return;
    }
    var typed = String(detail.formData.get("q")).replace(/\s+/g, "").toUpperCase();
    if (FULL_ID.test(typed)) {
      detail.formData.delete("q");
      detail.headers["X-Id-Number"] = typed;
    } else if (TYPING_ID.test(typed) && detail.triggeringEvent && detail.triggeringEvent.type === "input") {
      event.preventDefault();
    }
  });

  // On a phone the menu closes once a link in it is followed.
  document.addEventListener("click", function (event) {
    var toggle = document.getElementById("nav-toggle");
    if (toggle && toggle.checked && event.target.closest(".sidenav a")) {
      toggle.checked = false;
    }
  });

  // On a phone a list's rows become cards (app.css): each cell is labelled with its
  // column's heading, copied here from the table's head so no template repeats them.
  function labelCells(root) {
    (root || document).querySelectorAll("table.grid").forEach(function (table) {
      var heads = Array.prototype.map.call(table.querySelectorAll("thead th"), function (th) {
        return th.textContent.trim();
      });
      if (!heads.length) return;
      table.querySelectorAll("tbody tr").forEach(function (row) {
        Array.prototype.forEach.call(row.children, function (cell, i) {
          if (heads[i] && !cell.hasAttribute("data-label")) cell.setAttribute("data-label", heads[i]);
        });
      });
    });
  }
  document.addEventListener("DOMContentLoaded", function () {
    labelCells(document);
  });
  document.addEventListener("htmx:afterSettle", function (event) {
    labelCells(event.target);
  });

  // A "tick all" box ticks every box of the form it names (bulk actions on a list).
  document.addEventListener("change", function (event) {
    var all = event.target.closest("[data-check-all]");
    if (!all) return;
    var boxes = document.querySelectorAll(
      'input[type=checkbox][form="' + all.getAttribute("data-check-all") + '"]'
    );
    boxes.forEach(function (box) {
      if (box !== all) box.checked = all.checked;
    });
  });
})();
