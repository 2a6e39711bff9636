package io.fastrtc.audio;

import io.fastrtc.handler.Emit;
import io.fastrtc.handler.Inputs;
import java.util.Iterator;

/**
 * The source of a {@code receive}-mode audio stream: called once per connection, it returns the
 * audio to play (any rate, any chunk length); playback is paced in real time and the connection ends
 * when the iterator is exhausted or yields a {@link io.fastrtc.handler.CloseStream}.
 */
@FunctionalInterface
public interface AudioGenerator {

    Iterator<? extends Emit> generate(Inputs inputs) throws Exception;
}
