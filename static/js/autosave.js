// Saves each rating and note on a questionnaire page about a second after it changes, so answers
// are stored even if the person never presses Save. The page works without this file, because the
// Save buttons send every field.
(function () {
  "use strict";

  var form = document.getElementById("answer-form");
  var statusRegion = document.getElementById("autosave-status");
  var progressRegion = document.getElementById("progress-status");
  if (!form || !statusRegion || !form.dataset.autosaveUrl) {
    return;
  }

  var DEBOUNCE_MS = 1000;
  // Five retries spaced 2 to 30 seconds apart, so the last one goes out a minute after the first failure.
  var RETRY_DELAYS_MS = [2000, 4000, 8000, 16000, 30000];
  var FIELD_NAME = /^(rating|note)-(\d+)$/;
  var TOO_LARGE_FALLBACK = "This note is too long to save. Notes can be at most 2,000 characters.";

  var url = form.dataset.autosaveUrl;
  var csrfToken = form.querySelector("input[name=csrfmiddlewaretoken]").value;
  var debounceTimers = {};
  var queued = {};
  var inFlight = false;
  var retryCount = 0;
  var stopped = false;
  // Fields whose value made a body too large, mapped to the server's message, until they are edited.
  var oversized = {};

  function showText(text) {
    statusRegion.textContent = text;
  }

  function showLoginLink(loginUrl) {
    var link = document.createElement("a");
    link.href = loginUrl || "/accounts/login/";
    link.textContent = "Log in again to keep saving.";
    statusRegion.textContent = "Your session has expired. ";
    statusRegion.appendChild(link);
  }

  function showSaved(data) {
    var time = new Date(data.saved_at).toLocaleTimeString("en-US", { hour: "numeric", minute: "2-digit" });
    showText("Saved at " + time);
    if (Object.keys(oversized).length > 0) {
      // The other fields of a rejected body are saved right after it, and that must not hide the error.
      statusRegion.appendChild(errorList(oversized));
    }
    updateProgress(data);
  }

  function updateProgress(data) {
    if (progressRegion && data.progress && progressRegion.textContent !== data.progress) {
      progressRegion.textContent = data.progress;
    }
  }

  function indicatorLabel(fieldName) {
    var match = FIELD_NAME.exec(fieldName);
    var fieldset = match && document.getElementById("indicator-" + match[2]);
    var legend = fieldset && fieldset.querySelector("legend");
    var fieldKind = match && match[1] === "note" ? "The note on " : "The rating of ";
    return legend ? fieldKind + "“" + legend.textContent.trim() + "”" : "This page";
  }

  function errorList(errors) {
    var list = document.createElement("ul");
    Object.keys(errors || {}).forEach(function (fieldName) {
      errors[fieldName].forEach(function (message) {
        var item = document.createElement("li");
        item.textContent = indicatorLabel(fieldName) + " was not saved: " + message;
        list.appendChild(item);
      });
    });
    return list;
  }

  function showErrors(errors) {
    showText("Could not save some answers.");
    statusRegion.appendChild(errorList(errors));
  }

  function currentValue(fieldName) {
    // A radio group gives a RadioNodeList whose value is the checked radio's value.
    var field = form.elements[fieldName];
    return field ? field.value : "";
  }

  function stop() {
    stopped = true;
    Object.keys(debounceTimers).forEach(function (fieldName) {
      clearTimeout(debounceTimers[fieldName]);
    });
  }

  function retry(fieldNames) {
    fieldNames.forEach(function (fieldName) {
      queued[fieldName] = true;
    });
    if (retryCount >= RETRY_DELAYS_MS.length) {
      // The fields stay queued, so the next change sends them again.
      retryCount = 0;
      showText("Could not save. Check your connection and use Save and continue.");
      return;
    }
    showText("Could not save. Retrying…");
    setTimeout(flush, RETRY_DELAYS_MS[retryCount]);
    retryCount += 1;
  }

  function requeueAllButLongest(fieldNames) {
    // Queue the fields of a body rejected as too large again, all but the longest value, and return
    // that field's name. The longest value is the likely cause, so the rest go out again and are saved.
    // If they are still too large, the next reply leaves out the next longest.
    var longest = fieldNames.reduce(function (kept, fieldName) {
      return currentValue(fieldName).length > currentValue(kept).length ? fieldName : kept;
    });
    fieldNames.forEach(function (fieldName) {
      if (fieldName !== longest) {
        queued[fieldName] = true;
      }
    });
    return longest;
  }

  function handleReply(statusCode, data, fieldNames) {
    if (statusCode === 200 && data.status === "saved") {
      retryCount = 0;
      showSaved(data);
      flush();
    } else if (statusCode === 400 && data.status === "invalid") {
      retryCount = 0;
      showErrors(data.errors);
      updateProgress(data);
      flush();
    } else if (statusCode === 413) {
      // Sending the same text again cannot succeed, so this is not retried. Editing the note queues it again.
      retryCount = 0;
      oversized[requeueAllButLongest(fieldNames)] = [data.message || TOO_LARGE_FALLBACK];
      showErrors(oversized);
      flush();
    } else if (statusCode === 401) {
      stop();
      showLoginLink(data.login_url);
    } else if (statusCode === 409) {
      stop();
      showText(data.message || "Your answers are locked, so this change was not saved.");
    } else if (statusCode === 403) {
      stop();
      showText(data.message || "Could not save. Reload the page and try again.");
    } else {
      retry(fieldNames);
    }
  }

  function flush() {
    var fieldNames = Object.keys(queued);
    if (inFlight || stopped || fieldNames.length === 0) {
      return;
    }
    queued = {};
    var body = new FormData();
    fieldNames.forEach(function (fieldName) {
      body.append(fieldName, currentValue(fieldName));
    });

    inFlight = true;
    fetch(url, {
      method: "POST",
      body: body,
      credentials: "same-origin",
      headers: { "X-CSRFToken": csrfToken, Accept: "application/json" },
    })
      .then(function (response) {
        return response
          .json()
          .catch(function () {
            return {};
          })
          .then(function (data) {
            inFlight = false;
            handleReply(response.status, data, fieldNames);
          });
      })
      .catch(function () {
        inFlight = false;
        retry(fieldNames);
      });
  }

  function schedule(event) {
    var fieldName = event.target.name;
    if (stopped || !FIELD_NAME.test(fieldName || "")) {
      return;
    }
    delete oversized[fieldName];
    clearTimeout(debounceTimers[fieldName]);
    debounceTimers[fieldName] = setTimeout(function () {
      delete debounceTimers[fieldName];
      queued[fieldName] = true;
      flush();
    }, DEBOUNCE_MS);
  }

  form.addEventListener("change", schedule);
  form.addEventListener("input", schedule);
  // The Save buttons send every field, so pending autosaves would only repeat that work.
  form.addEventListener("submit", stop);
})();
