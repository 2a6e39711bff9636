// The voice-chat page: microphone in, the assistant's voice back, the conversation on screen.
// The FastRTC protocol itself is in client.js (shared with the video page, served under assets/);
// this page adds:
//   data channel log messages (started_talking, pause_detected, response_starting, interrupted)
//   drive the activity line; the conversation <- GET outputs (SSE, event "output", data [[{role, content}, ...]]).

import { Connection, deviceError, toast as showToast } from "./assets/client.js";

const $ = (id) => document.getElementById(id);
const ui = {
  status: $("status"),
  toggle: $("toggle"),
  transcript: $("transcript"),
  activity: $("activity"),
  voice: $("voice"),
  toasts: $("toasts"),
};

const ACTIVITY = {
  started_talking: "Listening…",
  pause_detected: "Thinking…",
  response_starting: "Speaking…",
  interrupted: "Interrupted, listening…",
};

let session = null; // the current Connection, or a placeholder while the microphone opens

function setStatus(state, text) {
  ui.status.dataset.state = state;
  ui.status.textContent = text;
  const active = state === "connecting" || state === "live";
  ui.toggle.textContent = active ? "Stop" : "Start";
  ui.toggle.classList.toggle("stop", active);
}

function setActivity(text) {
  ui.activity.textContent = text;
}

function toast(kind, message) {
  showToast(ui.toasts, kind, message);
}

function showConversation(messages) {
  ui.transcript.replaceChildren(
    ...messages.map((m) => {
      const item = document.createElement("li");
      item.className = `message ${m.role}`;
      item.textContent = m.content;
      return item;
    }),
  );
  ui.transcript.scrollTop = ui.transcript.scrollHeight;
}

async function start() {
  if (!navigator.mediaDevices?.getUserMedia) {
    fail("Microphone access needs a secure page: open it as http://localhost:PORT/ or over https://.");
    return;
  }
  const token = {}; // stands for this start until the connection exists
  session = token;
  setStatus("connecting", "Opening microphone…");
  let media;
  try {
    media = await navigator.mediaDevices.getUserMedia({
      audio: { echoCancellation: true, noiseSuppression: true, autoGainControl: true },
    });
  } catch (error) {
    if (session === token) {
      session = null;
      fail(deviceError(error, "microphone"));
    }
    return;
  }
  if (session !== token) {
    media.getTracks().forEach((t) => t.stop());
    return;
  }
  const s = new Connection(media, {
    onTrack: (stream) => (ui.voice.srcObject = stream),
    onState: (state) => onConnectionState(s, state),
    onMessage,
  });
  session = s;
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
      setStatus("live", "Live");
      setActivity("Say something…");
      s.listenForOutputs((values) => showConversation(values[0]));
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
    case "log":
      if (ACTIVITY[message.data]) setActivity(ACTIVITY[message.data]);
      break;
    case "error":
      toast("error", message.message ?? message.data);
      break;
    case "warning":
      toast("warning", message.message ?? message.data);
      break;
    case "end_stream":
      stop();
      toast("warning", message.data || "The server ended the stream.");
      break;
    // "fetch_output" announces each transcript; the page gets them all from the output hook instead.
  }
}

function stop() {
  const s = session;
  if (!s) return;
  session = null;
  s.close?.();
  ui.voice.srcObject = null;
  setActivity("–");
  setStatus("idle", "Idle");
}

function fail(message) {
  stop();
  setStatus("error", "Error");
  toast("error", message);
}

ui.toggle.addEventListener("click", () => (session ? stop() : start()));
window.addEventListener("pagehide", stop);
