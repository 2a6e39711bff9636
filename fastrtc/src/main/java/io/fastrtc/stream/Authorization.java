package io.fastrtc.stream;

import io.fastrtc.internal.Incidents;
import io.fastrtc.security.AccessDenied;
import io.fastrtc.security.Authorizer;
import io.fastrtc.security.Cors;
import io.fastrtc.security.Request;
import io.fastrtc.security.TrustedProxies;
import java.util.Map;
import java.util.Objects;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Who a request speaks for ({@link Stream#authorize}): a WebSocket upgrade's origin, then the
 * stream's {@link Authorizer}, then the client's address and scheme as the trusted proxies tell them.
 */
final class Authorization {

    private static final Logger LOG = LoggerFactory.getLogger(Authorization.class);

    private final Stream stream;
    private final Authorizer authorizer;
    private final Cors cors;
    private final TrustedProxies trustedProxies;

    Authorization(Stream stream, Authorizer authorizer, Cors cors, TrustedProxies trustedProxies) {
        this.stream = stream;
        this.authorizer = authorizer;
        this.cors = cors;
        this.trustedProxies = trustedProxies;
    }

    Caller authorize(Request request) {
        Objects.requireNonNull(request, "request");
        if ("websocket".equalsIgnoreCase(request.header("upgrade")) && !cors.permits(request, trustedProxies)) {
            throw new AccessDenied(403, "origin_not_allowed", "WebSocket connections from this origin are not"
                    + " allowed", Map.of());
        }
        String principal = null;
        if (authorizer != null) {
            try {
                principal = authorizer.authorize(request);
            } catch (AccessDenied e) {
                throw e;
            } catch (RuntimeException e) {
                throw new AccessDenied(500, "server_error", Incidents.logged(LOG, "the authorizer failed on "
                        + request.method() + " " + request.path() + "; refusing the request",
                        "the request could not be authorized", e), Map.of());
            }
            if (principal == null || principal.isEmpty()) {
                throw AccessDenied.unauthorized("not authorized");
            }
        }
        String origin = request.header("origin");
        boolean https = trustedProxies.isHttps(request) || (origin != null && origin.startsWith("https://"));
        return Caller.of(stream, request, principal, trustedProxies.clientAddress(request), https);
    }
}
