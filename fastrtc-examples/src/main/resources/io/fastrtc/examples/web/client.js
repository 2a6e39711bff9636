// A FastRTC client in plain JavaScript, shared by the example pages.
//
// Protocol (the same as FastRTC's own clients):
//   1. the page's tracks + data channel "text" -> offer -> POST webrtc/offer {sdp, type: "offer", webrtc_id}
//      -> {sdp, type: "answer"} or {status: "failed", meta: {error}}; our ICE candidates follow as
//      POST webrtc/offer {type: "ice-candidate", webrtc_id, candidate}.
//   2. data channel messages from the server: JSON {type, data} or, for warnings and errors, {type, message}.
//   3. additional outputs <- GET outputs?webrtc_id=... (the app's SSE output hook, event "output").
// Paths are relative, so the pages also work when the app is mounted under a prefix.

export async function postJson(path, body) {
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

/** What to tell the user when getUserMedia fails; `device` is "camera" or "microphone". */
export function deviceError(error, device) {
  const name = device[0].toUpperCase() + device.slice(1);
  switch (error?.name) {
    case "NotAllowedError":
      return `${name} access was denied. Allow it in the browser's site settings and press Start again.`;
    case "NotFoundError":
    case "OverconstrainedError":
      return `No ${device} was found.`;
    case "NotReadableError":
      return `The ${device} is in use by another application.`;
    default:
      return `The ${device} could not be opened: ${error?.message ?? error}`;
  }
}

export function toast(container, kind, message) {
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
  container.append(box);
  setTimeout(() => box.remove(), kind === "error" ? 15_000 : 8_000);
}

/**
 * One connection to a mounted Stream. Callbacks: onTrack(stream), onState(connectionState) and
 * onMessage(message) for each data-channel JSON message. Nothing is called after close().
 */
export class Connection {
  constructor(media, { onTrack, onState, onMessage }) {
    this.id = Math.random().toString(36).substring(2);
    this.media = media;
    this.closed = false;
    this.answered = false;
    this.candidates = [];
    const pc = (this.pc = new RTCPeerConnection());
    media.getTracks().forEach((track) => pc.addTrack(track, media));
    pc.addEventListener("track", (e) => this.closed || onTrack(e.streams[0] ?? new MediaStream([e.track])));
    pc.addEventListener("connectionstatechange", () => this.closed || onState(pc.connectionState));
    // Candidates found before the answer wait: the server only knows the connection once it has the offer.
    pc.addEventListener("icecandidate", (e) => {
      if (!e.candidate) return;
      if (this.answered) this.sendCandidate(e.candidate);
      else this.candidates.push(e.candidate);
    });
    this.channel = pc.createDataChannel("text");
    this.channel.addEventListener("message", (e) => {
      let message;
      try {
        message = JSON.parse(e.data);
      } catch {
        return; // not one of FastRTC's JSON messages
      }
      if (!this.closed) onMessage(message);
    });
  }

  /** Offers and applies the answer; throws an Error with a message for the user if refused. */
  async open() {
    const pc = this.pc;
    await pc.setLocalDescription(await pc.createOffer());
    const answer = await postJson("webrtc/offer", { sdp: pc.localDescription.sdp, type: "offer", webrtc_id: this.id });
    if (answer.status === "failed") throw new Error(offerError(answer.meta));
    if (this.closed) return;
    await pc.setRemoteDescription(answer);
    this.answered = true;
    this.candidates.splice(0).forEach((c) => this.sendCandidate(c));
  }

  sendCandidate(candidate) {
    // Failures are harmless: ICE also finds the path from the server's candidates.
    postJson("webrtc/offer", { type: "ice-candidate", webrtc_id: this.id, candidate: candidate.toJSON() })
      .catch(() => {});
  }

  /** Follows the app's output hook; `onOutput` gets each event's array of values. */
  listenForOutputs(onOutput) {
    const events = (this.events = new EventSource(`outputs?webrtc_id=${encodeURIComponent(this.id)}`));
    events.addEventListener("output", (e) => this.closed || onOutput(JSON.parse(e.data)));
    // The server ends the stream with the connection; do not let EventSource reconnect then.
    events.addEventListener("error", () => this.closed && events.close());
  }

  get live() {
    return !this.closed && this.pc.connectionState === "connected";
  }

  close() {
    this.closed = true;
    this.events?.close();
    this.channel.close();
    this.pc.getSenders().forEach((sender) => sender.track?.stop());
    this.pc.close();
    this.media.getTracks().forEach((t) => t.stop());
  }
}
