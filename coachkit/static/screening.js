// Candidate pages: autosave, a live word count and the countdown.
// The pages work without this file; it only saves more often and shows more.
(function () {
  "use strict";

  var SAVE_EVERY_MS = 5000;
  var TICK_MS = 5000;
  var GRACE_MS = 32000; // a little over the server's grace after the deadline
  var ANNOUNCE_AT_MINUTES = [5, 1];

  function clock() {
    return new Date().toLocaleTimeString([], { hour: "2-digit", minute: "2-digit" });
  }

  function countWords(text) {
    var trimmed = text.trim();
    return trimmed ? trimmed.split(/\s+/).length : 0;
  }

  // Autosave ---------------------------------------------------------------

  function setUpAutosave(form) {
    var url = form.getAttribute("data-autosave-url");
    var status = document.getElementById("save-status");
    var dirty = false;
    var busy = false;
    var stopped = false;

    function say(text) {
      if (status) status.textContent = text;
    }

    function reasonOf(response) {
      return response
        .json()
        .then(function (body) { return body; })
        .catch(function () { return {}; });
    }

    function save(options) {
      if (stopped || busy || !dirty) return;
      busy = true;
      dirty = false;
      var data = new FormData(form);
      var headers = {};
      var csrf = form.querySelector("input[name='csrf_token']");
      if (csrf) headers["X-CSRFToken"] = csrf.value;
      fetch(url, {
        method: "POST",
        body: data,
        headers: headers,
        credentials: "same-origin",
        keepalive: Boolean(options && options.leaving),
      })
        .then(function (response) {
          if (response.status === 204) {
            say("Saved " + clock());
            return;
          }
          return reasonOf(response).then(function (body) {
            if (response.ok && body.saved) {
              say("Saved " + clock() + ". " + (body.reason || ""));
            } else if (response.status === 422) {
              say("Not saved yet: " + (body.reason || ""));
            } else if (response.status === 410) {
              stopped = true;
              say(body.reason || "This link no longer accepts answers.");
              if (body.next) window.location.assign(body.next);
            } else {
              dirty = true;
              say("Not saved just now. We will try again in a few seconds.");
            }
          });
        })
        .catch(function () {
          dirty = true;
          say("Not saved just now: check your connection. We will try again in a few seconds.");
        })
        .then(function () { busy = false; });
    }

    function changed() { dirty = true; }
    form.addEventListener("input", changed);
    form.addEventListener("change", changed);
    form.addEventListener("submit", function () { stopped = true; });
    window.setInterval(save, SAVE_EVERY_MS);
    document.addEventListener("visibilitychange", function () {
      if (document.visibilityState === "hidden") save({ leaving: true });
    });
    window.addEventListener("pagehide", function () { save({ leaving: true }); });
    say("Your answer is saved automatically every few seconds.");

    return {
      saveNow: function () {
        dirty = true;
        save();
      },
    };
  }

  // Word count -------------------------------------------------------------

  function setUpWordCount(textarea) {
    var limit = parseInt(textarea.getAttribute("data-max-words"), 10);
    var output = document.getElementById(textarea.id + "-count");
    if (!output || !limit) return;
    function update() {
      var words = countWords(textarea.value);
      output.textContent = words + " of " + limit + " words" +
        (words > limit ? ": " + (words - limit) + " too many" : "");
      output.classList.toggle("word-count-over", words > limit);
    }
    textarea.addEventListener("input", update);
    update();
  }

  // Countdown --------------------------------------------------------------

  function setUpTimer(timer, autosave) {
    var text = timer.querySelector(".screening-timer-text");
    var announcer = document.createElement("span");
    announcer.className = "visually-hidden";
    announcer.setAttribute("aria-live", "polite");
    timer.appendChild(announcer);
    var end = Date.now() + parseInt(timer.getAttribute("data-seconds-left"), 10) * 1000;
    var announced = {};
    var finished = false;

    function tick() {
      var left = end - Date.now();
      if (left <= 0) {
        if (finished) return;
        finished = true;
        text.textContent = "Time is up. Your saved answers are being handed in.";
        announcer.textContent = "Time is up. Your answers are being handed in.";
        timer.classList.add("screening-timer-low");
        if (autosave) autosave.saveNow();
        window.setTimeout(function () { window.location.reload(); }, GRACE_MS);
        return;
      }
      var minutes = Math.ceil(left / 60000);
      text.textContent = "Time left: about " + minutes + (minutes === 1 ? " minute" : " minutes");
      timer.classList.toggle("screening-timer-low", minutes <= 5);
      ANNOUNCE_AT_MINUTES.forEach(function (mark) {
        if (minutes === mark && !announced[mark]) {
          announced[mark] = true;
          announcer.textContent = mark + (mark === 1 ? " minute" : " minutes") + " left.";
        }
      });
    }
    tick();
    window.setInterval(tick, TICK_MS);
  }

  function start() {
    var form = document.querySelector("form[data-autosave-url]");
    var autosave = form ? setUpAutosave(form) : null;
    document.querySelectorAll("textarea[data-max-words]").forEach(setUpWordCount);
    var timer = document.querySelector(".screening-timer[data-seconds-left]");
    if (timer) setUpTimer(timer, autosave);
  }

  start();
})();
