// Moved out of the page for the Content-Security-Policy (script-src 'self', no inline script).
// Saves the whole form after each change, then shows the questions the server says are
// asked (the conditions are evaluated by the engine only) and numbers them 1, 2, 3… as
// shown. Without JavaScript the buttons do the same.
(function () {
  var form = document.getElementById("questionnaire");
  var status = document.getElementById("save-status");
  if (!form || !window.fetch) return;
  var timer = null;
  var sent = 0;
  function renumber() {
    var number = 0;
    form.querySelectorAll("[data-item]").forEach(function (node) {
      var label = node.querySelector(".item-number");
      if (label) label.textContent = node.hidden ? "" : (++number) + ".";
    });
  }
  // The messages of a refused background save, next to their questions; they go at the
  // next save that succeeds (the messages the server wrote in the page stay).
  function showErrors(errors) {
    form.querySelectorAll(".autosave-error").forEach(function (node) { node.remove(); });
    Object.keys(errors).forEach(function (id) {
      var node = form.querySelector('[data-item="' + id + '"]');
      var title = node && node.querySelector("legend, label");
      if (!title) return;
      var message = document.createElement("p");
      message.className = "item-error autosave-error";
      message.textContent = errors[id];
      title.insertAdjacentElement("afterend", message);
    });
  }
  function save() {
    var data = new FormData(form);
    data.set("action", "save");
    var mine = ++sent;
    fetch(window.location.href, {method: "POST", body: data, headers: {"X-Autosave": "1"}, credentials: "same-origin"})
      .then(function (response) { return response.json(); })
      .then(function (result) {
        // A slower reply to an earlier save must not undo what a later one showed.
        if (mine !== sent) return;
        if (!result.saved) {
          showErrors(result.errors || {});
          status.textContent = (result.general || []).length
            ? "Réponses non enregistrées : " + result.general.join(" ")
            : "Réponses non enregistrées : voir les questions signalées.";
          return;
        }
        form.querySelectorAll("[data-item]").forEach(function (node) {
          node.hidden = result.enabled.indexOf(node.dataset.item) === -1;
        });
        renumber();
        showErrors({});
        status.textContent = "Réponses enregistrées.";
      })
      .catch(function () { if (mine === sent) status.textContent = "Vos dernières réponses n'ont pas été enregistrées (connexion interrompue ?). Réessayez avec le bouton d'enregistrement."; });
  }
  // Once the form is sent, no background save leaves after it: it would reach a
  // questionnaire already sent, or cross the sending on the server.
  var leaving = false;
  form.addEventListener("submit", function () { leaving = true; clearTimeout(timer); });
  function later(delay) {
    clearTimeout(timer);
    if (!leaving) timer = setTimeout(save, delay);
  }
  form.addEventListener("change", function () { later(250); });
  // A note being typed is saved when the typing pauses, not only when the field is left.
  form.addEventListener("input", function (event) { if (event.target.tagName === "TEXTAREA") later(1000); });
})();
