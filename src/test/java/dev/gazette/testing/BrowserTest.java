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
import org.openqa.selenium.support.ui.ExpectedConditions;
import org.openqa.selenium.support.ui.WebDriverWait;

import io.quarkus.test.common.http.TestHTTPResource;

/**
 * Tests that drive the editor UI in a real browser: Debian's Chromium through {@code /usr/bin/chromedriver},
 * headless, with a fresh profile and no background network. Without them the tests are skipped with a message
 * saying how to enable them. A failing test leaves a screenshot in {@code target/screenshots/}.
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
            ChromeDriverService service = new ChromeDriverService.Builder().usingDriverExecutable(new File(chromedriver))
                    .usingAnyFreePort().build();
            driver = new ChromeDriver(service, options);
            driver.manage().timeouts().pageLoadTimeout(Duration.ofSeconds(30));
        }
        driver.manage().deleteAllCookies();
        browser = driver;
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
        return new WebDriverWait(browser, Duration.ofSeconds(10)).until(ExpectedConditions.visibilityOfElementLocated(by));
    }

    protected void waitForText(By by, String text) {
        new WebDriverWait(browser, Duration.ofSeconds(10)).until(ExpectedConditions.textToBePresentInElementLocated(by, text));
    }

    /** Signs in through the login form. */
    protected void signIn(String user, String password) {
        open("/admin/login");
        browser.findElement(By.id("j_username")).sendKeys(user);
        browser.findElement(By.id("j_password")).sendKeys(password);
        WebElement button = browser.findElement(By.cssSelector("form button[type=submit]"));
        button.click();
        new WebDriverWait(browser, Duration.ofSeconds(10)).until(ExpectedConditions.stalenessOf(button));
        waitFor(By.tagName("h1"));
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
