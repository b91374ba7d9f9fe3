// Autosave of the new-session form as a draft, for its author only. The page works
// without it: the form's "Save draft" button keeps the same draft.
(function () {
  "use strict";
  var form = document.querySelector("form[data-draft-url]");
  if (!form || !window.fetch || !window.FormData) return;
  var url = form.getAttribute("data-draft-url");
  var status = document.getElementById("draft-status");
  var dirty = false;
  var busy = false;

  function say(text) {
    if (status) status.textContent = text;
  }

  function clock() {
    var now = new Date();
    return ("0" + now.getHours()).slice(-2) + ":" + ("0" + now.getMinutes()).slice(-2);
  }

  function save(leaving) {
    if (busy || !dirty) return;
    busy = true;
    dirty = false;
    var headers = { "X-Autosave": "1" };
    var csrf = form.querySelector("input[name='csrf_token']");
    if (csrf) headers["X-CSRFToken"] = csrf.value;
    fetch(url, {
      method: "POST",
      body: new FormData(form),
      headers: headers,
      credentials: "same-origin",
      keepalive: Boolean(leaving),
    })
      .then(function (response) {
        if (response.status === 204) {
          say("Draft saved " + clock() + ". Only you can see it.");
        } else {
          dirty = true;
          say("Draft not saved just now; use Save draft to keep it.");
        }
      })
      .catch(function () {
        dirty = true;
        say("Draft not saved just now: check your connection.");
      })
      .then(function () { busy = false; });
  }

  form.addEventListener("input", function () { dirty = true; });
  form.addEventListener("change", function () { dirty = true; });
  form.addEventListener("submit", function () { dirty = false; });
  window.setInterval(save, 5000);
  document.addEventListener("visibilitychange", function () {
    if (document.visibilityState === "hidden") save(true);
  });
})();
