package io.fastrtc.realtime;

import io.fastrtc.audio.AudioChunker;
import io.fastrtc.audio.AudioFrame;
import io.fastrtc.handler.AdditionalOutputs;
import io.fastrtc.handler.Emit;
import io.fastrtc.ui.Chatbot;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * The model's reply on its way to the caller: its audio as 20 ms frames and the conversation
 * outputs, in order, for {@code emit}; how much of the reply item being played has been handed
 * out; and the conversation so far. Reply items are the vendor's ids, or {@code turn-N} for a
 * vendor without them. Thread-safe: fed by the model's socket, drained by the output thread,
 * cut by barge-in.
 */
final class ReplyQueue {

    /** Interrupted reply items remembered, so their late audio is dropped. */
    private static final int CUT_MEMORY = 32;

    /** What a barge-in cut: the item being played, what of it was heard, whether anything was dropped. */
    record Cut(String item, int heardMillis, boolean dropped) {
    }

    /** A 20 ms frame of reply audio and the reply item it belongs to. */
    private record Piece(AudioFrame frame, String item) {
    }

    private final int rate;
    private final AudioChunker chunker;
    private final ArrayDeque<Object> out = new ArrayDeque<>();
    private final LinkedHashSet<String> cut = new LinkedHashSet<>();
    private final List<Chatbot.Message> conversation = new ArrayList<>();
    private final StringBuilder userText = new StringBuilder();
    private final StringBuilder assistantText = new StringBuilder();
    private String playingItem;
    private long playingSamples;
    private String receivingItem;
    private boolean responding;
    private int turn;

    ReplyQueue(int rate) {
        this.rate = rate;
        this.chunker = new AudioChunker(rate, 1);
    }

    synchronized void replyStarted() {
        responding = true;
    }

    /** True from the start of a reply to its end (it may be cancelled). */
    synchronized boolean responding() {
        return responding;
    }

    /** Reply audio at this queue's rate for {@code itemId} (null: the current turn); dropped if that item was cut. */
    synchronized void audio(String itemId, byte[] pcm16) {
        String item = item(itemId);
        if (!cut.contains(item)) {
            responding = true;
            receivingItem = item;
            queue(chunker.push(AudioFrame.fromBytes(rate, 1, pcm16)), item);
        }
    }

    synchronized void audioDone(String itemId) {
        String item = item(itemId);
        if (!cut.contains(item)) {
            queue(chunker.flush(), item);
        }
        receivingItem = null;
    }

    /** The model's turn is over: the rest of its audio and its words go out. */
    synchronized void turnComplete() {
        audioDone(null);
        turn++;
        responding = false;
        publishUser();
        publishAssistant(false);
    }

    /** The connection was lost: true if it was in the middle of a reply. */
    synchronized boolean lost() {
        boolean midAnswer = receivingItem != null;
        receivingItem = null;
        responding = false;
        return midAnswer;
    }

    synchronized void userText(String text, boolean complete) {
        userText.append(text);
        if (complete) {
            publishUser();
        }
    }

    synchronized void assistantText(String delta) {
        publishUser(); // the model answers: the caller's words are complete
        assistantText.append(delta);
    }

    /**
     * Barge-in: drops the reply not yet handed out and ignores the rest of it. {@code queuedMillis}
     * is what was handed out and not yet heard; what of the playing item was heard is what was
     * handed out minus that.
     */
    synchronized Cut cut(int queuedMillis) {
        boolean dropped = queuedMillis > 0;
        for (Iterator<Object> it = out.iterator(); it.hasNext(); ) {
            if (it.next() instanceof Piece piece) {
                remember(piece.item());
                it.remove();
                dropped = true;
            }
        }
        chunker.clear();
        if (receivingItem != null) {
            remember(receivingItem); // the rest of the interrupted reply is not wanted
            dropped = true;
        }
        if (dropped) {
            publishAssistant(true);
        }
        int heard = (int) Math.max(0, playingSamples * 1000 / rate - queuedMillis);
        return new Cut(playingItem, heard, dropped);
    }

    /** Plays {@code clip} after what is queued (an apology). */
    synchronized void play(AudioFrame clip) {
        String item = "clip-" + System.nanoTime();
        queue(chunker.push(clip.toMono().resample(rate)), item);
        queue(chunker.flush(), item);
    }

    /** The next frame or outputs, waiting up to {@code waitNanos}; null if none came. */
    synchronized Emit next(long waitNanos) throws InterruptedException {
        long deadline = System.nanoTime() + waitNanos;
        while (out.isEmpty()) {
            long left = deadline - System.nanoTime();
            if (left <= 0) {
                return null;
            }
            TimeUnit.NANOSECONDS.timedWait(this, left);
        }
        Object next = out.poll();
        if (next instanceof Piece piece) {
            if (!piece.item().equals(playingItem)) {
                playingItem = piece.item();
                playingSamples = 0;
            }
            playingSamples += piece.frame().samplesPerChannel();
            return piece.frame();
        }
        return (AdditionalOutputs) next;
    }

    synchronized void clear() {
        out.clear();
        chunker.clear();
    }

    private String item(String itemId) {
        return itemId != null ? itemId : "turn-" + turn;
    }

    private void remember(String item) {
        cut.add(item);
        if (cut.size() > CUT_MEMORY) {
            cut.remove(cut.iterator().next());
        }
    }

    private void queue(List<AudioFrame> frames, String item) {
        for (AudioFrame frame : frames) {
            out.add(new Piece(frame, item));
        }
        if (!frames.isEmpty()) {
            notifyAll();
        }
    }

    private void publishUser() {
        if (!userText.isEmpty()) {
            publish(Chatbot.Message.user(userText.toString().strip()));
            userText.setLength(0);
        }
    }

    private void publishAssistant(boolean interrupted) {
        if (!assistantText.isEmpty()) {
            publish(Chatbot.Message.assistant(assistantText.toString().strip() + (interrupted ? " …" : "")));
            assistantText.setLength(0);
        }
    }

    private void publish(Chatbot.Message message) {
        conversation.add(message);
        out.add(AdditionalOutputs.of(List.copyOf(conversation)));
        notifyAll();
    }
}
