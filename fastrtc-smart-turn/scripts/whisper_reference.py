#!/usr/bin/env python3
"""Reference values for WhisperFeaturesTest, computed with numpy only.

Written from the steps of Smart Turn v3's input pipeline (keep the last 8 s of 16 kHz audio, zero-pad
at the front; then what transformers' WhisperFeatureExtractor(chunk_length=8) does with
do_normalize=True), independently of the Java code under test. Run from the module directory:

    python3 scripts/whisper_reference.py > src/test/resources/io/fastrtc/turn/smartturn/whisper-reference.txt

The test signals are generated the same way in the Java test (WhisperFeaturesTest.signal); each case
records the feature matrix's min, max, mean and sum, its 80 row sums, its 800 column sums and every
61st value in row-major order, so any misplaced or wrong value shows up.
"""
import sys

import numpy as np

RATE = 16000
WINDOW = 8 * RATE
N_FFT = 400
HOP = 160
MELS = 80
STRIDE = 61


def hz_to_mel(f):
    f = np.asarray(f, dtype=np.float64)
    linear = 3.0 * f / 200.0
    with np.errstate(divide="ignore"):
        logarithmic = 15.0 + np.log(np.maximum(f, 1e-30) / 1000.0) * 27.0 / np.log(6.4)
    return np.where(f < 1000.0, linear, logarithmic)


def mel_to_hz(m):
    m = np.asarray(m, dtype=np.float64)
    linear = 200.0 * m / 3.0
    logarithmic = 1000.0 * np.exp((m - 15.0) * np.log(6.4) / 27.0)
    return np.where(m < 15.0, linear, logarithmic)


def filterbank():
    """Slaney-scale, Slaney-normalised triangles: shape (201 FFT bins, 80 filters)."""
    edges = mel_to_hz(np.linspace(hz_to_mel(0.0), hz_to_mel(RATE / 2), MELS + 2))
    bins = np.arange(N_FFT // 2 + 1) * (RATE / N_FFT)
    bank = np.zeros((N_FFT // 2 + 1, MELS))
    for m in range(MELS):
        lo, mid, hi = edges[m], edges[m + 1], edges[m + 2]
        rising = (bins - lo) / (mid - lo)
        falling = (hi - bins) / (hi - mid)
        bank[:, m] = np.maximum(0.0, np.minimum(rising, falling)) * (2.0 / (hi - lo))
    return bank


def smart_turn_window(audio):
    """The last 8 s, zero-padded at the front."""
    audio = np.asarray(audio, dtype=np.float32)[-WINDOW:]
    return np.concatenate([np.zeros(WINDOW - len(audio), dtype=np.float32), audio])


def features(audio):
    x = smart_turn_window(audio)
    x = (x - x.mean()) / np.sqrt(x.var() + np.float32(1e-7))  # float32 throughout, as the extractor
    padded = np.pad(x.astype(np.float64), N_FFT // 2, mode="reflect")
    n = np.arange(N_FFT)
    hann = 0.5 - 0.5 * np.cos(2.0 * np.pi * n / N_FFT)
    frames = 1 + (len(padded) - N_FFT) // HOP
    power = np.empty((N_FFT // 2 + 1, frames))
    for t in range(frames):
        power[:, t] = np.abs(np.fft.rfft(padded[t * HOP:t * HOP + N_FFT] * hann)) ** 2
    log_mel = np.log10(np.maximum(filterbank().T @ power, 1e-10))[:, :-1]
    log_mel = np.maximum(log_mel, log_mel.max() - 8.0)
    return ((log_mel + 4.0) / 4.0).astype(np.float32)


def lcg_noise(count, seed):
    """Uniform noise in [-0.5, 0.5) from a 31-bit linear congruential generator (exact in Java too)."""
    out = np.empty(count)
    state = seed
    for i in range(count):
        state = (state * 1103515245 + 12345) % (1 << 31)
        out[i] = state / float(1 << 31) - 0.5
    return out


def to_pcm16_float(x):
    """Quantise to 16-bit PCM (round half up, clipped) and back to float, as a microphone delivers it."""
    q = np.clip(np.floor(np.asarray(x) * 32768.0 + 0.5), -32768, 32767)
    return (q / 32768.0).astype(np.float32)


def signal(name):
    if name == "sine440_1s":
        t = np.arange(RATE) / RATE
        return (0.5 * np.sin(2.0 * np.pi * 440.0 * t)).astype(np.float32)
    if name == "voiced_10s":
        count = 10 * RATE
        t = np.arange(count) / RATE
        f0 = 120.0 + 100.0 * t / 10.0
        phase = 2.0 * np.pi * np.cumsum(f0) / RATE
        voice = sum(np.sin(k * phase) / k for k in range(1, 11))
        envelope = np.abs(np.sin(2.0 * np.pi * 3.0 * t))
        return to_pcm16_float(0.2 * envelope * voice + 0.02 * lcg_noise(count, 7))
    if name == "quiet_noise_300ms":
        return to_pcm16_float(0.002 * lcg_noise(RATE * 3 // 10, 42))
    if name == "zeros_2s":
        return np.zeros(2 * RATE, dtype=np.float32)
    raise ValueError(name)


def line(label, values):
    return label + " " + " ".join("%.9g" % v for v in values)


def main(out):
    bank = filterbank()
    out.write("# numpy %s; python3 scripts/whisper_reference.py (do not edit)\n" % np.__version__)
    peak = np.unravel_index(np.argmax(bank), bank.shape)
    out.write("filterbank sum %.9g max %.9g at %d %d\n" % (bank.sum(), bank.max(), peak[0], peak[1]))
    out.write(line("filterbank-columns", bank.sum(axis=0)) + "\n")
    for name in ("sine440_1s", "voiced_10s", "quiet_noise_300ms", "zeros_2s"):
        f = features(signal(name))
        assert f.shape == (MELS, 800), f.shape
        out.write("case %s\n" % name)
        out.write(line("stats", [f.min(), f.max(), f.astype(np.float64).mean(), f.astype(np.float64).sum()]) + "\n")
        out.write(line("rows", f.astype(np.float64).sum(axis=1)) + "\n")
        out.write(line("columns", f.astype(np.float64).sum(axis=0)) + "\n")
        out.write(line("every%d" % STRIDE, f.reshape(-1)[::STRIDE]) + "\n")


if __name__ == "__main__":
    main(sys.stdout)
