// Moved out of the page for the Content-Security-Policy (script-src 'self', no inline script).
(function () {
  var box = document.getElementById("report-pdf");
  if (!box || !window.fetch) { return; }
  var timer = setInterval(function () {
    fetch(box.dataset.statusUrl, {credentials: "same-origin", cache: "no-store"})
      .then(function (response) { return response.ok ? response.json() : null; })
      .then(function (state) {
        if (state && state.ready) { clearInterval(timer); window.location.reload(); }
      })
      .catch(function () {});
  }, 2000);
})();

