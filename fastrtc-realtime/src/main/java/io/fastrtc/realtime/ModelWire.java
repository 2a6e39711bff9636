package io.fastrtc.realtime;

import java.net.URI;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;

/** What both protocols are set up with: the endpoint, the key, the model and the session's persona. */
abstract class ModelWire implements Protocol {

    final String key;
    final String model;
    final String baseUrl;
    final String instructions;
    final String voice;
    private final String vendor;
    private final int inputRate;
    private final int outputRate;

    ModelWire(RealtimeBuilder<?> settings, String vendor, int inputRate, int outputRate) {
        this.key = settings.key();
        this.model = settings.model;
        this.baseUrl = settings.baseUrl;
        this.instructions = settings.instructions;
        this.voice = settings.voice;
        this.vendor = vendor;
        this.inputRate = inputRate;
        this.outputRate = outputRate;
    }

    @Override
    public int inputRate() {
        return inputRate;
    }

    @Override
    public int outputRate() {
        return outputRate;
    }

    @Override
    public String vendor() {
        return vendor;
    }

    /** The endpoint with one more query parameter. */
    URI endpoint(String name, String value) {
        return URI.create(baseUrl + (baseUrl.contains("?") ? "&" : "?") + name + "="
                + URLEncoder.encode(value, StandardCharsets.UTF_8));
    }

    @Override
    public String toString() {
        return vendor + " wire[" + model + " at " + baseUrl + "]"; // never the key
    }
}
