/**
 * Offline speech-to-text with the pocketsphinx command.
 *
 * <p>May depend on: {@code io.fastrtc.speech} and {@code io.fastrtc.audio}.
 */
package io.fastrtc.speech.pocketsphinx;
