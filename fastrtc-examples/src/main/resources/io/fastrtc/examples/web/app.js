// The video-flip page: camera in, flipped video back, a slider for the threshold and the
// handler's readings. The FastRTC protocol itself is in client.js; this page adds:
//   slider -> POST input_hook {webrtc_id, <field>: value};  readings <- GET outputs (SSE, event "output").

import { Connection, deviceError, postJson, toast as showToast } from "./client.js";

const $ = (id) => document.getElementById(id);
const ui = {
  status: $("status"),
  toggle: $("toggle"),
  local: $("local"),
  remote: $("remote"),
  slider: $("slider"),
  sliderLabel: $("slider-label"),
  sliderValue: $("slider-value"),
  meterFill: $("meter-fill"),
  meterMark: $("meter-mark"),
  brightness: $("brightness"),
  orientation: $("orientation"),
  toasts: $("toasts"),
};

const CONNECT_WARNING_MS = 10_000;
let field = "threshold"; // replaced by /config
let session = null; // the current Connection, or a placeholder while the camera opens

// ---- page state ----

function setStatus(state, text) {
  ui.status.dataset.state = state;
  ui.status.textContent = text;
  const active = state === "connecting" || state === "live";
  ui.toggle.textContent = active ? "Stop" : "Start";
  ui.toggle.classList.toggle("stop", active);
}

function toast(kind, message) {
  showToast(ui.toasts, kind, message);
}

function showSlider() {
  const value = Number(ui.slider.value);
  ui.sliderValue.textContent = value.toFixed(2);
  const span = Number(ui.slider.max) - Number(ui.slider.min);
  ui.meterMark.style.left = `${((value - Number(ui.slider.min)) / span) * 100}%`;
}

function showReading(reading) {
  if (!reading) {
    ui.meterFill.style.width = "0";
    ui.brightness.textContent = "–";
    ui.orientation.textContent = "–";
    ui.orientation.className = "";
    return;
  }
  ui.meterFill.style.width = `${reading.brightness * 100}%`;
  ui.brightness.textContent = reading.brightness.toFixed(2);
  ui.orientation.textContent = reading.flipped ? "Flipped" : "Upright";
  ui.orientation.className = reading.flipped ? "flipped" : "upright";
}

function showVideo(element, stream) {
  element.srcObject = stream;
  element.closest(".pane").classList.toggle("playing", stream !== null);
}

// ---- the connection ----

async function start() {
  if (!navigator.mediaDevices?.getUserMedia) {
    fail("Camera access needs a secure page: open it as http://localhost:PORT/ or over https://.");
    return;
  }
  const token = {}; // stands for this start until the connection exists
  session = token;
  setStatus("connecting", "Opening camera…");
  let media;
  try {
    media = await navigator.mediaDevices.getUserMedia({
      video: { width: { ideal: 1280 }, height: { ideal: 720 } },
      audio: false,
    });
  } catch (error) {
    if (session === token) {
      session = null;
      fail(deviceError(error, "camera"));
    }
    return;
  }
  if (session !== token) { // stopped meanwhile
    media.getTracks().forEach((t) => t.stop());
    return;
  }
  showVideo(ui.local, media);
  const s = new Connection(media, {
    onTrack: (stream) => showVideo(ui.remote, stream),
    onState: (state) => onConnectionState(s, state),
    onMessage,
  });
  session = s;
  s.timer = setTimeout(() => {
    if (session === s && !s.live) toast("warning", "Taking a while to connect. Are you on a VPN?");
  }, CONNECT_WARNING_MS);
  setStatus("connecting", "Connecting…");
  try {
    await s.open();
  } catch (error) {
    if (session === s) fail(error.message);
  }
}

function onConnectionState(s, state) {
  switch (state) {
    case "connected":
      clearTimeout(s.timer);
      setStatus("live", "Live");
      sendInput(); // the handler starts with the stream's default; push the page's value
      s.listenForOutputs((values) => showReading(values[0]));
      break;
    case "disconnected":
      stop();
      toast("warning", "The connection was lost.");
      break;
    case "failed":
      fail("Connection failed!");
      break;
    case "closed":
      stop();
      break;
  }
}

function onMessage(message) {
  switch (message.type) {
    case "error":
      toast("error", message.message ?? message.data);
      break;
    case "warning":
    case "info":
      toast("warning", message.message ?? message.data);
      break;
    case "end_stream":
      stop();
      toast("warning", message.data || "The server ended the stream.");
      break;
    case "send_input":
      sendInput();
      break;
    case "update_connection":
      if (message.data === "closed") stop();
      break;
    // "fetch_output" announces each reading; the page gets them all from the output hook instead.
  }
}

// One request at a time; while one is on its way, only the newest value is kept.
let inputBusy = false;
let inputDirty = false;

async function sendInput() {
  const s = session;
  if (!(s instanceof Connection) || !s.live) return;
  if (inputBusy) {
    inputDirty = true;
    return;
  }
  inputBusy = true;
  try {
    await postJson("input_hook", { webrtc_id: s.id, [field]: Number(ui.slider.value) });
  } catch (error) {
    if (session === s) toast("error", error.message);
  } finally {
    inputBusy = false;
    if (inputDirty) {
      inputDirty = false;
      sendInput();
    }
  }
}

function stop() {
  const s = session;
  if (!s) return;
  session = null;
  clearTimeout(s.timer);
  s.close?.();
  showVideo(ui.local, null);
  showVideo(ui.remote, null);
  showReading(null);
  setStatus("idle", "Idle");
}

function fail(message) {
  stop();
  setStatus("error", "Error");
  toast("error", message);
}

// ---- start-up ----

async function init() {
  try {
    const response = await fetch("config");
    if (!response.ok) throw new Error(`config answered HTTP ${response.status}`);
    const { input } = await response.json();
    field = input.field;
    ui.sliderLabel.textContent = input.label;
    Object.assign(ui.slider, { min: input.minimum, max: input.maximum, step: input.step });
    ui.slider.value = input.value;
  } catch (error) {
    setStatus("error", "Error");
    toast("error", `The page could not load its settings: ${error.message}`);
    return;
  }
  showSlider();
  ui.slider.disabled = false;
  ui.toggle.disabled = false;
  ui.slider.addEventListener("input", () => {
    showSlider();
    sendInput();
  });
  ui.toggle.addEventListener("click", () => (session ? stop() : start()));
  window.addEventListener("pagehide", stop);
}

init();
