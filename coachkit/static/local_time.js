// Candidate pages: show each <time data-local-time> in the reader's own time zone.
// Without this file the page shows the time in UTC and a phrase like "in 13 days".
(function () {
  "use strict";

  var FORMAT = {
    weekday: "long",
    day: "numeric",
    month: "long",
    year: "numeric",
    hour: "2-digit",
    minute: "2-digit",
  };

  function localise(element) {
    var moment = new Date(element.getAttribute("datetime"));
    if (isNaN(moment.getTime())) return;
    element.title = element.textContent;
    element.textContent = moment.toLocaleString([], FORMAT) + ", your time";
  }

  function start() {
    var found = document.querySelectorAll("time[data-local-time]");
    for (var i = 0; i < found.length; i++) localise(found[i]);
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", start);
  } else {
    start();
  }
})();
