// Moved out of the page for the Content-Security-Policy (script-src 'self', no inline script).
// On a phone, after a search: the filters fold away and the results come first.
// Without this script the filters stay open, as on a wide screen.
if (window.matchMedia("(max-width: 40rem)").matches) {
  document.getElementById("filtres").open = false;
  document.getElementById("resultats").scrollIntoView();
}
