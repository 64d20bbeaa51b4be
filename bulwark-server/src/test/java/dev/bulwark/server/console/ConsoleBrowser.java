package dev.bulwark.server.console;

import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.List;
import java.util.function.Function;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.TestWatcher;
import org.openqa.selenium.By;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.TakesScreenshot;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;
import org.openqa.selenium.support.ui.WebDriverWait;

/**
 * One headless Debian chromium shared by the tests of a class (register it as a static
 * extension). The browser and driver paths are given explicitly, so Selenium Manager never runs
 * and nothing is downloaded. Where chromium is missing the tests are skipped, except in CI
 * ({@code CI=true}), where they fail. A failed test leaves a screenshot in {@code
 * target/console-screenshots/}.
 */
public final class ConsoleBrowser implements BeforeAllCallback, AfterAllCallback, TestWatcher {
  /** Debian's chromium. */
  public static final Path CHROMIUM = Path.of("/usr/bin/chromium");

  /** Debian's chromedriver (package chromium-driver). */
  public static final Path CHROMEDRIVER = Path.of("/usr/bin/chromedriver");

  /** Where screenshots of failed tests go (relative to the module, i.e. under target/). */
  public static final Path SCREENSHOTS = Path.of("target", "console-screenshots");

  /** Longest wait for the console to show something; polling refreshes it every 2 s. */
  public static final Duration WAIT = Duration.ofSeconds(60);

  private @Nullable WebDriver driver;

  @Override
  public void beforeAll(ExtensionContext context) {
    boolean present = Files.isExecutable(CHROMIUM) && Files.isExecutable(CHROMEDRIVER);
    if (!present && "true".equals(System.getenv("CI"))) {
      throw new AssertionError("chromium and chromedriver must be installed in CI (.ci/run: apt-get install -y"
          + " chromium chromium-driver); missing " + CHROMIUM + " or " + CHROMEDRIVER);
    }
    assumeTrue(present, "chromium and chromium-driver are not installed; skipping the browser tests");
    ChromeOptions o = new ChromeOptions();
    o.setBinary(CHROMIUM.toFile());
    o.addArguments("--headless=new", "--no-sandbox", "--disable-dev-shm-usage", "--disable-gpu",
        "--window-size=1280,900");
    ChromeDriverService service = new ChromeDriverService.Builder()
        .usingDriverExecutable(new File(CHROMEDRIVER.toString())).usingAnyFreePort().build();
    driver = new ChromeDriver(service, o);
  }

  @Override
  public void afterAll(ExtensionContext context) {
    if (driver != null) {
      driver.quit();
      driver = null;
    }
  }

  @Override
  public void testFailed(ExtensionContext context, @Nullable Throwable cause) {
    if (driver == null) {
      return;
    }
    try {
      Files.createDirectories(SCREENSHOTS);
      String name = context.getRequiredTestClass().getSimpleName() + "-" + context.getTestMethod()
          .map(m -> m.getName()).orElse(context.getDisplayName()).replaceAll("[^A-Za-z0-9._-]", "_");
      File shot = ((TakesScreenshot) driver).getScreenshotAs(OutputType.FILE);
      Files.copy(shot.toPath(), SCREENSHOTS.resolve(name + ".png"), StandardCopyOption.REPLACE_EXISTING);
      Files.writeString(SCREENSHOTS.resolve(name + ".html"), driver.getPageSource());
    } catch (IOException | RuntimeException e) {
      System.err.println("could not save a screenshot of the failed test: " + e);
    }
  }

  /**
   * Saves a screenshot of what the browser shows as {@code <name>.png} in {@link #SCREENSHOTS}, but
   * only when the system property {@code console.screenshots} is {@code true} (for docs and review).
   */
  public void snapshot(String name) throws IOException {
    if (Boolean.getBoolean("console.screenshots")) {
      Files.createDirectories(SCREENSHOTS);
      File shot = ((TakesScreenshot) driver()).getScreenshotAs(OutputType.FILE);
      Files.copy(shot.toPath(), SCREENSHOTS.resolve(name + ".png"), StandardCopyOption.REPLACE_EXISTING);
    }
  }

  /** The shared browser. */
  public WebDriver driver() {
    if (driver == null) {
      throw new IllegalStateException("the browser is not running (beforeAll did not start it)");
    }
    return driver;
  }

  /**
   * Opens the console at {@code baseUrl}, forgets any earlier sign-in and signs in with {@code
   * token}; waits until the header shows the role.
   */
  public void signIn(String baseUrl, String token, String expectedRole) {
    WebDriver d = driver();
    d.get(baseUrl + "/#/login");
    ((JavascriptExecutor) d).executeScript("sessionStorage.clear();");
    d.navigate().refresh();
    WebElement input = until(x -> x.findElement(By.id("token")));
    input.sendKeys(token);
    d.findElement(By.id("login-submit")).click();
    until(x -> x.findElement(By.id("whoami")).getText().contains("role: " + expectedRole));
  }

  /** Shows a page of the console, e.g. {@code actions} or {@code endpoint/dynamodb}. */
  public void show(String baseUrl, String hash) {
    driver().get(baseUrl + "/#/" + hash);
  }

  /** Waits until {@code condition} returns something other than null or false. */
  public <T> T until(Function<WebDriver, T> condition) {
    return new WebDriverWait(driver(), WAIT, Duration.ofMillis(200)).ignoring(
        org.openqa.selenium.NoSuchElementException.class).ignoring(
        org.openqa.selenium.StaleElementReferenceException.class).until(condition::apply);
  }

  /** The texts of the elements matching {@code css}. */
  public List<String> texts(String css) {
    return driver().findElements(By.cssSelector(css)).stream().map(WebElement::getText).toList();
  }
}
