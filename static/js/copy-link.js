// "Copy link" buttons for read-only link fields. The buttons start hidden, because without this
// script the field alone still lets people select and copy the link.
(function () {
  "use strict";

  function setStatus(text) {
    var status = document.getElementById("copy-status");
    if (status) {
      status.textContent = text;
    }
  }

  function copyFrom(input) {
    input.focus();
    input.select();
    if (navigator.clipboard && window.isSecureContext) {
      return navigator.clipboard.writeText(input.value);
    }
    // navigator.clipboard needs a secure context (HTTPS or localhost), so plain-HTTP pages fall back
    // to the deprecated execCommand.
    return document.execCommand("copy") ? Promise.resolve() : Promise.reject(new Error("copy failed"));
  }

  document.querySelectorAll("[data-copy-target]").forEach(function (button) {
    var input = document.getElementById(button.getAttribute("data-copy-target"));
    if (!input) {
      return;
    }
    button.hidden = false;
    input.addEventListener("focus", function () {
      input.select();
    });
    button.addEventListener("click", function () {
      copyFrom(input).then(
        function () {
          setStatus("Link copied. Paste it into an email or a message.");
        },
        function () {
          setStatus("Copying failed. Select the link and copy it with your keyboard or menu instead.");
        }
      );
    });
  });
})();
