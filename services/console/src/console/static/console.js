// careloop console: deadlines that count down, fields that show with their choice, and
// keyboard shortcuts. No inline script anywhere: the Content-Security-Policy forbids it.
(function () {
  "use strict";

  var MINUTE = 60000, HOUR = 60 * MINUTE, DAY = 24 * HOUR, SOON = HOUR, THRESHOLD = 1.5;

  function lang() { return document.body.dataset.lang === "en" ? "en" : "zh-CN"; }

  // The same words as the server's (CLDR units, to the minute, Babel's 1.5 threshold).
  function span(ms) {
    ms = Math.max(Math.abs(ms), MINUTE);
    var unit = "minute", value = ms / MINUTE;
    if (ms / DAY >= THRESHOLD) { unit = "day"; value = ms / DAY; }
    else if (ms / HOUR >= THRESHOLD) { unit = "hour"; value = ms / HOUR; }
    return new Intl.NumberFormat(lang(), { style: "unit", unit: unit, unitDisplay: "long" })
      .format(Math.round(value));
  }

  function tick() {
    var now = Date.now(), body = document.body;
    document.querySelectorAll("[data-due]").forEach(function (badge) {
      var left = Date.parse(badge.dataset.due) - now;
      var late = left <= 0 || badge.classList.contains("sla-breached");
      var template = late ? body.dataset.overdue : body.dataset.left;
      badge.textContent = template.replace("{span}", span(left));
      badge.classList.toggle("sla-breached", late);
      badge.classList.toggle("sla-soon", !late && left <= SOON);
      badge.classList.toggle("sla-running", !late && left > SOON);
    });
  }

  // A radio or checkbox with data-reveal="id" shows that part of the form while chosen.
  function reveal() {
    document.querySelectorAll("[data-reveal]").forEach(function (input) {
      var target = document.getElementById(input.dataset.reveal);
      if (target) { target.hidden = !input.checked; }
    });
  }

  function typing(event) {
    var tag = (event.target.tagName || "").toLowerCase();
    return tag === "input" || tag === "textarea" || tag === "select" || event.target.isContentEditable;
  }

  function rows() { return Array.prototype.slice.call(document.querySelectorAll("[data-list] [data-row]")); }

  function move(step) {
    var all = rows();
    if (!all.length) { return; }
    var at = all.indexOf(document.querySelector("[data-row].selected"));
    var next = all[Math.min(Math.max(at + step, 0), all.length - 1)];
    all.forEach(function (row) { row.classList.remove("selected"); });
    next.classList.add("selected");
    var link = next.querySelector("a");
    if (link) { link.focus(); }
  }

  var pending = "";
  var JUMPS = { d: "/desk", q: "/queues", c: "/callbacks" };

  function onKey(event) {
    if (event.ctrlKey || event.metaKey || event.altKey || typing(event)) { return; }
    var help = document.getElementById("shortcuts");
    if (event.key === "?") { help.open ? help.close() : help.showModal(); event.preventDefault(); return; }
    if (pending === "g" && JUMPS[event.key]) { window.location.href = JUMPS[event.key]; pending = ""; return; }
    pending = event.key === "g" ? "g" : "";
    if (event.key === "j") { move(1); }
    else if (event.key === "k") { move(-1); }
    else if (event.key === "/") {
      var search = document.querySelector("[data-search]");
      if (search) { search.focus(); event.preventDefault(); }
    } else if (event.key === "a") {
      var accept = document.querySelector("[data-accept]");
      if (accept) { accept.closest("details").open = true; accept.focus(); }
    } else if (event.key === "n") {
      var note = document.querySelector("[data-note]");
      if (note) { note.closest("details").open = true; note.focus(); event.preventDefault(); }
    }
  }

  document.addEventListener("DOMContentLoaded", function () {
    tick();
    reveal();
    setInterval(tick, 30000);
    document.addEventListener("change", function (event) {
      if (event.target.matches("input[type=radio], input[type=checkbox]")) { reveal(); }
    });
    document.addEventListener("keydown", onKey);
    document.addEventListener("click", function (event) {
      if (event.target.closest("[data-help]")) { document.getElementById("shortcuts").showModal(); }
    });
    document.body.addEventListener("htmx:afterSwap", function () { tick(); reveal(); });
  });
})();
