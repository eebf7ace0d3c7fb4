// Moved out of the page for the Content-Security-Policy (script-src 'self', no inline script).
// When the respondent changes, propose the questionnaire meant for them at this phase
// (the instruments' own `default_for`), unless a questionnaire was chosen by hand.
(function () {
  var defaults = JSON.parse(document.getElementById("default-instruments").textContent);
  var respondent = document.querySelector("select[name=respondent]");
  var instrument = document.querySelector("select[name=instrument]");
  if (!respondent || !instrument) return;
  var chosen = false;
  instrument.addEventListener("change", function () { chosen = true; });
  respondent.addEventListener("change", function () {
    if (!chosen && defaults[respondent.value]) instrument.value = defaults[respondent.value];
  });
})();
