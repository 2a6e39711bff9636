// A FastRTC client in plain JavaScript, shared by the example pages: a thin layer over the library's
// own client (session.js, the built-in UI's, which each app serves next to this file under fastrtc/).
//
// Protocol (the same as FastRTC's own clients):
//   1. the page's tracks + data channel "text" -> offer -> POST webrtc/offer {sdp, type: "offer", webrtc_id}
//      -> {sdp, type: "answer"} or {status: "failed", meta: {error}}; our ICE candidates follow as
//      POST webrtc/offer {type: "ice-candidate", webrtc_id, candidate}.
//   2. data channel messages from the server: JSON {type, data} or, for warnings and errors, {type, message}.
//   3. additional outputs <- GET outputs?webrtc_id=... (the app's SSE output hook, event "output").
// Paths are relative, so the pages also work when the app is mounted under a prefix.

import { Session } from "./fastrtc/session.js";

export { postJson } from "./fastrtc/session.js";

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
    this.media = media;
    // The app's own routes at its root; the outputs come from its own hook (listenForOutputs), not the UI's.
    this.session = new Session({ offerUrl: "webrtc/offer", rtcConfigurationUrl: "webrtc/rtc-configuration", outputs: [] },
      { media });
    this.id = this.session.id;
    this.session.addEventListener("track", (e) => onTrack(e.detail.stream));
    this.session.addEventListener("state", (e) => onState(e.detail.state));
    this.session.addEventListener("message", (e) => onMessage(e.detail.message));
  }

  /** Offers and applies the answer; throws an Error with a message for the user if refused. */
  open() {
    return this.session.open();
  }

  /** Follows the app's output hook; `onOutput` gets each event's array of values. */
  listenForOutputs(onOutput) {
    const events = (this.events = new EventSource(`outputs?webrtc_id=${encodeURIComponent(this.id)}`));
    events.addEventListener("output", (e) => this.session.closed || onOutput(JSON.parse(e.data)));
    // The server ends the stream with the connection; do not let EventSource reconnect then.
    events.addEventListener("error", () => this.session.closed && events.close());
  }

  get live() {
    return !this.session.closed && this.session.pc?.connectionState === "connected";
  }

  close() {
    this.session.close();
    this.events?.close();
    this.media.getTracks().forEach((t) => t.stop());
  }
}
