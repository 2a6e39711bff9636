package io.fastrtc.testing;

import java.io.ByteArrayOutputStream;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;

/**
 * HTTP/1.1 by hand over a socket, for requests no well-behaved client sends: bodies cut short,
 * bytes that are not UTF-8, lying {@code Content-Length}s.
 */
public final class RawHttp {

    private RawHttp() {
    }

    /** A response as received: status line's code and everything after the headers. */
    public record Response(int status, String head, String body) {
    }

    /** A POST with {@code body} as given; {@code contentLength} may lie (null: the body's real length). */
    public static byte[] post(String path, String contentType, byte[] body, Integer contentLength) {
        String head = "POST " + path + " HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n"
                + (contentType == null ? "" : "Content-Type: " + contentType + "\r\n")
                + "Content-Length: " + (contentLength == null ? body.length : contentLength) + "\r\n\r\n";
        byte[] h = head.getBytes(StandardCharsets.US_ASCII);
        byte[] all = new byte[h.length + body.length];
        System.arraycopy(h, 0, all, 0, h.length);
        System.arraycopy(body, 0, all, h.length, body.length);
        return all;
    }

    /**
     * Sends {@code request}, optionally closes our sending side at once (a client that stops
     * halfway), and reads the response until the server closes or 20 s pass.
     */
    public static Response send(int port, byte[] request, boolean halfClose) throws Exception {
        try (Socket socket = new Socket()) {
            socket.connect(new InetSocketAddress("127.0.0.1", port), 5000);
            socket.setSoTimeout(20_000);
            socket.getOutputStream().write(request);
            socket.getOutputStream().flush();
            if (halfClose) {
                socket.shutdownOutput();
            }
            ByteArrayOutputStream received = new ByteArrayOutputStream();
            InputStream in = socket.getInputStream();
            byte[] buffer = new byte[8192];
            try {
                for (int n; (n = in.read(buffer)) > 0; ) {
                    received.write(buffer, 0, n);
                }
            } catch (SocketTimeoutException | java.net.SocketException e) {
                // what arrived is the answer
            }
            String text = received.toString(StandardCharsets.UTF_8);
            int end = text.indexOf("\r\n\r\n");
            String head = end < 0 ? text : text.substring(0, end);
            String body = end < 0 ? "" : text.substring(end + 4);
            int status = head.startsWith("HTTP/1.1 ") && head.length() >= 12 ? Integer.parseInt(head.substring(9, 12)) : -1;
            return new Response(status, head, body);
        }
    }
}
