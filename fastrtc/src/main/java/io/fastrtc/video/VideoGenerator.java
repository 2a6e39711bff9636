package io.fastrtc.video;

import io.fastrtc.handler.Emit;
import io.fastrtc.handler.Inputs;
import java.util.Iterator;

/**
 * The server-to-client source of a {@code receive} stream: called once per connection with the
 * input values, it returns the frames to send. The stream pulls one item per frame interval
 * ({@code fps}); the connection ends when the iterator is exhausted or yields a
 * {@link io.fastrtc.handler.CloseStream}.
 */
@FunctionalInterface
public interface VideoGenerator {

    Iterator<? extends Emit> generate(Inputs inputs) throws Exception;
}
