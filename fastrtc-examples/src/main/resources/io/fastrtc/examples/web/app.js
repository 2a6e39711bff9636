// The video-flip page: a FastRTC client in plain JavaScript.
//
// Protocol (the same as FastRTC's own clients):
//   1. camera track + data channel "text" -> offer -> POST webrtc/offer {sdp, type: "offer", webrtc_id}
//      -> {sdp, type: "answer"} or {status: "failed", meta: {error}}; our ICE candidates follow as
//      POST webrtc/offer {type: "ice-candidate", webrtc_id, candidate}.
//   2. data channel messages from the server: error / warning toasts, end_stream, send_input.
//   3. slider -> POST input_hook {webrtc_id, <field>: value};  readings <- GET outputs (SSE, event "output").
// Paths are relative, so the page also works when the app is mounted under a prefix.

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
let session = null; // the current connection: {id, pc, media, channel, events, timer, answered, candidates}

// ---- page state ----

function setStatus(state, text) {
  ui.status.dataset.state = state;
  ui.status.textContent = text;
  const active = state === "connecting" || state === "live";
  ui.toggle.textContent = active ? "Stop" : "Start";
  ui.toggle.classList.toggle("stop", active);
}

function toast(kind, message) {
  const box = document.createElement("div");
  box.className = `toast ${kind}`;
  const text = document.createElement("p");
  const title = document.createElement("strong");
  title.textContent = kind === "error" ? "Error" : "Warning";
  text.append(title, message);
  const close = document.createElement("button");
  close.type = "button";
  close.ariaLabel = "Dismiss";
  close.textContent = "×";
  close.addEventListener("click", () => box.remove());
  box.append(text, close);
  ui.toasts.append(box);
  setTimeout(() => box.remove(), kind === "error" ? 15_000 : 8_000);
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

// ---- HTTP ----

async function postJson(path, body) {
  const response = await fetch(path, {
    method: "POST",
    headers: { "Content-Type": "application/json" },
    body: JSON.stringify(body),
  });
  let json = null;
  try {
    json = await response.json();
  } catch {
    // not JSON: reported below by status
  }
  if (!response.ok) {
    const message = json?.message ?? json?.meta?.message ?? `${path} answered HTTP ${response.status}`;
    throw new Error(message);
  }
  return json;
}

function offerError(meta) {
  switch (meta?.error) {
    case "concurrency_limit_reached":
      return `Too many concurrent connections (the limit is ${meta.limit}). Please try again later.`;
    case "connection_already_exists":
      return "Connection already exists.";
    default:
      return `The server refused the connection: ${meta?.message ?? meta?.error ?? "unknown error"}`;
  }
}

function cameraError(error) {
  switch (error?.name) {
    case "NotAllowedError":
      return "Camera access was denied. Allow it in the browser's site settings and press Start again.";
    case "NotFoundError":
    case "OverconstrainedError":
      return "No camera was found.";
    case "NotReadableError":
      return "The camera is in use by another application.";
    default:
      return `The camera could not be opened: ${error?.message ?? error}`;
  }
}

// ---- the connection ----

async function start() {
  if (!navigator.mediaDevices?.getUserMedia) {
    fail("Camera access needs a secure page: open it as http://localhost:PORT/ or over https://.");
    return;
  }
  const s = { id: Math.random().toString(36).substring(2), answered: false, candidates: [] };
  session = s;
  setStatus("connecting", "Opening camera…");
  try {
    s.media = await navigator.mediaDevices.getUserMedia({
      video: { width: { ideal: 1280 }, height: { ideal: 720 } },
      audio: false,
    });
  } catch (error) {
    if (session === s) {
      session = null;
      fail(cameraError(error));
    }
    return;
  }
  if (session !== s) { // stopped meanwhile
    s.media.getTracks().forEach((t) => t.stop());
    return;
  }
  showVideo(ui.local, s.media);

  const pc = (s.pc = new RTCPeerConnection());
  s.media.getTracks().forEach((track) => pc.addTrack(track, s.media));
  pc.addEventListener("track", (e) => showVideo(ui.remote, e.streams[0] ?? new MediaStream([e.track])));
  pc.addEventListener("connectionstatechange", () => onConnectionState(s));
  // Candidates found before the answer wait: the server only knows the connection once it has the offer.
  pc.addEventListener("icecandidate", (e) => {
    if (!e.candidate) return;
    if (s.answered) sendCandidate(s, e.candidate);
    else s.candidates.push(e.candidate);
  });
  s.channel = pc.createDataChannel("text");
  s.channel.addEventListener("message", (e) => onMessage(s, e.data));
  s.timer = setTimeout(() => {
    if (session === s && pc.connectionState !== "connected") {
      toast("warning", "Taking a while to connect. Are you on a VPN?");
    }
  }, CONNECT_WARNING_MS);

  setStatus("connecting", "Connecting…");
  try {
    await pc.setLocalDescription(await pc.createOffer());
    const answer = await postJson("webrtc/offer", { sdp: pc.localDescription.sdp, type: "offer", webrtc_id: s.id });
    if (answer.status === "failed") throw new Error(offerError(answer.meta));
    if (session !== s) return;
    await pc.setRemoteDescription(answer);
    s.answered = true;
    s.candidates.splice(0).forEach((c) => sendCandidate(s, c));
  } catch (error) {
    if (session === s) fail(error.message);
  }
}

function sendCandidate(s, candidate) {
  // Failures are harmless: ICE also finds the path from the server's candidates.
  postJson("webrtc/offer", { type: "ice-candidate", webrtc_id: s.id, candidate: candidate.toJSON() }).catch(() => {});
}

function onConnectionState(s) {
  if (session !== s) return;
  switch (s.pc.connectionState) {
    case "connected":
      clearTimeout(s.timer);
      setStatus("live", "Live");
      sendInput(); // the handler starts with the stream's default; push the page's value
      listenForOutputs(s);
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

function onMessage(s, raw) {
  let message;
  try {
    message = JSON.parse(raw);
  } catch {
    return; // not one of FastRTC's JSON messages
  }
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

function listenForOutputs(s) {
  s.events = new EventSource(`outputs?webrtc_id=${encodeURIComponent(s.id)}`);
  s.events.addEventListener("output", (e) => {
    if (session === s) showReading(JSON.parse(e.data)[0]);
  });
  // The server ends the stream with the connection; do not let EventSource reconnect then.
  s.events.addEventListener("error", () => {
    if (session !== s) s.events.close();
  });
}

// One request at a time; while one is on its way, only the newest value is kept.
let inputBusy = false;
let inputDirty = false;

async function sendInput() {
  const s = session;
  if (!s || s.pc?.connectionState !== "connected") return;
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
  s.events?.close();
  s.channel?.close();
  s.pc?.getSenders().forEach((sender) => sender.track?.stop());
  s.pc?.close();
  s.media?.getTracks().forEach((t) => t.stop());
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
