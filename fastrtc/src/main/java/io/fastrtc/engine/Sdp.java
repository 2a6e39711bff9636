package io.fastrtc.engine;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/** The little SDP handling the server needs before libwebrtc sees an offer. */
public final class Sdp {

    private Sdp() {
    }

    /** One {@code m=} section: its kind ({@code audio}, {@code video}, {@code application}) and direction. */
    public record Media(String kind, String direction) {
    }

    /** How many ICE candidates ({@code a=candidate:} lines) a session description carries. */
    public static int candidateCount(String sdp) {
        int n = 0;
        for (int at = sdp.indexOf("a=candidate:"); at >= 0; at = sdp.indexOf("a=candidate:", at + 1)) {
            if (at == 0 || sdp.charAt(at - 1) == '\n') {
                n++;
            }
        }
        return n;
    }

    /**
     * The DTLS role of a description that is an answer, not an offer: the first {@code a=setup:}
     * value other than {@code actpass}, which an offer must use (RFC 8842, section 5.2); null if
     * there is none. libwebrtc applies an answer given as an offer and answers it, and the
     * connection it prepares never comes.
     */
    public static String answerRole(String sdp) {
        for (String line : sdp.split("\r?\n")) {
            if (line.startsWith("a=setup:")) {
                String role = line.substring("a=setup:".length()).trim().toLowerCase(Locale.ROOT);
                if (!role.equals("actpass")) {
                    return role;
                }
            }
        }
        return null;
    }

    /** The media sections of a session description, in order. */
    public static List<Media> media(String sdp) {
        List<Media> out = new ArrayList<>();
        String kind = null;
        String direction = "sendrecv";
        for (String line : sdp.split("\r?\n")) {
            if (line.startsWith("m=")) {
                if (kind != null) {
                    out.add(new Media(kind, direction));
                }
                int space = line.indexOf(' ');
                kind = (space < 0 ? line.substring(2) : line.substring(2, space)).toLowerCase(Locale.ROOT);
                direction = "sendrecv";
            } else if (kind != null && (line.equals("a=sendrecv") || line.equals("a=sendonly")
                    || line.equals("a=recvonly") || line.equals("a=inactive"))) {
                direction = line.substring(2);
            }
        }
        if (kind != null) {
            out.add(new Media(kind, direction));
        }
        return out;
    }

    /**
     * Moves {@code codec}'s payload types (and their RTX companions) to the front of every
     * {@code m=video} line. libwebrtc's sender follows the offerer's order, so this is the only way
     * for an answerer to choose what both sides send ({@code setCodecPreferences} only steers the
     * remote sender). Offers without the codec are returned unchanged. For H264 the
     * packetization-mode=1 constrained-baseline variants come first, since every decoder has them.
     */
    public static String preferVideoCodec(String sdp, String codec) {
        String eol = sdp.contains("\r\n") ? "\r\n" : "\n";
        String[] lines = sdp.split("\r?\n", -1);
        StringBuilder out = new StringBuilder(sdp.length());
        int i = 0;
        while (i < lines.length) {
            String line = lines[i];
            if (!line.startsWith("m=video ")) {
                append(out, line, eol, i == lines.length - 1);
                i++;
                continue;
            }
            int end = i + 1;
            while (end < lines.length && !lines[end].startsWith("m=")) {
                end++;
            }
            append(out, reorder(line, lines, i + 1, end, codec), eol, false);
            for (int j = i + 1; j < end; j++) {
                append(out, lines[j], eol, j == lines.length - 1);
            }
            i = end;
        }
        return out.toString();
    }

    /**
     * Asks for audio packets of {@code millis} ms ({@code a=ptime}) in every {@code m=audio} section
     * that names no packet time. libwebrtc's Opus encoder, in browsers too, packs as many 10 ms
     * frames per packet as the remote description's ptime says (20 ms without one), and a packet
     * leaves only when its last frame is in: 10 ms packets reach the listener's jitter buffer 5 ms
     * sooner on average (10 ms at most), for twice the packets. A section that states a ptime keeps
     * it: that peer chose what it receives.
     */
    public static String withAudioPacketTime(String sdp, int millis) {
        String eol = sdp.contains("\r\n") ? "\r\n" : "\n";
        boolean trailing = sdp.endsWith("\n");
        List<String> lines = new ArrayList<>(List.of(sdp.split("\r?\n")));
        lines.add("m="); // a sentinel that closes the last section
        StringBuilder out = new StringBuilder(sdp.length() + 32);
        boolean audio = false;
        boolean stated = false;
        for (int i = 0; i < lines.size(); i++) {
            String line = lines.get(i);
            if (line.startsWith("m=")) {
                if (audio && !stated) {
                    out.append("a=ptime:").append(millis).append(eol);
                }
                audio = line.startsWith("m=audio ");
                stated = false;
            } else if (line.startsWith("a=ptime:")) {
                stated = true;
            }
            if (i < lines.size() - 1) {
                out.append(line).append(eol);
            }
        }
        if (!trailing) {
            out.setLength(out.length() - eol.length());
        }
        return out.toString();
    }

    private static void append(StringBuilder out, String line, String eol, boolean last) {
        out.append(line);
        if (!last) {
            out.append(eol);
        }
    }

    private static String reorder(String mline, String[] lines, int from, int to, String codec) {
        String[] parts = mline.split(" ");
        if (parts.length <= 4) {
            return mline;
        }
        List<String> pts = List.of(parts).subList(3, parts.length);
        Set<String> best = new LinkedHashSet<>();
        Set<String> good = new LinkedHashSet<>();
        List<String[]> rtx = new ArrayList<>();
        for (int j = from; j < to; j++) {
            String line = lines[j];
            if (line.startsWith("a=rtpmap:")) {
                String pt = line.substring(9, line.indexOf(' ') < 0 ? line.length() : line.indexOf(' '));
                String name = line.substring(line.indexOf(' ') + 1).split("/")[0];
                if (name.equalsIgnoreCase(codec)) {
                    good.add(pt);
                }
            }
        }
        for (int j = from; j < to; j++) {
            String line = lines[j];
            if (line.startsWith("a=fmtp:")) {
                int space = line.indexOf(' ');
                if (space < 0) {
                    continue;
                }
                String pt = line.substring(7, space);
                String params = line.substring(space + 1);
                if (params.startsWith("apt=")) {
                    rtx.add(new String[] {pt, params.substring(4)});
                } else if (good.contains(pt) && params.contains("packetization-mode=1")
                        && params.contains("profile-level-id=42e01f")) {
                    best.add(pt);
                }
            }
        }
        if (good.isEmpty()) {
            return mline;
        }
        Set<String> preferred = new LinkedHashSet<>();
        for (String pt : pts) {
            if (best.contains(pt)) {
                preferred.add(pt);
            }
        }
        for (String pt : pts) {
            if (good.contains(pt)) {
                preferred.add(pt);
            }
        }
        Set<String> ordered = new LinkedHashSet<>(preferred);
        for (String pt : preferred) {
            for (String[] pair : rtx) {
                if (pair[1].equals(pt)) {
                    ordered.add(pair[0]);
                }
            }
        }
        ordered.addAll(pts);
        return String.join(" ", List.of(parts).subList(0, 3)) + " " + String.join(" ", ordered);
    }
}
