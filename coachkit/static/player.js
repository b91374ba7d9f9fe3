/* The training player, enhanced: after an answer the page opens at the newest line
   (the #now fragment the redirect carries, which browsers follow without this script);
   here that line also takes the focus, so a screen reader reads on from the learner's
   reply to the feedback and the customer's reaction. Nothing depends on it. */
(function () {
  "use strict";
  if (window.location.hash !== "#now") {
    return;
  }
  var newest = document.getElementById("now");
  if (newest) {
    newest.focus({ preventScroll: true });
  }
})();
