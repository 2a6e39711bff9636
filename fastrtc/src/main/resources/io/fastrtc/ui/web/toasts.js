// Toast notifications: errors, warnings and notices, stacked at the top of the page.
// A message already on screen is not repeated: its counter goes up and its timer restarts.

import { h, icon } from "./dom.js";

const TITLES = { error: "Error", warning: "Warning", info: "Notice" };
const LIFETIME_MS = { error: 12_000, warning: 8_000, info: 5_000 };
const MAX_VISIBLE = 3;

export class Toasts {
  constructor(container) {
    this.container = container;
    this.visible = new Map(); // kind + message -> {el, count, timer}
  }

  error(message) {
    this.show("error", message);
  }

  warning(message) {
    this.show("warning", message);
  }

  info(message) {
    this.show("info", message);
  }

  show(kind, message) {
    let text = String(message ?? "").trim() || TITLES[kind];
    // The server sends a failing handler's error at most once a second, counting the ones it held back.
    let times = 1;
    const held = text.match(/^(.*) \((\d+) similar errors suppressed\)$/s);
    if (held) {
      text = held[1];
      times += Number(held[2]);
    }
    const key = `${kind}\u0000${text}`;
    const existing = this.visible.get(key);
    if (existing) {
      existing.count += times;
      existing.badge.textContent = `×${existing.count}`;
      existing.badge.hidden = false;
      this.arm(key, existing, kind);
      return;
    }
    const badge = h("span", { class: "toast-count", hidden: times === 1, text: `×${times}` });
    const el = h(
      "div",
      { class: `toast toast-${kind}`, role: kind === "error" ? "alert" : "status", dataset: { kind } },
      h("span", { class: "toast-icon" }, icon(kind)),
      h("div", { class: "toast-body" },
        h("strong", { class: "toast-title" }, TITLES[kind], badge),
        h("p", { class: "toast-message", text })),
      h("button", {
        class: "toast-close",
        type: "button",
        "aria-label": "Dismiss",
        onclick: () => this.dismiss(key),
      }, icon("close")),
    );
    const entry = { el, badge, count: times, timer: 0 };
    this.visible.set(key, entry);
    this.container.append(el);
    this.arm(key, entry, kind);
    while (this.visible.size > MAX_VISIBLE) this.dismiss(this.visible.keys().next().value);
  }

  arm(key, entry, kind) {
    clearTimeout(entry.timer);
    entry.timer = setTimeout(() => this.dismiss(key), LIFETIME_MS[kind]);
  }

  dismiss(key) {
    const entry = this.visible.get(key);
    if (!entry) return;
    this.visible.delete(key);
    clearTimeout(entry.timer);
    entry.el.classList.add("leaving");
    setTimeout(() => entry.el.remove(), 200);
  }
}
