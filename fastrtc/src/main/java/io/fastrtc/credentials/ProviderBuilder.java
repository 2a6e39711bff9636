package io.fastrtc.credentials;

import io.fastrtc.internal.Checks;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.function.Function;

/** What every provider's builder has: where its API is, how long to wait, and where the environment comes from. */
abstract class ProviderBuilder<B extends ProviderBuilder<B>> {

    String baseUrl;
    Duration timeout = Calls.DEFAULT_TIMEOUT;
    private Function<String, String> env = System::getenv;

    ProviderBuilder(String defaultBaseUrl) {
        this.baseUrl = defaultBaseUrl;
    }

    abstract B self();

    /** The provider's API, e.g. a proxy (default: the provider's {@code DEFAULT_BASE_URL}). */
    public B baseUrl(String url) {
        this.baseUrl = Calls.baseUrl(url);
        return self();
    }

    /** How long to wait for an answer, connecting included (default 10 s). */
    public B timeout(Duration timeout) {
        this.timeout = Checks.positive("timeout", timeout, Calls.DEFAULT_TIMEOUT);
        return self();
    }

    B env(Function<String, String> env) {
        this.env = Objects.requireNonNull(env, "env");
        return self();
    }

    /** An environment value, stripped; null if unset or blank. */
    String env(String name) {
        String value = env.apply(name);
        return value == null || value.isBlank() ? null : value.strip();
    }

    /**
     * Checks a pair of credentials; the message says what {@code needs} the pair, names the missing
     * environment variables and the {@code setters} to call instead.
     */
    static void requireBoth(String needs, String first, String firstEnv, String second, String secondEnv,
                            String setters) {
        List<String> missing = new ArrayList<>();
        if (first == null || first.isBlank()) {
            missing.add(firstEnv);
        }
        if (second == null || second.isBlank()) {
            missing.add(secondEnv);
        }
        if (!missing.isEmpty()) {
            throw new IllegalStateException(needs + " " + firstEnv + " and " + secondEnv + " (missing: "
                    + String.join(", ", missing) + "): set these environment variables, or pass " + setters);
        }
    }
}
