// Inviting candidates: "Copy" buttons for links and invitation texts (the fields stay
// selectable without JavaScript), and "Add another row" on the bulk form.
(function () {
  "use strict";

  function copy(field, button) {
    const done = function () {
      const label = button.textContent;
      button.textContent = "Copied";
      setTimeout(function () { button.textContent = label; }, 2000);
    };
    field.select();
    if (navigator.clipboard && window.isSecureContext) {
      navigator.clipboard.writeText(field.value).then(done, function () {});
    } else if (document.execCommand("copy")) {
      done();
    }
  }

  document.querySelectorAll("button[data-copy]").forEach(function (button) {
    const field = document.getElementById(button.dataset.copy);
    if (!field) { return; }
    button.hidden = false;
    button.addEventListener("click", function () { copy(field, button); });
  });

  const rows = document.querySelector("[data-bulk-rows]");
  const add = document.querySelector("[data-add-row]");
  if (rows && add) {
    const limit = parseInt(rows.dataset.bulkRows, 10);
    add.hidden = false;
    add.addEventListener("click", function () {
      const all = rows.querySelectorAll(".bulk-row");
      if (all.length >= limit) { add.disabled = true; return; }
      const next = all[all.length - 1].cloneNode(true);
      const index = all.length;
      next.querySelectorAll("[id], [for], [name], [aria-describedby]").forEach(function (el) {
        ["id", "for", "name", "aria-describedby"].forEach(function (attr) {
          if (el.hasAttribute(attr)) {
            el.setAttribute(attr, el.getAttribute(attr).replace(/rows-\d+-/g, "rows-" + index + "-"));
          }
        });
      });
      next.querySelectorAll(".error, .hint").forEach(function (el) { el.remove(); });
      next.querySelectorAll("input").forEach(function (input) {
        input.value = "";
        input.removeAttribute("aria-invalid");
        input.removeAttribute("aria-describedby");
      });
      next.querySelectorAll(".field-error").forEach(function (el) { el.classList.remove("field-error"); });
      next.querySelector(".bulk-number").textContent = String(index + 1);
      rows.appendChild(next);
      next.querySelector("input").focus();
      if (index + 1 >= limit) { add.disabled = true; }
    });
  }
})();
