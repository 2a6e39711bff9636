package io.fastrtc.telephone;

/** Receives the keys a caller presses ({@code dtmf} events), in order, on the call's own thread. */
@FunctionalInterface
public interface DtmfListener {

    /** {@code digit} is one of {@code 0-9}, {@code *}, {@code #}. Exceptions are logged. */
    void onDigit(PhoneCall call, String digit) throws Exception;
}
