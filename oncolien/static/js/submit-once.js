// A form marked data-submit-once is sent once: its buttons are disabled as soon as it
// leaves, so a double click does not send the sheet twice (the server refuses a
// second sending of the same form anyway, by its one-time token).
document.addEventListener("submit", function (event) {
  var form = event.target;
  if (!form.hasAttribute("data-submit-once")) {
    return;
  }
  if (form.dataset.submitted === "true") {
    event.preventDefault();
    return;
  }
  form.dataset.submitted = "true";
  form.setAttribute("aria-busy", "true");
  // After this event, so that the button's own submission is not cancelled.
  window.setTimeout(function () {
    form.querySelectorAll("button[type=submit], input[type=submit]").forEach(function (button) {
      button.disabled = true;
      button.textContent = "Enregistrement en cours…";
    });
  }, 0);
});
