// PRB's own behaviour, kept out of the markup: the Content-Security-Policy allows no inline script.
document.addEventListener("click", (event) => {
  if (event.target instanceof Element && event.target.closest("[data-print]")) {
    window.print();
  }
});
