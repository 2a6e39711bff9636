package io.fastrtc.testing;

import java.io.File;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.logging.Level;
import java.util.logging.Logger;
import java.util.stream.Stream;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.TakesScreenshot;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;

/**
 * A headless Chromium driven through Selenium, for end-to-end tests against a real browser.
 *
 * <pre>{@code
 * try (Browser browser = Browser.launch()) {
 *     browser.open("http://127.0.0.1:" + port + "/page.html");
 *     Object rows = browser.runAsync(Duration.ofSeconds(5), "return await window.client.sample();");
 *     browser.screenshot(Path.of("target/page.png"));
 * }
 * }</pre>
 *
 * <p>It uses the system's Chromium and chromedriver (Debian packages {@code chromium} and
 * {@code chromium-driver}), so Selenium Manager never downloads anything. Chromium starts as a child
 * of the test JVM and so shares its network namespace. Camera and microphone are Chromium's fake
 * devices, granted without a prompt, and media may autoplay.
 */
public final class Browser implements AutoCloseable {

    public static final Path CHROMIUM = Path.of(System.getProperty("fastrtc.chromium", "/usr/bin/chromium"));
    public static final Path CHROMEDRIVER =
            Path.of(System.getProperty("fastrtc.chromedriver", "/usr/bin/chromedriver"));

    private static final List<String> FLAGS = List.of(
            "--headless=new",
            "--no-sandbox",
            "--disable-gpu",
            "--disable-dev-shm-usage",
            "--disable-background-networking",
            "--disable-component-update",
            "--disable-sync",
            "--no-first-run",
            "--use-fake-ui-for-media-stream",
            "--use-fake-device-for-media-stream",
            "--autoplay-policy=no-user-gesture-required",
            // Host candidates must carry plain addresses, never mDNS ".local" names: nothing in the
            // test network namespace would resolve those.
            "--disable-features=WebRtcHideLocalIpsWithMdns");

    /**
     * Wraps an async function body so that WebDriver's async-script callback receives either
     * {@code {ok: true, value}} or {@code {ok: false, error}}.
     */
    private static final String ASYNC_WRAPPER = """
            const done = arguments[arguments.length - 1];
            const args = Array.prototype.slice.call(arguments, 0, arguments.length - 1);
            (async function () { %s }).apply(null, args).then(
                value => done({ok: true, value: value === undefined ? null : value}),
                error => done({ok: false, error: String(error && error.stack ? error.stack : error)}));
            """;

    /** Selenium warns when it has no CDP binding for this Chromium version; browser tests need none. */
    private static final Logger CDP_FINDER = Logger.getLogger("org.openqa.selenium.devtools.CdpVersionFinder");

    static {
        CDP_FINDER.setLevel(Level.SEVERE);
    }

    private final ChromeDriver driver;
    private final Path profile;

    private Browser(ChromeDriver driver, Path profile) {
        this.driver = driver;
        this.profile = profile;
    }

    /** Starts Chromium with the default flags plus {@code extraFlags}, e.g. {@code "--window-size=1280,800"}. */
    public static Browser launch(String... extraFlags) {
        for (Path exe : List.of(CHROMIUM, CHROMEDRIVER)) {
            if (!Files.isExecutable(exe)) {
                throw new IllegalStateException(exe + " is missing; install Chromium with"
                        + " 'apt-get install -y chromium chromium-driver' (or set -Dfastrtc.chromium"
                        + " and -Dfastrtc.chromedriver)");
            }
        }
        Path profile;
        try {
            profile = Files.createTempDirectory("fastrtc-chromium-");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        ChromeOptions options = new ChromeOptions();
        options.setBinary(CHROMIUM.toFile());
        options.addArguments(FLAGS);
        options.addArguments("--window-size=1024,768", "--user-data-dir=" + profile);
        options.addArguments(extraFlags);
        ChromeDriverService service = new ChromeDriverService.Builder()
                .usingDriverExecutable(new File(CHROMEDRIVER.toString()))
                .usingAnyFreePort()
                .withLogOutput(OutputStream.nullOutputStream())
                .build();
        try {
            return new Browser(new ChromeDriver(service, options), profile);
        } catch (RuntimeException e) {
            deleteTree(profile);
            throw e;
        }
    }

    /** Loads {@code url} and waits for its load event. */
    public Browser open(String url) {
        driver.get(url);
        return this;
    }

    /**
     * Runs the body of an async JavaScript function and returns what it returns, as Selenium
     * converts it (numbers become {@code Long} or {@code Double}, arrays {@code List}, objects
     * {@code Map}). The arguments are available as {@code arguments[0]}, {@code arguments[1]}, ...
     *
     * @throws IllegalStateException with the JavaScript error if the function throws
     * @throws org.openqa.selenium.ScriptTimeoutException if it has not finished within {@code timeout}
     */
    public Object runAsync(Duration timeout, String asyncBody, Object... args) {
        driver.manage().timeouts().scriptTimeout(timeout);
        Object result = ((JavascriptExecutor) driver).executeAsyncScript(ASYNC_WRAPPER.formatted(asyncBody), args);
        if (!(result instanceof Map<?, ?> outcome)) {
            throw new IllegalStateException("unexpected script result " + result);
        }
        if (!Boolean.TRUE.equals(outcome.get("ok"))) {
            throw new IllegalStateException("script failed in the browser: " + outcome.get("error"));
        }
        return outcome.get("value");
    }

    /** Writes a PNG of the visible page to {@code path}, creating its directory, and returns the path. */
    public Path screenshot(Path path) {
        byte[] png = ((TakesScreenshot) driver).getScreenshotAs(OutputType.BYTES);
        try {
            Path dir = path.toAbsolutePath().getParent();
            if (dir != null) {
                Files.createDirectories(dir);
            }
            return Files.write(path, png);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The underlying Selenium driver, for anything this class does not cover. */
    public ChromeDriver driver() {
        return driver;
    }

    @Override
    public void close() {
        try {
            driver.quit();
        } finally {
            deleteTree(profile);
        }
    }

    private static void deleteTree(Path root) {
        try (Stream<Path> paths = Files.walk(root)) {
            paths.sorted(Comparator.reverseOrder()).map(Path::toFile).forEach(File::delete);
        } catch (IOException e) {
            // A temp profile left behind is harmless; Chromium may still be writing to it at exit.
        }
    }
}
