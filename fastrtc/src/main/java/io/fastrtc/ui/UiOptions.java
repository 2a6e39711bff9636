package io.fastrtc.ui;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * How the built-in web UI looks and behaves: FastRTC's {@code UIArgs}.
 *
 * <pre>{@code
 * Stream.builder()
 *     .video(handler)
 *     .ui(UiOptions.builder().title("Object detection").subtitle("Point the camera at something").build())
 *     .build()
 *     .ui().launch();
 * }</pre>
 *
 * @param title heading of the page; null for FastRTC's default ("Video Streaming (Powered by FastRTC ⚡️)"
 *     or "Audio Streaming ..."). Text containing an HTML tag is used as HTML.
 * @param subtitle line under the title; light Markdown ({@code **bold**}, {@code *italic*},
 *     {@code `code`}, {@code [link](url)}) or HTML if it contains a tag; null for none
 * @param icon image shown in the audio visualisation instead of the wave: a URL, or the path of a
 *     local image file, which the UI then serves; null for the wave
 * @param iconButtonColor CSS colour of the disc behind the icon; null for the accent colour
 * @param pulseColor CSS colour of the pulse rings and wave; null for the accent colour
 * @param iconRadius corner radius of the icon in percent (0 square, 50 round)
 * @param sendInputOn when edited additional inputs are sent to the server
 * @param hideTitle hide title and subtitle
 * @param fullScreen the stream fills the window (true, FastRTC's default) or sits in a compact card
 * @param outputsHandler maps handler outputs to component values; null to use them positionally
 */
public record UiOptions(String title, String subtitle, String icon, String iconButtonColor, String pulseColor,
        int iconRadius, SendInputOn sendInputOn, boolean hideTitle, boolean fullScreen,
        AdditionalOutputsHandler outputsHandler) {

    /** When the web UI sends edited additional inputs: at every change, or when the user submits. */
    public enum SendInputOn {
        /** Every edit is sent at once (sliders while they move, text as it is typed). */
        CHANGE,
        /** Edits are sent together when the user presses Submit or Enter. */
        SUBMIT
    }

    /** CSS colours: names, hex, rgb()/hsl() and var(); nothing that could end the declaration. */
    private static final Pattern COLOUR = Pattern.compile("[#\\w\\s(),.%-]{1,64}");

    public UiOptions {
        checkColour("iconButtonColor", iconButtonColor);
        checkColour("pulseColor", pulseColor);
        if (iconRadius < 0 || iconRadius > 50) {
            throw new IllegalArgumentException("iconRadius is a percentage from 0 (square) to 50 (round); got "
                    + iconRadius);
        }
        if (sendInputOn == null) {
            throw new IllegalArgumentException("sendInputOn must be CHANGE or SUBMIT; got null");
        }
    }

    private static void checkColour(String name, String value) {
        if (value != null && !COLOUR.matcher(value).matches()) {
            throw new IllegalArgumentException(name + " must be a CSS colour such as \"#ff6a00\", \"teal\" or"
                    + " \"var(--accent)\"; got \"" + value + "\"");
        }
    }

    /** FastRTC's defaults: default title, wave visualisation, inputs sent on change, full screen. */
    public static UiOptions defaults() {
        return builder().build();
    }

    public static Builder builder() {
        return new Builder();
    }

    /** A builder starting from these options. */
    public Builder toBuilder() {
        Builder b = new Builder();
        b.title = title;
        b.subtitle = subtitle;
        b.icon = icon;
        b.iconButtonColor = iconButtonColor;
        b.pulseColor = pulseColor;
        b.iconRadius = iconRadius;
        b.sendInputOn = sendInputOn;
        b.hideTitle = hideTitle;
        b.fullScreen = fullScreen;
        b.outputsHandler = outputsHandler;
        return b;
    }

    /** What the page receives (everything but the handler; the icon as the URL the page loads it from). */
    public Map<String, Object> toClient(String iconUrl) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("title", title);
        m.put("subtitle", subtitle);
        m.put("icon", iconUrl);
        m.put("iconButtonColor", iconButtonColor);
        m.put("pulseColor", pulseColor);
        m.put("iconRadius", iconRadius);
        m.put("sendInputOn", sendInputOn.name().toLowerCase(java.util.Locale.ROOT));
        m.put("hideTitle", hideTitle);
        m.put("fullScreen", fullScreen);
        return m;
    }

    /** Builds {@link UiOptions}; unset values keep FastRTC's defaults. */
    public static final class Builder {
        private String title;
        private String subtitle;
        private String icon;
        private String iconButtonColor;
        private String pulseColor;
        private int iconRadius = 50;
        private SendInputOn sendInputOn = SendInputOn.CHANGE;
        private boolean hideTitle;
        private boolean fullScreen = true;
        private AdditionalOutputsHandler outputsHandler;

        private Builder() {
        }

        public Builder title(String title) {
            this.title = title;
            return this;
        }

        public Builder subtitle(String subtitle) {
            this.subtitle = subtitle;
            return this;
        }

        /** A URL, or the path of a local image file that the UI serves. */
        public Builder icon(String icon) {
            this.icon = icon;
            return this;
        }

        public Builder iconButtonColor(String cssColour) {
            this.iconButtonColor = cssColour;
            return this;
        }

        public Builder pulseColor(String cssColour) {
            this.pulseColor = cssColour;
            return this;
        }

        public Builder iconRadius(int percent) {
            this.iconRadius = percent;
            return this;
        }

        public Builder sendInputOn(SendInputOn when) {
            this.sendInputOn = when;
            return this;
        }

        public Builder hideTitle(boolean hide) {
            this.hideTitle = hide;
            return this;
        }

        public Builder fullScreen(boolean fullScreen) {
            this.fullScreen = fullScreen;
            return this;
        }

        public Builder outputsHandler(AdditionalOutputsHandler handler) {
            this.outputsHandler = handler;
            return this;
        }

        public UiOptions build() {
            return new UiOptions(title, subtitle, icon, iconButtonColor, pulseColor, iconRadius, sendInputOn,
                    hideTitle, fullScreen, outputsHandler);
        }
    }
}
