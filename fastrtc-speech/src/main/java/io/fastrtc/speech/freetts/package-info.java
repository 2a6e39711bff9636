/**
 * Offline text-to-speech with FreeTTS.
 *
 * <p>May depend on: {@code io.fastrtc.speech}, {@code io.fastrtc.audio} and FreeTTS.
 */
package io.fastrtc.speech.freetts;
