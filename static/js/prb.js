// PRB's own behaviour, kept out of the markup: the Content-Security-Policy allows no inline script.
// Every page works without it.
document.addEventListener("click", (event) => {
  if (event.target instanceof Element && event.target.closest("[data-print]")) {
    window.print();
  }
});

// A submitted form with errors: the focus moves to its summary, and each link of the
// summary puts the focus in the field it names (templates/includes/error_summary.html).
document.addEventListener("DOMContentLoaded", () => {
  const summary = document.querySelector(".error-summary");
  if (summary) {
    summary.focus();
  }
});
document.addEventListener("click", (event) => {
  if (!(event.target instanceof Element)) {
    return;
  }
  const link = event.target.closest(".error-summary a[href^='#']");
  const field = link && document.getElementById(link.getAttribute("href").slice(1));
  if (field) {
    event.preventDefault();
    field.scrollIntoView({ block: "center" });
    field.focus();
  }
  // The intake form's sticky criteria summary opens the full panel.
  const opener = event.target.closest("[data-open-panel]");
  const panel = opener && document.getElementById(opener.getAttribute("data-open-panel"));
  if (panel) {
    event.preventDefault();
    panel.scrollIntoView({ block: "start" });
    panel.focus();
  }
});

// A table wider than a phone scrolls inside its own box (CSS); keyboard users must be able
// to focus that box to scroll it (WCAG 2.1.1).
function focusableScrollers() {
  document.querySelectorAll("main table").forEach((table) => {
    if (table.scrollWidth > table.clientWidth + 1) {
      if (!table.hasAttribute("tabindex")) table.setAttribute("tabindex", "0");
    } else if (table.getAttribute("tabindex") === "0") {
      table.removeAttribute("tabindex");
    }
  });
}
if (document.readyState === "loading") {
  document.addEventListener("DOMContentLoaded", focusableScrollers);
} else {
  focusableScrollers();
}
document.addEventListener("htmx:afterSettle", focusableScrollers);
window.addEventListener("resize", focusableScrollers);

// A live check (a form with data-send-if-changed: the criteria panel) is debounced by its
// hx-trigger and goes out only when the form's values differ from what was last sent.
document.addEventListener("htmx:beforeRequest", (event) => {
  const form = event.detail.elt;
  if (!(form instanceof HTMLFormElement) || !form.hasAttribute("data-send-if-changed")) return;
  const values = new URLSearchParams(new FormData(form)).toString();
  if (form.dataset.lastSent === values) {
    event.preventDefault();
  } else {
    form.dataset.lastSent = values;
  }
});
