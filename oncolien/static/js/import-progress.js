// Moved out of the page for the Content-Security-Policy (script-src 'self', no inline script).
(function () {
  var box = document.getElementById("import-progress");
  if (!box || !window.fetch) { return; }
  var bar = document.getElementById("import-progress-bar");
  var text = document.getElementById("import-progress-text");
  var timer = setInterval(function () {
    fetch(box.dataset.progressUrl, {credentials: "same-origin", cache: "no-store"})
      .then(function (response) { return response.ok ? response.json() : null; })
      .then(function (progress) {
        if (!progress) { return; }
        if (!progress.active) { clearInterval(timer); window.location.reload(); return; }
        if (progress.total) { bar.value = progress.percent; } else { bar.removeAttribute("value"); }
        if (text.textContent !== progress.message) { text.textContent = progress.message; }
      })
      .catch(function () {});
  }, 1000);
})();

