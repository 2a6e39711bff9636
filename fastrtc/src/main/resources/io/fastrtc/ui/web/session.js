// One connection to the stream, in FastRTC's protocol:
//   local tracks (or receive-only transceivers) + data channel "text" -> offer ->
//   POST webrtc/offer {sdp, type: "offer", webrtc_id} -> {sdp, type: "answer"} | {status: "failed", meta}
//   then our ICE candidates: POST webrtc/offer {type: "ice-candidate", webrtc_id, candidate}.
// Additional inputs go to POST input {webrtc_id, values}; outputs come from GET outputs (SSE).
// Every follow-up shows the connection's token from the answer (header X-FastRTC-Token, or query
// parameter fastrtc_token for the event stream), which proves this page opened the connection.
//
// Events (CustomEvent detail): "track" {stream}, "state" {state} (RTCPeerConnection states),
// "message" {message} (parsed data-channel JSON), "outputs" {values}, "outputs-error" {message},
// "ended" {} (the server closed the data channel).

export class OfferRefused extends Error {
  constructor(meta) {
    super(refusalMessage(meta));
    this.code = meta?.error;
  }
}

/** What to tell the user when the server refuses an offer (FastRTC's UI wording). */
function refusalMessage(meta) {
  switch (meta?.error) {
    case "concurrency_limit_reached":
      return "Too many concurrent connections. Please try again later!";
    case "connection_already_exists":
      return "Connection already exists";
    case "draining":
      return "The server is restarting. Please try again in a moment.";
    default:
      return meta?.message ? `The server refused the connection: ${meta.message}` : "Unexpected server error";
  }
}

/** The client ICE configuration of the stream (servers, relay policy), fresh for each connection. */
async function rtcConfiguration(config) {
  if (!config.rtcConfigurationUrl) return {};
  const response = await fetch(config.rtcConfigurationUrl, { cache: "no-store" });
  const body = await response.json();
  if (!response.ok) throw new Error(body.error ?? `could not get the ICE configuration (HTTP ${response.status})`);
  return body;
}

export async function postJson(url, body, headers = {}) {
  const response = await fetch(url, {
    method: "POST",
    headers: { "Content-Type": "application/json", ...headers },
    body: JSON.stringify(body),
  });
  let json = null;
  try {
    json = await response.json();
  } catch {
    // not JSON; the status says enough
  }
  if (!response.ok && json?.status !== "failed") {
    throw new Error(json?.message ?? `${url} answered HTTP ${response.status}`);
  }
  return json;
}

function randomId() {
  return Math.random().toString(36).substring(2);
}

export class Session extends EventTarget {
  /**
   * config: the UI's /config. media: the local MediaStream to send, or null.
   * receive: kinds to ask for without sending ("video", "audio"), for receive mode.
   */
  constructor(config, { media = null, receive = [] } = {}) {
    super();
    this.config = config;
    this.media = media;
    this.receive = receive;
    this.id = randomId();
    this.closed = false;
    this.answered = false;
    this.pendingCandidates = [];
  }

  emit(type, detail) {
    if (!this.closed) this.dispatchEvent(new CustomEvent(type, { detail }));
  }

  /** Sends the offer; resolves once answered. Rejects with OfferRefused or a network error. */
  async open() {
    const pc = (this.pc = new RTCPeerConnection(await rtcConfiguration(this.config)));
    for (const track of this.media?.getTracks() ?? []) pc.addTrack(track, this.media);
    for (const kind of this.receive) pc.addTransceiver(kind, { direction: "recvonly" });
    pc.addEventListener("track", (e) => this.emit("track", { stream: e.streams[0] ?? new MediaStream([e.track]) }));
    pc.addEventListener("connectionstatechange", () => this.emit("state", { state: pc.connectionState }));
    // The server only knows this id once it has the offer: earlier candidates wait for the answer.
    pc.addEventListener("icecandidate", (e) => {
      if (!e.candidate) return;
      if (this.answered) this.sendCandidate(e.candidate);
      else this.pendingCandidates.push(e.candidate);
    });
    this.channel = pc.createDataChannel("text");
    this.channel.addEventListener("message", (e) => {
      let message;
      try {
        message = JSON.parse(e.data);
      } catch {
        return; // not one of FastRTC's JSON messages
      }
      this.emit("message", { message });
    });
    this.channel.addEventListener("close", () => this.emit("ended", {}));

    await pc.setLocalDescription(await pc.createOffer());
    const answer = await postJson(this.config.offerUrl, { sdp: pc.localDescription.sdp, type: "offer", webrtc_id: this.id });
    if (this.closed) return;
    if (answer?.status === "failed") throw new OfferRefused(answer.meta);
    this.token = answer.token;
    await pc.setRemoteDescription({ type: answer.type, sdp: answer.sdp });
    this.answered = true;
    this.pendingCandidates.splice(0).forEach((c) => this.sendCandidate(c));
    this.listenForOutputs();
  }

  sendCandidate(candidate) {
    // Failures are harmless: ICE also finds the path from the server's candidates.
    postJson(this.config.offerUrl, { type: "ice-candidate", webrtc_id: this.id, candidate: candidate.toJSON() },
      this.tokenHeader()).catch(() => {});
  }

  tokenHeader() {
    return this.token ? { "X-FastRTC-Token": this.token } : {};
  }

  listenForOutputs() {
    if (!this.config.outputs.length) return;
    const token = this.token ? `&fastrtc_token=${encodeURIComponent(this.token)}` : "";
    this.events = new EventSource(`outputs?webrtc_id=${encodeURIComponent(this.id)}${token}`);
    this.events.addEventListener("output", (e) => this.emit("outputs", { values: JSON.parse(e.data) }));
    this.events.addEventListener("output-error", (e) => this.emit("outputs-error", { message: JSON.parse(e.data).message }));
    // The server ends the stream with the connection; never reconnect to a finished one.
    this.events.addEventListener("error", () => {
      if (this.closed) this.events.close();
    });
  }

  /** Sets the handler's additional inputs. Rejects with the server's message (e.g. a value out of range). */
  async sendInputs(values) {
    if (!this.answered || this.closed) return;
    await postJson("input", { webrtc_id: this.id, values }, this.tokenHeader());
  }

  /** Swaps the track of one kind being sent, e.g. after another camera was chosen. */
  async replaceTrack(track) {
    const sender = this.pc?.getSenders().find((s) => s.track?.kind === track.kind);
    if (sender) await sender.replaceTrack(track);
  }

  /** Ends the connection; the server notices the closed data channel and frees the slot at once. */
  close() {
    if (this.closed) return;
    this.closed = true;
    this.events?.close();
    try {
      this.channel?.close();
    } catch {
      // already closed
    }
    this.pc?.close();
  }
}
