// Site-wide behaviour. Every page works without this file; it only adds conveniences.
(function () {
  "use strict";

  // After a form is sent back with errors, move focus to the error summary, so screen-reader and
  // keyboard users start from the list of problems. The summary has tabindex="-1" so it can take focus.
  function focusErrorSummary() {
    var summary = document.getElementById("error-summary");
    if (summary) {
      summary.focus();
    }
  }

  focusErrorSummary();
})();
