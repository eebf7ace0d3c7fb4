// Moved out of the page for the Content-Security-Policy (script-src 'self', no inline script).
// A button marked data-print opens the browser's print dialog.
document.addEventListener("click", function (event) {
  if (event.target.closest("[data-print]")) {
    window.print();
  }
});
