// Moved out of the page for the Content-Security-Policy (script-src 'self', no inline script).
(function () {
  if (!window.fetch) { return; }
  var link = document.getElementById("edition-retry");
  var url = link.getAttribute("href");
  var timer = setInterval(function () {
    fetch(url, {method: "HEAD", cache: "no-store"})
      .then(function (response) {
        var type = response.headers.get("Content-Type") || "";
        if (response.ok && type.indexOf("application/pdf") === 0) {
          clearInterval(timer);
          window.location.assign(url);
        }
      })
      .catch(function () {});
  }, Number(link.dataset.retrySeconds) * 1000);
})();
