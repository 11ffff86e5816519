package dev.gazette.testing;

import java.io.File;
import java.io.IOException;
import java.net.URL;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.List;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.TestWatcher;
import org.openqa.selenium.By;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.TakesScreenshot;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;
import org.openqa.selenium.logging.LogEntry;
import org.openqa.selenium.logging.LogType;
import org.openqa.selenium.logging.LoggingPreferences;
import org.openqa.selenium.support.ui.ExpectedConditions;
import org.openqa.selenium.support.ui.WebDriverWait;

import io.quarkus.test.common.http.TestHTTPResource;

/**
 * Tests that drive the editor UI in a real browser: Debian's Chromium through {@code /usr/bin/chromedriver},
 * headless, with a fresh profile and no background network. Without them the tests are skipped with a message
 * saying how to enable them. A failing test leaves a screenshot in {@code target/screenshots/}. A page that breaks
 * the Content-Security-Policy (an inline script or style the browser refused) fails the test that showed it.
 */
@ExtendWith(BrowserTest.Screenshots.class)
public abstract class BrowserTest extends GazetteTest {

    private static final List<String> DRIVERS = List.of("/usr/bin/chromedriver", "/usr/lib/chromium/chromedriver");
    private static final List<String> BROWSERS = List.of("/usr/bin/chromium", "/usr/bin/chromium-browser", "/usr/lib/chromium/chromium");

    private static WebDriver driver;
    private static Path profile;

    @TestHTTPResource("/")
    protected URL base;

    protected WebDriver browser;

    @BeforeEach
    void openBrowser() throws IOException {
        String chromedriver = firstExisting(DRIVERS);
        String chromium = firstExisting(BROWSERS);
        Assumptions.assumeTrue(chromedriver != null && chromium != null,
                "Browser tests skipped: install Chromium and ChromeDriver (Debian: apt-get install chromium chromium-driver)");
        if (driver == null) {
            profile = Files.createTempDirectory("gazette-chromium");
            ChromeOptions options = new ChromeOptions();
            options.setBinary(chromium);
            options.addArguments("--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage",
                    "--disable-background-networking", "--disable-component-update", "--disable-sync", "--no-first-run",
                    "--window-size=1280,1000", "--user-data-dir=" + profile);
            LoggingPreferences logs = new LoggingPreferences();
            logs.enable(LogType.BROWSER, java.util.logging.Level.ALL);
            options.setCapability("goog:loggingPrefs", logs);
            ChromeDriverService service = new ChromeDriverService.Builder().usingDriverExecutable(new File(chromedriver))
                    .usingAnyFreePort().build();
            driver = new ChromeDriver(service, options);
            driver.manage().timeouts().pageLoadTimeout(Duration.ofSeconds(30));
        }
        driver.manage().deleteAllCookies();
        browser = driver;
    }

    @AfterEach
    void noPolicyViolations() {
        if (browser == null) {
            return;
        }
        List<String> violations = browser.manage().logs().get(LogType.BROWSER).getAll().stream().map(LogEntry::getMessage)
                .filter(m -> m.contains("Content Security Policy")).toList();
        org.junit.jupiter.api.Assertions.assertEquals(List.of(), violations, "the pages broke their Content-Security-Policy");
    }

    @AfterAll
    static void closeBrowser() throws IOException {
        if (driver != null) {
            driver.quit();
            driver = null;
        }
        if (profile != null) {
            try (var files = Files.walk(profile)) {
                files.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
            }
        }
    }

    private static String firstExisting(List<String> paths) {
        return paths.stream().filter(p -> Files.isExecutable(Path.of(p))).findFirst().orElse(null);
    }

    protected String url(String path) {
        return base.toString().replaceAll("/$", "") + path;
    }

    protected void open(String path) {
        browser.get(url(path));
    }

    protected WebElement waitFor(By by) {
        return await(Duration.ofSeconds(10), ExpectedConditions.visibilityOfElementLocated(by));
    }

    protected void waitForText(By by, String text) {
        await(Duration.ofSeconds(10), ExpectedConditions.textToBePresentInElementLocated(by, text));
    }

    /**
     * Waits for a condition. While a page is replaced, Chrome may answer a question about an element it just found
     * with "Node with given id does not belong to the document" (a plain WebDriverException, which waits do not
     * ignore): that means "not yet", and the wait goes on.
     */
    protected <T> T await(Duration timeout, java.util.function.Function<WebDriver, T> condition) {
        return new WebDriverWait(browser, timeout).until(driver -> {
            try {
                return condition.apply(driver);
            } catch (org.openqa.selenium.WebDriverException e) {
                if (detached(e)) {
                    return null;
                }
                throw e;
            }
        });
    }

    private static boolean detached(org.openqa.selenium.WebDriverException e) {
        return e.getMessage() != null && e.getMessage().contains("does not belong to the document");
    }

    /** Signs in through the login form. */
    protected void signIn(String user, String password) {
        open("/admin/login");
        browser.findElement(By.id("j_username")).sendKeys(user);
        browser.findElement(By.id("j_password")).sendKeys(password);
        WebElement button = browser.findElement(By.cssSelector("form button[type=submit]"));
        button.click();
        waitUntilGone(button);
        waitFor(By.tagName("h1"));
    }

    /** Clicks a button that submits a form and waits for the page that answers it. */
    protected void submitAndWait(By button) {
        WebElement element = browser.findElement(button);
        element.click();
        waitUntilGone(element);
        waitFor(By.tagName("h1"));
    }

    /**
     * Waits until an element of the page left behind is gone (the browser moved on). Chrome answers a question about
     * such an element either as stale or, while the old document is being torn down, with "Node with given id does
     * not belong to the document": both mean gone.
     */
    protected void waitUntilGone(WebElement element) {
        new WebDriverWait(browser, Duration.ofSeconds(10)).until(driver -> {
            try {
                element.isEnabled();
                return false;
            } catch (org.openqa.selenium.StaleElementReferenceException | org.openqa.selenium.NoSuchElementException e) {
                return true;
            } catch (org.openqa.selenium.WebDriverException e) {
                if (detached(e)) {
                    return true;
                }
                throw e;
            }
        });
    }

    /** Saves a screenshot of the page a failed test left behind. */
    static class Screenshots implements TestWatcher {
        @Override
        public void testFailed(ExtensionContext context, Throwable cause) {
            if (driver instanceof TakesScreenshot camera) {
                try {
                    Path dir = Path.of("target", "screenshots");
                    Files.createDirectories(dir);
                    File shot = camera.getScreenshotAs(OutputType.FILE);
                    Files.copy(shot.toPath(), dir.resolve(context.getRequiredTestClass().getSimpleName() + "-"
                            + context.getRequiredTestMethod().getName() + ".png"), StandardCopyOption.REPLACE_EXISTING);
                } catch (IOException | RuntimeException e) {
                    System.err.println("No screenshot: " + e);
                }
            }
        }
    }
}
