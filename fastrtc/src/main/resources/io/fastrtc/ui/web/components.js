// Additional inputs and outputs, rendered from the component descriptions in /config
// (Component.describe() on the server: {type, label, value, ...}).
//
// An input is {el, value (get/set), onChange(fn), onSubmit(fn)}; an output is {el, value (get/set)}.

import { escapeHtml, h, markdown } from "./dom.js";

let nextId = 0;
const uid = (type) => `c${nextId++}-${type}`;

function field(desc, ...children) {
  return h("div", { class: `field field-${desc.type}`, dataset: { label: desc.label ?? "" } }, ...children);
}

function head(desc, id, extra) {
  return h("div", { class: "field-head" },
    desc.label ? h("label", { class: "field-label", for: id, text: desc.label }) : null,
    extra);
}

/** Listener lists, for onChange / onSubmit. */
function listeners() {
  const fns = [];
  return { add: (fn) => fns.push(fn), fire: () => fns.forEach((fn) => fn()) };
}

function formatNumber(v) {
  if (typeof v !== "number" || !Number.isFinite(v)) return v == null ? "–" : String(v);
  return Number.isInteger(v) ? String(v) : v.toLocaleString("en-US", { maximumFractionDigits: 3 });
}

// ---- inputs ----

function slider(desc) {
  const id = uid("slider");
  const readout = h("output", { class: "field-value", for: id });
  const input = h("input", { id, type: "range", min: desc.minimum, max: desc.maximum, step: desc.step ?? "any" });
  const show = () => {
    readout.textContent = formatNumber(Number(input.value));
    const span = desc.maximum - desc.minimum;
    input.style.setProperty("--fill", `${((Number(input.value) - desc.minimum) / span) * 100}%`);
  };
  const change = listeners();
  input.addEventListener("input", () => {
    show();
    change.fire();
  });
  const el = field(desc,
    head(desc, id, readout),
    input,
    h("div", { class: "field-range", "aria-hidden": "true" },
      h("span", { text: formatNumber(desc.minimum) }), h("span", { text: formatNumber(desc.maximum) })));
  const api = {
    el,
    get value() {
      return Number(input.value);
    },
    set value(v) {
      input.value = v;
      show();
    },
    onChange: change.add,
    onSubmit: () => {},
  };
  api.value = desc.value;
  return api;
}

function textLike(desc, type) {
  const id = uid(desc.type);
  const input = h("input", {
    id,
    type,
    class: "text-input",
    maxlength: desc.maxLength,
    min: desc.minimum,
    max: desc.maximum,
    step: type === "number" ? "any" : null,
    autocomplete: "off",
    placeholder: type === "number" ? null : desc.placeholder ?? "",
  });
  const change = listeners();
  const submit = listeners();
  input.addEventListener("input", () => {
    if (input.validity.valid && input.value !== "") change.fire();
  });
  input.addEventListener("keydown", (e) => {
    if (e.key === "Enter") {
      e.preventDefault();
      submit.fire();
    }
  });
  input.value = desc.value ?? "";
  return {
    el: field(desc, head(desc, id), input),
    get value() {
      return type === "number" ? Number(input.value) : input.value;
    },
    set value(v) {
      input.value = v ?? "";
    },
    onChange: change.add,
    onSubmit: submit.add,
  };
}

function checkbox(desc) {
  const id = uid("checkbox");
  const input = h("input", { id, type: "checkbox", role: "switch" });
  input.checked = Boolean(desc.value);
  const change = listeners();
  input.addEventListener("change", change.fire);
  return {
    el: field(desc,
      h("label", { class: "switch", for: id }, input, h("span", { class: "switch-track", "aria-hidden": "true" }),
        h("span", { class: "switch-label", text: desc.label }))),
    get value() {
      return input.checked;
    },
    set value(v) {
      input.checked = Boolean(v);
    },
    onChange: change.add,
    onSubmit: () => {},
  };
}

function dropdown(desc) {
  const id = uid("dropdown");
  const select = h("select", { id, class: "select" }, desc.choices.map((c) => h("option", { value: c, text: c })));
  select.value = desc.value;
  const change = listeners();
  select.addEventListener("change", change.fire);
  return {
    el: field(desc, head(desc, id), h("div", { class: "select-wrap" }, select)),
    get value() {
      return select.value;
    },
    set value(v) {
      select.value = v;
    },
    onChange: change.add,
    onSubmit: () => {},
  };
}

function radio(desc) {
  const id = uid("radio");
  const change = listeners();
  const inputs = desc.choices.map((choice) => {
    const input = h("input", { type: "radio", name: id, value: choice });
    input.checked = choice === desc.value;
    input.addEventListener("change", change.fire);
    return input;
  });
  const group = h("div", { class: "segmented", role: "radiogroup", "aria-labelledby": `${id}-label` },
    inputs.map((input) => h("label", { class: "segment" }, input, h("span", { text: input.value }))));
  return {
    el: field(desc, h("div", { class: "field-head" }, h("span", { class: "field-label", id: `${id}-label`, text: desc.label })), group),
    get value() {
      return inputs.find((i) => i.checked)?.value ?? desc.value;
    },
    set value(v) {
      inputs.forEach((i) => (i.checked = i.value === v));
    },
    onChange: change.add,
    onSubmit: () => {},
  };
}

/** An input control for a component description; display-only kinds keep their value. */
export function renderInput(desc) {
  switch (desc.type) {
    case "slider":
      return slider(desc);
    case "number":
      return textLike(desc, "number");
    case "textbox":
      return textLike(desc, "text");
    case "checkbox":
      return checkbox(desc);
    case "dropdown":
      return dropdown(desc);
    case "radio":
      return radio(desc);
    default: {
      const output = renderOutput(desc);
      return {
        el: output.el,
        get value() {
          return output.value;
        },
        set value(v) {
          output.value = v;
        },
        onChange: () => {},
        onSubmit: () => {},
      };
    }
  }
}

// ---- outputs ----

function highlightJson(value) {
  const text = JSON.stringify(value, null, 2) ?? "null";
  return escapeHtml(text).replace(
    /(&quot;(?:\\.|[^\\&]|&(?!quot;))*?&quot;)(\s*:)?|\b(true|false|null)\b|-?\d+(?:\.\d+)?(?:[eE][+-]?\d+)?/g,
    (match, string, colon, literal) => {
      if (string) return colon ? `<span class="j-key">${string}</span>${colon}` : `<span class="j-str">${string}</span>`;
      if (literal) return `<span class="j-lit">${literal}</span>`;
      return `<span class="j-num">${match}</span>`;
    },
  );
}

function display(desc, body, show) {
  const el = h("div", { class: `field output field-${desc.type}`, dataset: { label: desc.label ?? "" } },
    desc.label ? h("div", { class: "field-head" }, h("span", { class: "field-label", text: desc.label })) : null,
    body);
  let current;
  const api = {
    el,
    get value() {
      return current;
    },
    set value(v) {
      current = v;
      show(v);
    },
  };
  current = desc.value;
  show(desc.value);
  return api;
}

function chat(desc) {
  const log = h("div", { class: "chat", role: "log", "aria-live": "polite" });
  return display(desc, log, (messages) => {
    const list = Array.isArray(messages) ? messages : [];
    log.replaceChildren(
      ...(list.length
        ? list.map((m) => {
            const bubble = h("div", { class: `msg msg-${m.role}` }, h("div", { class: "msg-bubble" }));
            bubble.firstChild.innerHTML = markdown(String(m.content ?? ""));
            return bubble;
          })
        : [h("p", { class: "empty-note", text: "No messages yet" })]),
    );
    log.scrollTop = log.scrollHeight;
  });
}

function label(desc) {
  const top = h("div", { class: "label-top" });
  const list = h("ul", { class: "confidences" });
  return display(desc, h("div", { class: "out-label" }, top, list), (v) => {
    top.textContent = v?.label ?? "–";
    list.replaceChildren(
      ...(v?.confidences ?? []).slice(0, 5).map((c) =>
        h("li", {},
          h("span", { class: "conf-name", text: c.label }),
          h("span", { class: "conf-bar" }, h("i", { style: { width: `${Math.round(c.confidence * 100)}%` } })),
          h("span", { class: "conf-value", text: `${Math.round(c.confidence * 100)}%` }))),
    );
  });
}

function image(desc) {
  const img = h("img", { alt: desc.label ?? "image", hidden: true });
  const empty = h("div", { class: "empty-note", text: "No image yet" });
  return display(desc, h("div", { class: "out-image" }, img, empty), (v) => {
    img.hidden = !v;
    empty.hidden = Boolean(v);
    if (v) img.src = v;
    else img.removeAttribute("src");
  });
}

/** A display for a component description, updated by setting .value. */
export function renderOutput(desc) {
  switch (desc.type) {
    case "textbox": {
      const box = h("div", { class: "out-text" });
      return display(desc, box, (v) => (box.textContent = v == null || v === "" ? "–" : String(v)));
    }
    case "number": {
      const box = h("div", { class: "out-number" });
      return display(desc, box, (v) => (box.textContent = formatNumber(v)));
    }
    case "chatbot":
      return chat(desc);
    case "label":
      return label(desc);
    case "image":
      return image(desc);
    case "checkbox":
    case "slider":
    case "dropdown":
    case "radio": {
      const box = h("div", { class: "out-text" });
      return display(desc, box, (v) => (box.textContent = v == null ? "–" : typeof v === "number" ? formatNumber(v) : String(v)));
    }
    default: {
      const pre = h("pre", { class: "out-json" });
      return display(desc, pre, (v) => {
        pre.classList.toggle("empty", v == null);
        if (v == null) pre.textContent = "–";
        else pre.innerHTML = highlightJson(v);
      });
    }
  }
}
