// FastRTC's built-in UI for a Java stream: builds the page from /config and runs connections.
//
// Layouts follow FastRTC's: video (send-receive / send / receive), audio (send-receive / send /
// receive) and audio-video (send-receive). The stream's picture or audio visualisation is on the
// "screen", with the controls under it; additional inputs and outputs sit beside it (below it
// on phones).

import { clock, h, icon, isHtml, setRichText } from "./dom.js";
import { Toasts } from "./toasts.js";
import { OfferRefused, Session } from "./session.js";
import { LevelMeter, WaveView, audioContext, listDevices, openMedia, stopTracks } from "./media.js";
import { renderInput, renderOutput } from "./components.js";

const CONNECT_WARNING_MS = 10_000;
const RECONNECT_GRACE_MS = 5_000;
const DEFAULT_TITLES = {
  video: "Video Streaming (Powered by FastRTC ⚡️)",
  "audio-video": "Video Streaming (Powered by FastRTC ⚡️)",
  audio: "Audio Streaming (Powered by FastRTC ⚡️)",
};

class App {
  constructor(config, root, toasts) {
    this.config = config;
    this.root = root;
    this.toasts = toasts;
    const { modality, mode } = config;
    this.sendsVideo = modality !== "audio" && mode !== "receive";
    this.sendsAudio = modality !== "video" && mode !== "receive";
    this.receivesVideo = modality !== "audio" && mode !== "send";
    this.receivesAudio = modality !== "video" && mode !== "send";
    this.state = "idle";
    this.session = null;
    this.media = null;
    this.deviceIds = { video: null, audio: null };
    this.micMuted = false;
    this.outputMuted = false;
    this.thinking = false;
    this.inputBusy = false;
    this.inputDirty = false;
    this.build();
  }

  // ---- page ----

  build() {
    const { config } = this;
    const ui = config.ui;
    this.root.className = `app ${ui.fullScreen ? "full" : "compact"}`;
    Object.assign(this.root.dataset, { modality: config.modality, mode: config.mode, state: "idle" });
    if (ui.iconButtonColor) this.root.style.setProperty("--icon-bg", ui.iconButtonColor);
    if (ui.pulseColor) this.root.style.setProperty("--pulse", ui.pulseColor);
    this.root.style.setProperty("--icon-radius", `${ui.iconRadius}%`);

    const title = ui.title ?? DEFAULT_TITLES[config.modality];
    document.title = isHtml(title) ? new DOMParser().parseFromString(title, "text/html").body.textContent.trim() || "FastRTC" : title;
    if (!ui.hideTitle) {
      // As in FastRTC, a title with HTML tags is the author's markup; plain text becomes the heading.
      const heading = isHtml(title) ? h("div", { class: "title-html" }) : h("h1", { class: "title", text: title });
      if (isHtml(title)) heading.innerHTML = title;
      const header = h("header", { class: "masthead" }, heading);
      if (ui.subtitle) {
        const sub = h("div", { class: "subtitle" });
        setRichText(sub, ui.subtitle);
        header.append(sub);
      }
      this.root.append(header);
    }

    const side = this.buildSide();
    const main = h("main", { class: `layout${side ? " has-side" : ""}` }, this.buildStage(), side);
    this.root.append(main, h("footer", { class: "footer" }, "Built with ", h("strong", { text: "FastRTC" }), " for Java"));
  }

  buildStage() {
    const { config } = this;
    const screen = (this.screen = h("div", { class: "screen" }));
    if (config.modality === "audio") {
      screen.append(this.buildAudioVisual());
    } else {
      if (this.receivesVideo) {
        // Sound always plays through the <audio> element: the server sends audio and video as separate streams.
        this.remoteVideo = h("video", { class: "remote", autoplay: true, playsinline: true });
        this.remoteVideo.muted = true;
        screen.append(this.remoteVideo);
      }
      if (this.sendsVideo) {
        this.localVideo = h("video", { class: "local", autoplay: true, playsinline: true });
        this.localVideo.muted = true;
        screen.append(this.localVideo);
      }
      if (config.modality === "audio-video") screen.append(this.buildPulse("badge"));
    }
    if (this.receivesAudio) {
      this.remoteAudio = h("audio", { class: "remote-audio", autoplay: true });
      screen.append(this.remoteAudio);
    }

    this.overlayText = h("p", { class: "overlay-text" });
    this.overlayButton = h("button", { class: "button secondary", type: "button", hidden: true });
    this.overlay = h("div", { class: "overlay", hidden: true },
      h("div", { class: "overlay-box" }, h("span", { class: "spinner", "aria-hidden": "true" }), this.overlayText, this.overlayButton));

    this.statusText = h("span", { class: "status-text", text: "Starting…" });
    this.status = h("span", { class: "status", role: "status", dataset: { kind: "idle" } }, h("span", { class: "status-dot" }), this.statusText);
    this.countdown = h("span", { class: "countdown", hidden: true, "aria-label": "Time left" });
    this.timebarFill = h("div", { class: "timebar-fill" });
    this.timebar = h("div", { class: "timebar", hidden: true, "aria-hidden": "true" }, this.timebarFill);
    screen.append(this.overlay, h("div", { class: "hud" }, this.status, this.countdown), this.timebar);

    return h("section", { class: "stage", "aria-label": "Stream" }, screen, this.buildControls());
  }

  /** The audio modality's visual: FastRTC's wave, or the icon in a pulsing disc. */
  buildAudioVisual() {
    this.caption = h("p", { class: "caption", "aria-live": "polite" });
    this.thinkingDots = h("span", { class: "thinking-dots", "aria-hidden": "true" }, h("i"), h("i"), h("i"));
    let visual;
    if (this.config.ui.icon) {
      visual = this.buildPulse("disc");
    } else {
      const canvas = h("canvas", { class: "wave" });
      this.wave = new WaveView(canvas);
      visual = this.levelElement(h("div", { class: "wave-box" }, canvas), "Output level");
    }
    return h("div", { class: "audio-visual" }, visual, h("div", { class: "caption-row" }, this.thinkingDots, this.caption));
  }

  /** FastRTC's PulsingIcon: the icon (or a broadcast sign) on a disc, with rings that grow with the sound. */
  buildPulse(kind) {
    const picture = this.config.ui.icon
      ? h("img", { class: "pulse-icon", src: this.config.ui.icon, alt: "" })
      : icon("broadcast");
    return this.levelElement(
      h("div", { class: `pulse pulse-${kind}` },
        h("span", { class: "ring" }), h("span", { class: "ring" }), h("span", { class: "ring" }),
        h("span", { class: "pulse-core" }, picture)),
      "Output level");
  }

  /** Marks an element as the meter of the received audio (role=meter, updated every frame). */
  levelElement(el, label) {
    el.setAttribute("role", "meter");
    el.setAttribute("aria-label", label);
    el.setAttribute("aria-valuemin", "0");
    el.setAttribute("aria-valuemax", "1");
    el.setAttribute("aria-valuenow", "0");
    this.remoteLevelEl = el;
    return el;
  }

  buildControls() {
    const devices = h("div", { class: "devices" });
    if (this.sendsVideo) devices.append((this.cameraPicker = this.picker("camera", "Camera", "video")).el);
    if (this.sendsAudio) devices.append((this.micPicker = this.picker("mic", "Microphone", "audio")).el);

    const actions = h("div", { class: "actions" });
    if (this.sendsAudio) {
      this.micBars = h("span", {
        class: "mic-meter",
        role: "meter",
        "aria-label": "Microphone level",
        "aria-valuemin": "0",
        "aria-valuemax": "1",
        "aria-valuenow": "0",
      }, h("i"), h("i"), h("i"), h("i"), h("i"));
      this.micButton = h("button", {
        class: "icon-button",
        type: "button",
        "aria-pressed": "false",
        onclick: () => this.setMicMuted(!this.micMuted),
      });
      actions.append(h("span", { class: "mic-group" }, this.micBars, this.micButton));
      this.setMicMuted(false);
    }
    if (this.receivesAudio) {
      this.speakerButton = h("button", {
        class: "icon-button",
        type: "button",
        "aria-pressed": "false",
        onclick: () => this.setOutputMuted(!this.outputMuted),
      });
      actions.append(this.speakerButton);
      this.setOutputMuted(false);
    }
    this.startButton = h("button", { class: "button primary start", type: "button", onclick: () => this.toggle() });
    actions.append(this.startButton);
    return h("div", { class: "controls" }, devices.childElementCount ? devices : null, actions);
  }

  /** A device <select> with an icon. */
  picker(iconName, label, kind) {
    const select = h("select", { "aria-label": label, disabled: true }, h("option", { text: label }));
    select.addEventListener("change", () => this.switchDevice(kind, select.value));
    const el = h("label", { class: "picker", title: label }, icon(iconName), select, icon("chevron"));
    return { el, select };
  }

  buildSide() {
    const { config } = this;
    const sharedInputs = new Map(); // input index -> output index
    config.outputs.forEach((o, i) => o.input != null && sharedInputs.set(o.input, i));
    this.sharedInputs = sharedInputs;

    this.inputs = config.inputs.map((desc, i) => (sharedInputs.has(i) ? null : renderInput(desc)));
    this.outputs = config.outputs.map((desc) => renderOutput(desc));
    const editable = this.inputs.filter(Boolean);
    const cards = [];
    if (editable.length) {
      const submitMode = config.ui.sendInputOn === "submit";
      for (const input of editable) {
        if (submitMode) input.onSubmit(() => this.pushInputs());
        else input.onChange(() => this.pushInputs());
      }
      this.submitButton = submitMode
        ? h("button", { class: "button secondary submit", type: "button", disabled: true, onclick: () => this.pushInputs() }, icon("send"), "Submit")
        : null;
      cards.push(h("section", { class: "card inputs", "aria-label": "Inputs" },
        h("h2", { class: "card-title", text: "Inputs" }), editable.map((i) => i.el), this.submitButton));
    }
    if (this.outputs.length) {
      cards.push(h("section", { class: "card outputs", "aria-label": "Outputs" },
        h("h2", { class: "card-title", text: "Outputs" }), this.outputs.map((o) => o.el)));
    }
    return cards.length ? h("aside", { class: "side" }, cards) : null;
  }

  // ---- state ----

  setState(state) {
    this.state = state;
    this.root.dataset.state = state;
    const button = this.startButton;
    button.replaceChildren(
      state === "idle" ? icon("start") : state === "connecting" ? h("span", { class: "spinner small" }) : icon("stop"),
      h("span", { text: state === "idle" ? "Start" : state === "connecting" ? "Connecting…" : "Stop" }),
    );
    button.classList.toggle("live", state !== "idle");
    button.setAttribute("aria-label", state === "idle" ? "Start streaming" : state === "connecting" ? "Cancel connecting" : "Stop streaming");
    if (this.submitButton) this.submitButton.disabled = state !== "live";
    if (state === "idle") {
      this.setStatus("idle", "Ready");
      this.hideOverlay();
      if (this.config.mode === "receive" && this.config.modality !== "audio") this.showOverlay("Press Start to receive the stream", { spinner: false });
    } else if (state === "connecting") {
      this.setStatus("connecting", "Connecting…");
      // The audio visual says so in its caption; a picture gets a veil with a spinner.
      if (this.config.modality === "audio") this.hideOverlay();
      else this.showOverlay("Connecting…", { spinner: true });
    } else {
      this.setStatus("live", "Live");
      this.hideOverlay();
    }
  }

  setStatus(kind, text) {
    this.status.dataset.kind = kind;
    this.statusText.textContent = text;
  }

  showOverlay(text, { spinner = false, button = null, action = null } = {}) {
    this.overlay.hidden = false;
    this.overlay.classList.toggle("busy", spinner);
    this.overlayText.textContent = text;
    this.overlayButton.hidden = !button;
    if (button) {
      this.overlayButton.textContent = button;
      this.overlayButton.onclick = action;
    }
  }

  hideOverlay() {
    this.overlay.hidden = true;
  }

  setThinking(on) {
    this.thinking = on;
    this.root.classList.toggle("thinking", on);
    if (this.state === "live") this.setStatus(on ? "thinking" : "live", on ? "Thinking…" : "Live");
  }

  setMicMuted(muted) {
    this.micMuted = muted;
    this.media?.getAudioTracks().forEach((t) => (t.enabled = !muted));
    this.micButton.replaceChildren(icon(muted ? "micOff" : "mic"));
    this.micButton.setAttribute("aria-pressed", String(muted));
    this.micButton.setAttribute("aria-label", muted ? "Unmute microphone" : "Mute microphone");
    this.micButton.title = muted ? "Unmute microphone" : "Mute microphone";
    this.micButton.classList.toggle("off", muted);
  }

  setOutputMuted(muted) {
    this.outputMuted = muted;
    if (this.remoteAudio) this.remoteAudio.muted = muted;
    this.speakerButton.replaceChildren(icon(muted ? "speakerOff" : "speaker"));
    this.speakerButton.setAttribute("aria-pressed", String(muted));
    this.speakerButton.setAttribute("aria-label", muted ? "Unmute output" : "Mute output");
    this.speakerButton.title = muted ? "Unmute output" : "Mute output";
    this.speakerButton.classList.toggle("off", muted);
  }

  // ---- local media ----

  /** Opens the camera/microphone for the preview and the next connection; false if it failed. */
  async acquireMedia() {
    stopTracks(this.media);
    this.micMeter?.close();
    this.micMeter = null;
    try {
      this.media = await openMedia({
        video: this.sendsVideo,
        audio: this.sendsAudio,
        deviceIds: this.deviceIds,
        fullScreen: this.config.ui.fullScreen,
      });
    } catch (error) {
      this.media = null;
      this.setStatus("error", this.sendsVideo ? "No camera" : "No microphone");
      this.showOverlay(error.message, { button: "Try again", action: () => this.acquireMedia().then((ok) => ok && this.setState(this.state)) });
      return false;
    }
    if (this.localVideo) this.localVideo.srcObject = this.media;
    if (this.sendsAudio) {
      this.setMicMuted(this.micMuted);
      this.micMeter = new LevelMeter(this.media);
    }
    await this.refreshDevices();
    return true;
  }

  async refreshDevices() {
    const devices = await listDevices();
    for (const [picker, kind] of [[this.cameraPicker, "video"], [this.micPicker, "audio"]]) {
      if (!picker) continue;
      const inUse = this.media?.getTracks().find((t) => t.kind === kind)?.getSettings().deviceId;
      picker.select.replaceChildren(...devices[kind].map((d) => h("option", { value: d.id, text: d.label })));
      if (inUse) picker.select.value = inUse;
      picker.select.disabled = devices[kind].length === 0;
    }
  }

  async switchDevice(kind, deviceId) {
    this.deviceIds[kind] = deviceId;
    let fresh;
    try {
      fresh = await openMedia({ video: kind === "video", audio: kind === "audio", deviceIds: { [kind]: deviceId }, fullScreen: this.config.ui.fullScreen });
    } catch (error) {
      this.toasts.error(error.message);
      return;
    }
    const track = fresh.getTracks()[0];
    if (!this.media) this.media = new MediaStream();
    for (const old of this.media.getTracks().filter((t) => t.kind === kind)) {
      this.media.removeTrack(old);
      old.stop();
    }
    this.media.addTrack(track);
    if (kind === "audio") {
      track.enabled = !this.micMuted;
      this.micMeter?.close();
      this.micMeter = new LevelMeter(this.media);
    } else if (this.localVideo) {
      this.localVideo.srcObject = this.media;
    }
    await this.session?.replaceTrack(track);
  }

  // ---- connection ----

  toggle() {
    if (this.session) this.stop();
    else this.start();
  }

  async start() {
    if (this.session) return;
    audioContext(); // created or resumed inside the click, as browsers require
    if ((this.sendsVideo || this.sendsAudio) && !this.media && !(await this.acquireMedia())) return;
    const receive = this.config.mode === "receive" ? [this.config.modality === "audio" ? "audio" : "video"] : [];
    const s = new Session(this.config, { media: this.media, receive });
    this.session = s;
    this.setState("connecting");
    s.addEventListener("track", (e) => this.onTrack(s, e.detail.stream));
    s.addEventListener("state", (e) => this.onConnectionState(s, e.detail.state));
    s.addEventListener("message", (e) => this.onMessage(e.detail.message));
    s.addEventListener("outputs", (e) => e.detail.values.forEach((v, i) => this.outputs[i] && (this.outputs[i].value = v)));
    s.addEventListener("outputs-error", (e) => this.toasts.error(e.detail.message));
    s.addEventListener("ended", () => {
      if (this.session !== s) return;
      this.stop();
      this.toasts.warning("The server closed the connection.");
    });
    s.connectTimer = setTimeout(() => {
      if (this.session !== s || this.state !== "connecting") return;
      this.toasts.warning("Taking a while to connect. Are you on a VPN?");
      this.setStatus("warning", "Still connecting…");
      if (this.config.modality !== "audio") this.showOverlay("Still connecting… this is taking longer than usual.", { spinner: true });
    }, CONNECT_WARNING_MS);
    try {
      await s.open();
    } catch (error) {
      if (this.session !== s) return;
      this.stop();
      this.toasts.error(error instanceof OfferRefused ? error.message : `Could not connect: ${error.message}`);
      this.setStatus("error", error instanceof OfferRefused ? "Refused" : "Not connected");
    }
  }

  onTrack(s, stream) {
    if (this.session !== s) return;
    if (this.remoteVideo && stream.getVideoTracks().length && this.remoteVideo.srcObject !== stream) {
      this.remoteVideo.srcObject = stream;
    }
    if (this.remoteAudio && stream.getAudioTracks().length && !this.remoteMeter) {
      this.remoteAudio.srcObject = stream;
      this.remoteAudio.play().catch((error) => {
        if (error.name === "NotAllowedError") this.toasts.info("The browser blocked the sound: click the page to hear the stream.");
      });
      this.remoteMeter = new LevelMeter(stream);
    }
  }

  onConnectionState(s, state) {
    if (this.session !== s) return;
    switch (state) {
      case "connected":
        clearTimeout(s.connectTimer);
        clearTimeout(s.lostTimer);
        if (this.state !== "live") {
          s.connectedAt = performance.now();
          this.setState("live");
          this.pushInputs(); // the handler starts with the components' defaults
        } else {
          this.setStatus(this.thinking ? "thinking" : "live", this.thinking ? "Thinking…" : "Live");
        }
        break;
      case "disconnected":
        this.setStatus("warning", "Reconnecting…");
        s.lostTimer = setTimeout(() => {
          if (this.session !== s || s.pc.connectionState === "connected") return;
          this.stop();
          this.toasts.warning("The connection was lost.");
        }, RECONNECT_GRACE_MS);
        break;
      case "failed":
        this.stop();
        this.toasts.error("Connection failed!");
        this.setStatus("error", "Connection failed");
        break;
      case "closed":
        this.stop();
        break;
    }
  }

  onMessage(message) {
    switch (message.type) {
      case "error":
        this.toasts.error(message.message ?? message.data);
        break;
      case "warning":
        this.toasts.warning(message.message ?? message.data);
        break;
      case "info":
        this.toasts.info(message.message ?? message.data);
        break;
      case "end_stream":
        this.stop();
        this.toasts.warning(message.data || "The stream has ended.");
        break;
      case "send_input":
        this.pushInputs();
        break;
      case "update_connection":
        if (message.data === "closed") this.stop();
        break;
      case "log":
        if (message.data === "pause_detected") this.setThinking(true);
        else if (message.data === "response_starting") this.setThinking(false);
        break;
      // "fetch_output" announces outputs, which arrive through the outputs event stream.
    }
  }

  /** The additional-input values in order; an input shown as an output (a chatbot, say) sends that output's value. */
  inputValues() {
    return this.config.inputs.map((_, i) => (this.sharedInputs.has(i) ? this.outputs[this.sharedInputs.get(i)].value : this.inputs[i].value));
  }

  /** Sends the inputs; one request at a time, and while one is on its way only the newest values are kept. */
  async pushInputs() {
    const s = this.session;
    if (!s || this.state !== "live" || !this.config.inputs.length) return;
    if (this.inputBusy) {
      this.inputDirty = true;
      return;
    }
    this.inputBusy = true;
    try {
      await s.sendInputs(this.inputValues());
    } catch (error) {
      if (this.session === s) this.toasts.error(error.message);
    } finally {
      this.inputBusy = false;
      if (this.inputDirty) {
        this.inputDirty = false;
        this.pushInputs();
      }
    }
  }

  stop() {
    const s = this.session;
    if (!s) return;
    this.session = null;
    clearTimeout(s.connectTimer);
    clearTimeout(s.lostTimer);
    s.close();
    this.remoteMeter?.close();
    this.remoteMeter = null;
    if (this.remoteVideo) this.remoteVideo.srcObject = null;
    if (this.remoteAudio) this.remoteAudio.srcObject = null;
    this.setThinking(false);
    this.setState("idle");
  }

  // ---- animation: levels, visualisations, countdown ----

  frame() {
    const live = this.state === "live";
    const mic = this.micMeter && !this.micMuted ? this.micMeter.level() : 0;
    const remote = this.remoteMeter ? this.remoteMeter.level() : 0;
    if (this.micBars) {
      this.micBars.setAttribute("aria-valuenow", mic.toFixed(2));
      [...this.micBars.children].forEach((bar, i) => bar.classList.toggle("on", mic > 0.2 + i * 0.14));
    }
    // FastRTC shows the response in send-receive and receive mode, the microphone in send mode.
    const shown = this.config.mode === "send" ? (live ? mic : 0) : remote;
    const source = this.config.mode === "send" ? this.micMeter : this.remoteMeter;
    if (this.remoteLevelEl) {
      this.remoteLevelEl.setAttribute("aria-valuenow", shown.toFixed(2));
      this.remoteLevelEl.style.setProperty("--level", shown.toFixed(3));
    }
    this.wave?.draw(live && source ? source.bands(16) : null);
    this.fitScreen();
    const caption = this.caption && this.captionText(live, shown);
    if (caption && caption !== this.caption.textContent) this.caption.textContent = caption; // it is a live region
    this.updateCountdown();
    requestAnimationFrame(() => this.frame());
  }

  /** Lets the CSS give the screen the shape of the video it shows (used on phones and in compact mode). */
  fitScreen() {
    const remote = this.remoteVideo?.videoWidth && (this.state === "live" || !this.localVideo) ? this.remoteVideo : null;
    const video = remote ?? (this.localVideo?.videoWidth ? this.localVideo : null);
    const aspect = video ? `${video.videoWidth} / ${video.videoHeight}` : "";
    if (aspect !== this.aspect) {
      this.aspect = aspect;
      if (aspect) this.screen.style.setProperty("--aspect", aspect);
      else this.screen.style.removeProperty("--aspect");
    }
  }

  captionText(live, level) {
    const { mode } = this.config;
    if (this.state === "connecting") return this.status.dataset.kind === "warning" ? "Still connecting… this is taking longer than usual." : "Connecting…";
    if (!live) return mode === "send-receive" ? "Press Start, then talk" : mode === "send" ? "Press Start to stream your microphone" : "Press Start to listen";
    if (this.thinking) return "Thinking…";
    if (mode === "send") return "Streaming your microphone";
    if (mode === "receive") return "Playing";
    return level > 0.35 ? "Responding" : "Listening";
  }

  updateCountdown() {
    const limit = this.config.timeLimit;
    const s = this.session;
    const show = Boolean(limit && s?.connectedAt && this.state === "live");
    this.countdown.hidden = !show;
    this.timebar.hidden = !show;
    if (!show) return;
    const left = limit - (performance.now() - s.connectedAt) / 1000;
    this.countdown.textContent = `${clock(left)} left`;
    this.timebarFill.style.width = `${Math.max(0, (left / limit) * 100)}%`;
    this.countdown.classList.toggle("ending", left < 10);
  }

  async init() {
    this.setState("idle");
    if (this.sendsVideo || this.sendsAudio) {
      this.setStatus("connecting", this.sendsVideo ? "Opening camera…" : "Opening microphone…");
      if (await this.acquireMedia()) this.setState("idle");
    }
    window.addEventListener("pagehide", () => this.stop());
    // Browsers start audio only after a user gesture; the first one lets the meters move.
    document.addEventListener("pointerdown", () => {
      audioContext();
      this.remoteAudio?.play().catch(() => {});
    }, { once: true });
    requestAnimationFrame(() => this.frame());
  }
}

async function main() {
  const root = document.getElementById("app");
  const toasts = new Toasts(document.getElementById("toasts"));
  let config;
  try {
    const response = await fetch("config");
    if (!response.ok) throw new Error(`config answered HTTP ${response.status}`);
    config = await response.json();
  } catch (error) {
    root.replaceChildren(h("p", { class: "fatal", text: `The page could not load its settings: ${error.message}` }));
    return;
  }
  const app = new App(config, root, toasts);
  window.fastrtcUi = app; // for debugging from the console
  await app.init();
}

main();
