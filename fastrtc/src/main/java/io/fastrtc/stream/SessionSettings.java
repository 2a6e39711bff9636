package io.fastrtc.stream;

import io.fastrtc.audio.AudioGenerator;
import io.fastrtc.audio.StreamHandler;
import io.fastrtc.ice.IceConfig;
import io.fastrtc.video.VideoGenerator;
import io.fastrtc.video.VideoHandler;
import java.time.Duration;

/**
 * What a stream's sessions are made of (its one handler or generator) and how they behave (ICE,
 * codec, frame rate, when a hang is reported, how old a frame may get, how long connecting may take).
 */
record SessionSettings(VideoHandler videoHandler, VideoGenerator videoGenerator, StreamHandler audioHandler,
        AudioGenerator audioGenerator, IceConfig iceConfig, VideoCodec videoCodec, int fps, Duration hangWarning,
        Duration maxFrameAge, Duration connectTimeout) {
}
