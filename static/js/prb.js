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

// "Add a row" of a formset without reloading the page: the row comes from a <template>
// holding the formset's empty form; without JavaScript the button posts and the server
// answers the same page with one more row.
document.addEventListener("click", (event) => {
  const button = event.target instanceof Element && event.target.closest("[data-add-row]");
  if (!button) return;
  const body = document.querySelector(`#${button.dataset.addRow} tbody`);
  const template = document.getElementById(button.dataset.rowTemplate);
  const total = document.getElementById(`id_${button.dataset.prefix}-TOTAL_FORMS`);
  const max = document.getElementById(`id_${button.dataset.prefix}-MAX_NUM_FORMS`);
  if (!body || !template || !total) return;
  event.preventDefault();
  const index = Number(total.value);
  if (max && index >= Number(max.value)) return;
  const html = template.innerHTML
    .replaceAll("__prefix__", String(index))
    .replaceAll("__row__", String(index + 1));
  body.insertAdjacentHTML("beforeend", html);
  total.value = String(index + 1);
  const first = body.lastElementChild && body.lastElementChild.querySelector("select, input");
  if (first) first.focus();
});

// Past or near expiry flagged while typing, before the receipt is saved (the server checks
// again). Messages come translated from the form's data attributes.
function flagExpiry(input) {
  const form = input.form;
  const flag = input.closest("td") && input.closest("td").querySelector(".expiry-flag");
  if (!form || !flag) return;
  const received = form.querySelector("[name=received_on]");
  const start = new Date((received && received.value) || new Date().toISOString().slice(0, 10));
  const expiry = new Date(input.value);
  flag.textContent = "";
  flag.className = "expiry-flag";
  if (!input.value || Number.isNaN(expiry.getTime())) return;
  const days = Math.round((expiry - start) / 86400000);
  if (days <= 0) {
    flag.textContent = form.dataset.msgExpired;
    flag.classList.add("bad");
  } else if (days <= Number(form.dataset.nearDays)) {
    flag.textContent = form.dataset.msgNear.replace("__days__", String(days));
    flag.classList.add("soon");
  }
}
document.addEventListener("change", (event) => {
  if (event.target instanceof HTMLInputElement && event.target.hasAttribute("data-expiry-check")) {
    flagExpiry(event.target);
  }
  if (event.target instanceof HTMLInputElement && event.target.name === "received_on") {
    event.target.form.querySelectorAll("[data-expiry-check]").forEach(flagExpiry);
  }
});
document.addEventListener("DOMContentLoaded", () => {
  document.querySelectorAll("[data-expiry-check]").forEach(flagExpiry);
});
