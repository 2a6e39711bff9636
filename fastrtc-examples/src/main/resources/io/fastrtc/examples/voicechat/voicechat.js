// The voice-chat page: a FastRTC client in plain JavaScript.
//
// Protocol (the same as FastRTC's own clients):
//   1. microphone track + data channel "text" -> offer -> POST webrtc/offer {sdp, type: "offer", webrtc_id}
//      -> {sdp, type: "answer"} or {status: "failed", meta: {error}}; our ICE candidates follow as
//      POST webrtc/offer {type: "ice-candidate", webrtc_id, candidate}.
//   2. the server's audio track plays in an <audio> element.
//   3. data channel: log messages (started_talking, pause_detected, response_starting, interrupted)
//      drive the activity line; error / warning become toasts.
//   4. the conversation <- GET outputs (SSE, event "output", data [[{role, content}, ...]]).
// Paths are relative, so the page also works when the app is mounted under a prefix.

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

let session = null; // the current connection: {id, pc, media, channel, events, answered, candidates}

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
    throw new Error(json?.message ?? json?.meta?.message ?? `${path} answered HTTP ${response.status}`);
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

function microphoneError(error) {
  switch (error?.name) {
    case "NotAllowedError":
      return "Microphone access was denied. Allow it in the browser's site settings and press Start again.";
    case "NotFoundError":
      return "No microphone was found.";
    case "NotReadableError":
      return "The microphone is in use by another application.";
    default:
      return `The microphone could not be opened: ${error?.message ?? error}`;
  }
}

async function start() {
  if (!navigator.mediaDevices?.getUserMedia) {
    fail("Microphone access needs a secure page: open it as http://localhost:PORT/ or over https://.");
    return;
  }
  const s = { id: Math.random().toString(36).substring(2), answered: false, candidates: [] };
  session = s;
  setStatus("connecting", "Opening microphone…");
  try {
    s.media = await navigator.mediaDevices.getUserMedia({
      audio: { echoCancellation: true, noiseSuppression: true, autoGainControl: true },
    });
  } catch (error) {
    if (session === s) {
      session = null;
      fail(microphoneError(error));
    }
    return;
  }
  if (session !== s) {
    s.media.getTracks().forEach((t) => t.stop());
    return;
  }

  const pc = (s.pc = new RTCPeerConnection());
  s.media.getTracks().forEach((track) => pc.addTrack(track, s.media));
  pc.addEventListener("track", (e) => {
    ui.voice.srcObject = e.streams[0] ?? new MediaStream([e.track]);
  });
  pc.addEventListener("connectionstatechange", () => onConnectionState(s));
  pc.addEventListener("icecandidate", (e) => {
    if (!e.candidate) return;
    if (s.answered) sendCandidate(s, e.candidate);
    else s.candidates.push(e.candidate);
  });
  s.channel = pc.createDataChannel("text");
  s.channel.addEventListener("message", (e) => onMessage(s, e.data));

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
      setStatus("live", "Live");
      setActivity("Say something…");
      listenForConversation(s);
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

function listenForConversation(s) {
  s.events = new EventSource(`outputs?webrtc_id=${encodeURIComponent(s.id)}`);
  s.events.addEventListener("output", (e) => {
    if (session === s) showConversation(JSON.parse(e.data)[0]);
  });
  // The server ends the stream with the connection; do not let EventSource reconnect then.
  s.events.addEventListener("error", () => {
    if (session !== s) s.events.close();
  });
}

function stop() {
  const s = session;
  if (!s) return;
  session = null;
  s.events?.close();
  s.channel?.close();
  s.pc?.getSenders().forEach((sender) => sender.track?.stop());
  s.pc?.close();
  s.media?.getTracks().forEach((t) => t.stop());
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
