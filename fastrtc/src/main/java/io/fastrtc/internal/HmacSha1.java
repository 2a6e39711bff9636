package io.fastrtc.internal;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.util.Base64;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/** {@code base64(HMAC-SHA1(secret, text))}, the signature TURN REST credentials and Twilio webhooks use. */
public final class HmacSha1 {

    private final SecretKeySpec key;

    public HmacSha1(String secret) {
        this.key = new SecretKeySpec(secret.getBytes(StandardCharsets.UTF_8), "HmacSHA1");
    }

    public String base64(String text) {
        try {
            Mac mac = Mac.getInstance("HmacSHA1");
            mac.init(key);
            return Base64.getEncoder().encodeToString(mac.doFinal(text.getBytes(StandardCharsets.UTF_8)));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("HMAC-SHA1 is unavailable in this JVM", e);
        }
    }
}
