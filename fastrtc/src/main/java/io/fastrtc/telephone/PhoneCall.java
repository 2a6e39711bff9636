package io.fastrtc.telephone;

import java.util.Map;

/**
 * The call a phone session serves, from Twilio's {@code start} event; a handler reaches it through
 * {@code Context.current().flatMap(Context::phoneCall)}.
 *
 * @param streamSid Twilio's id of the media stream; also the session's id ({@code webrtcId}) for
 *     {@code stream.setInput}, {@code stream.handler}, {@code stream.closeConnection}
 * @param callSid the call ({@code CA...}), e.g. to end or redirect it with Twilio's REST API
 * @param accountSid the Twilio account
 * @param customParameters the {@code <Parameter>}s of the TwiML {@code <Stream>}; the answer from
 *     {@code POST /telephone/incoming} passes the caller's {@code From} and the dialled {@code To}
 */
public record PhoneCall(String streamSid, String callSid, String accountSid, Map<String, String> customParameters) {

    public PhoneCall {
        customParameters = Map.copyOf(customParameters);
    }
}
