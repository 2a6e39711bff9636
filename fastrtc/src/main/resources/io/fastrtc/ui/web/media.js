// Camera and microphone access, device lists, and audio levels (WebAudio analysers) with their
// visualisations: a wave in FastRTC's style, and a pulsing icon.

// FastRTC's default getUserMedia constraints.
const AUDIO = {
  echoCancellation: true,
  noiseSuppression: { exact: true },
  autoGainControl: { exact: true },
  sampleRate: { ideal: 24000 },
  sampleSize: { ideal: 16 },
  channelCount: { exact: 1 },
};

function videoConstraints(fullScreen) {
  const size = fullScreen ? { width: { ideal: 1280 }, height: { ideal: 720 } } : { width: { ideal: 500 }, height: { ideal: 500 } };
  return { facingMode: "user", ...size, frameRate: { ideal: 30 } };
}

/**
 * Opens the camera and/or microphone. deviceIds: {video, audio} to pick specific devices.
 * Rejects with an Error whose message tells the user what to do.
 */
export async function openMedia({ video, audio, deviceIds = {}, fullScreen = true }) {
  if (!navigator.mediaDevices?.getUserMedia) {
    throw new Error("Camera and microphone need a secure page: open it as http://localhost or over https://.");
  }
  const constraints = {
    video: video && (deviceIds.video ? { ...videoConstraints(fullScreen), deviceId: { exact: deviceIds.video } } : videoConstraints(fullScreen)),
    audio: audio && (deviceIds.audio ? { ...AUDIO, deviceId: { exact: deviceIds.audio } } : AUDIO),
  };
  try {
    return await navigator.mediaDevices.getUserMedia(constraints);
  } catch (error) {
    throw new Error(mediaErrorMessage(error, video && audio ? "camera and microphone" : video ? "camera" : "microphone"));
  }
}

function mediaErrorMessage(error, what) {
  switch (error?.name) {
    case "NotAllowedError":
    case "SecurityError":
      return `Access to the ${what} was denied. Allow it in the browser's site settings, then try again.`;
    case "NotFoundError":
    case "OverconstrainedError":
      return `No ${what} was found.`;
    case "NotReadableError":
      return `The ${what} is in use by another application.`;
    default:
      return `The ${what} could not be opened: ${error?.message ?? error}`;
  }
}

/** Cameras and microphones: {video: [{id, label}], audio: [...]}. Labels are known once access was granted. */
export async function listDevices() {
  const devices = navigator.mediaDevices?.enumerateDevices ? await navigator.mediaDevices.enumerateDevices() : [];
  const of = (kind, noun) =>
    devices
      .filter((d) => d.kind === kind && d.deviceId)
      .map((d, i) => ({ id: d.deviceId, label: d.label || `${noun} ${i + 1}` }));
  return { video: of("videoinput", "Camera"), audio: of("audioinput", "Microphone") };
}

export function stopTracks(stream) {
  stream?.getTracks().forEach((t) => t.stop());
}

// ---- levels ----

let sharedContext = null;

/** The page's AudioContext, resumed (call from a click so that browsers allow it). */
export function audioContext() {
  sharedContext ??= new AudioContext();
  if (sharedContext.state === "suspended") sharedContext.resume().catch(() => {});
  return sharedContext;
}

/** The audio level of a MediaStream, from a WebAudio analyser. */
export class LevelMeter {
  constructor(stream) {
    const ctx = audioContext();
    this.source = ctx.createMediaStreamSource(stream);
    this.analyser = ctx.createAnalyser();
    this.analyser.fftSize = 256;
    this.analyser.smoothingTimeConstant = 0.8;
    this.source.connect(this.analyser);
    this.samples = new Float32Array(this.analyser.fftSize);
    this.spectrum = new Uint8Array(this.analyser.frequencyBinCount);
    this.smoothed = 0;
  }

  /** Loudness from 0 (silence, below -60 dBFS) to 1 (full scale); rises fast, falls slowly. */
  level() {
    this.analyser.getFloatTimeDomainData(this.samples);
    let sum = 0;
    for (const s of this.samples) sum += s * s;
    const rms = Math.sqrt(sum / this.samples.length);
    const db = 20 * Math.log10(rms + 1e-9);
    const now = Math.min(1, Math.max(0, (db + 60) / 60));
    this.smoothed = now > this.smoothed ? now : this.smoothed * 0.9 + now * 0.1;
    return this.smoothed;
  }

  /** n frequency bands from 0 to 1 (FastRTC's wave reads its amplitudes this way). */
  bands(n) {
    this.analyser.getByteFrequencyData(this.spectrum);
    const out = new Array(n);
    for (let i = 0; i < n; i++) out[i] = this.spectrum[Math.floor((i / n) * this.spectrum.length)] / 255;
    return out;
  }

  close() {
    this.source.disconnect();
  }
}

/**
 * FastRTC's audio wave: three layered sine curves whose amplitude follows the frequency bands of
 * the audio, idling gently when there is none. Drawn on a canvas in the accent colour.
 */
export class WaveView {
  constructor(canvas) {
    this.canvas = canvas;
    this.time = 0;
  }

  /** bands: array of 0..1 values, or null when idle. */
  draw(bands) {
    const canvas = this.canvas;
    const dpr = window.devicePixelRatio || 1;
    const w = canvas.clientWidth;
    const hgt = canvas.clientHeight;
    if (!w || !hgt) return;
    if (canvas.width !== Math.round(w * dpr) || canvas.height !== Math.round(hgt * dpr)) {
      canvas.width = Math.round(w * dpr);
      canvas.height = Math.round(hgt * dpr);
    }
    const ctx = canvas.getContext("2d");
    ctx.setTransform(dpr, 0, 0, dpr, 0, 0);
    ctx.clearRect(0, 0, w, hgt);
    const n = 16;
    const amps = bands
      ? bands.map((b) => b * 0.8 + 0.2)
      : Array.from({ length: n }, (_, i) => 0.15 + 0.05 * Math.sin(this.time * 0.5 + i * 0.3));
    this.time += bands ? 0.016 : 0.012;
    const colour = getComputedStyle(canvas).color;
    const scale = Math.min(hgt * 0.42, 120);
    for (let k = 0; k < 3; k++) {
      const phase = this.time * ((bands ? 0.5 : 0.3) + (bands ? 0.1 : 0.05) * k) * 6;
      let a = 0;
      for (let j = 0; j < 4; j++) a += amps[j * 3 % amps.length] / (j + 1);
      a *= scale * (0.42 + 0.14 * k) / 2.08;
      const f = 1 + 0.3 * k;
      ctx.beginPath();
      for (let p = 0; p <= 100; p++) {
        const xn = (p / 100) * 4 * Math.PI;
        const taper = Math.sin((p / 100) * Math.PI); // the curve meets the axis at both ends
        const y = hgt / 2 + taper * (Math.sin(xn * f + phase) * a + Math.cos(xn * f * 1.3 + 0.7 * phase) * 0.3 * a);
        const x = (p / 100) * w;
        if (p === 0) ctx.moveTo(x, y);
        else ctx.lineTo(x, y);
      }
      ctx.strokeStyle = colour;
      ctx.globalAlpha = [0.35, 0.6, 1][k];
      ctx.lineWidth = [1.5, 2, 2.75][k];
      ctx.shadowColor = colour;
      ctx.shadowBlur = k === 2 ? 12 : 0;
      ctx.stroke();
    }
    ctx.globalAlpha = 1;
  }
}
