// itudocs page behaviour; the page works without it (footnote calls are plain links).
(function () {
  "use strict";

  // Footnote calls show their note on hover or click (Enter), and Escape closes it.
  var notes = new Map();
  function fetchNote(id) {
    if (!notes.has(id)) {
      notes.set(id, fetch("/api/show?context=0&id=" + encodeURIComponent(id)).then(function (r) {
        return r.json().then(function (body) { return r.ok ? body.hit.text : body.error; });
      }));
    }
    return notes.get(id);
  }
  function openNote(link, pinned) {
    var box = link.parentNode.querySelector(".note-box[data-for='" + CSS.escape(link.dataset.note) + "']");
    if (!box) {
      box = document.createElement("span");
      box.className = "note-box";
      box.setAttribute("role", "tooltip");
      box.id = "note-" + Math.random().toString(36).slice(2);
      box.dataset.for = link.dataset.note;
      box.textContent = "…";
      link.after(box);
      fetchNote(link.dataset.note).then(function (text) { box.textContent = text; });
    }
    if (pinned) { link.dataset.pinned = "1"; }
    link.setAttribute("aria-expanded", "true");
    link.setAttribute("aria-describedby", box.id);
  }
  function closeNote(link) {
    var box = document.getElementById(link.getAttribute("aria-describedby") || "");
    if (box) { box.remove(); }
    link.removeAttribute("aria-describedby");
    link.setAttribute("aria-expanded", "false");
    delete link.dataset.pinned;
  }
  document.addEventListener("click", function (event) {
    var link = event.target.closest("a.fn");
    if (!link || event.ctrlKey || event.metaKey || event.shiftKey) { return; }
    event.preventDefault();
    if (link.dataset.pinned) { closeNote(link); } else { openNote(link, true); }
  });
  document.addEventListener("mouseover", function (event) {
    var link = event.target.closest && event.target.closest("a.fn");
    if (link) { openNote(link, false); }
  });
  document.addEventListener("mouseout", function (event) {
    var link = event.target.closest && event.target.closest("a.fn");
    if (link && !link.dataset.pinned) { closeNote(link); }
  });
  document.addEventListener("keydown", function (event) {
    if (event.key === "Escape") {
      document.querySelectorAll("a.fn[aria-expanded='true']").forEach(closeNote);
    } else if (event.key === "/" && !/^(INPUT|SELECT|TEXTAREA)$/.test(document.activeElement.tagName)) {
      var box = document.getElementById("q");
      if (box) { event.preventDefault(); box.focus(); box.select(); }
    }
  });

  // A search is a link to share: leave the filters that were not set out of its address.
  var form = document.getElementById("search");
  if (form) {
    form.addEventListener("submit", function (event) {
      event.preventDefault();
      var params = new URLSearchParams();
      new FormData(form).forEach(function (value, name) { if (value !== "") { params.append(name, value); } });
      window.location.assign("/?" + params.toString());
    });
  }
})();
