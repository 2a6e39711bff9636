package io.fastrtc.turn;

import io.fastrtc.audio.AudioFrame;

/**
 * FastRTC's pause rule ({@code reply_on_pause.py}), the chunked mode of {@link ReplyOnPause}: the
 * audio buffered since the last analysed chunk is judged once it is {@code audioChunkDurationS}
 * long; a chunk with more than {@code startedTalkingThreshold} seconds of speech starts the turn and
 * a later one with less than {@code speechThreshold} ends it.
 */
final class ChunkedPause {

    private ChunkedPause() {
    }

    /** True when the user's turn has ended; {@code startedTalking} runs when a chunk starts the turn. */
    static boolean determine(AlgoOptions algo, PauseDetectionModel model, AudioFrame audio,
            ReplyOnPause.TurnState turn, Runnable startedTalking) {
        double duration = audio.durationMillis() / 1000.0;
        if (duration < algo.audioChunkDurationS()) {
            return false;
        }
        double speech = model.vad(audio).speechSeconds();
        if (speech > algo.startedTalkingThreshold() && !turn.startedTalking) {
            turn.startedTalking = true;
            startedTalking.run();
        }
        turn.buffer = null;
        if (turn.startedTalking) {
            turn.stream = turn.stream == null ? audio : turn.stream.concat(audio);
            if (turn.stream.durationMillis() / 1000.0 >= algo.maxContinuousSpeechS()) {
                return true; // buffer already cleared (FastRTC forgets to clear it)
            }
        }
        return speech < algo.speechThreshold() && turn.startedTalking;
    }
}
