package io.fastrtc.javalin;

import io.javalin.http.Context;
import jakarta.servlet.ServletOutputStream;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.nio.charset.StandardCharsets;

/**
 * Server-sent events written on a Javalin request's own thread, e.g. for an output hook over
 * {@code stream.outputStream(id)}. Unlike Javalin's {@code sse()}, the route can still answer an
 * ordinary JSON error before {@link #open}, and any client gets the stream whatever its
 * {@code Accept} header. Each event is flushed at once; a write that fails means the client left.
 */
public final class EventStream {

    private final ServletOutputStream out;

    private EventStream(ServletOutputStream out) {
        this.out = out;
    }

    /**
     * Starts the response: 200, {@code text/event-stream}, {@code Cache-Control: no-cache},
     * {@code X-Accel-Buffering: no} (nginx would otherwise hold events back), sent at once so the
     * client sees the stream open before the first event.
     */
    public static EventStream open(Context ctx) throws IOException {
        HttpServletResponse res = ctx.res();
        res.setStatus(200);
        res.setContentType("text/event-stream");
        res.setCharacterEncoding("UTF-8");
        res.setHeader("Cache-Control", "no-cache");
        res.setHeader("X-Accel-Buffering", "no");
        res.flushBuffer();
        return new EventStream(res.getOutputStream());
    }

    /** {@code event: name} with one line of {@code data}. */
    public void event(String name, String data) throws IOException {
        write("event: " + name + "\ndata: " + data + "\n\n");
    }

    /** A comment line, e.g. a keep-alive that also tells a vanished client from a silent one. */
    public void comment(String text) throws IOException {
        write(": " + text + "\n\n");
    }

    private void write(String text) throws IOException {
        out.write(text.getBytes(StandardCharsets.UTF_8));
        out.flush();
    }
}
