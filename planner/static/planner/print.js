// "Print" buttons (data-print): a static file, not an inline handler, so that the
// Content-Security-Policy (planner/csp.py) allows no inline script at all.
document.addEventListener("click", (event) => {
  if (event.target.closest("[data-print]")) {
    window.print();
  }
});
