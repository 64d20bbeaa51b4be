package dev.bulwark.server.console;

import static org.assertj.core.api.Assertions.assertThat;

import dev.bulwark.server.api.ApiFixture;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import org.openqa.selenium.By;
import org.openqa.selenium.Dimension;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.Keys;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.support.ui.Select;

/**
 * The console's pages over a ledger with known history ({@link ApiFixture}: three dynamodb plans,
 * a pending over-budget step, one endpoint in sync and one drifted, an unreachable az-c): plans
 * and their diff, the audit filter and verify button, the overview's approvals and drift, the
 * keyboard path through a confirmation, and a 1024x768 window.
 */
class ConsolePagesTest {
  @RegisterExtension static final ConsoleBrowser BROWSER = new ConsoleBrowser();

  @TempDir static Path dir;
  private static ApiFixture api;
  private static String base;

  @BeforeAll
  static void startApi() throws Exception {
    api = new ApiFixture(dir);
    base = api.url("");
  }

  @AfterAll
  static void stopApi() throws Exception {
    if (api != null) {
      api.close();
    }
  }

  @Test
  void anUnknownTokenIsRefusedAtSignIn() {
    WebDriver d = BROWSER.driver();
    d.get(base + "/#/login");
    ((JavascriptExecutor) d).executeScript("sessionStorage.clear();");
    d.navigate().refresh();
    BROWSER.until(x -> x.findElement(By.id("token"))).sendKeys("not-a-token-of-this-server");
    d.findElement(By.id("login-submit")).click();
    String error = BROWSER.until(x -> {
      WebElement e = x.findElement(By.id("login-error"));
      return e.isDisplayed() ? e.getText() : null;
    });
    assertThat(error).contains("not accepted");
    assertThat(d.findElement(By.id("nav")).isDisplayed()).isFalse();
  }

  @Test
  void theOverviewShowsPeersThePendingStepAndDrift() throws Exception {
    BROWSER.signIn(base, ApiFixture.VIEWER, "viewer");
    BROWSER.show(base, "overview");
    BROWSER.until(x -> x.findElement(By.id("approvals")).getText().contains("planner@az-a"));
    assertThat(BROWSER.texts("#peers tbody tr")).hasSize(3).anySatisfy(r -> assertThat(r).contains("az-c",
        "unreachable"));
    String services = BROWSER.driver().findElement(By.id("services")).getText();
    assertThat(services).contains(ApiFixture.API.value() + " IN_SYNC", ApiFixture.STREAMS.value() + " DIVERGED",
        "drift", "v2 / g2");
    assertThat(BROWSER.driver().findElement(By.id("approvals")).getText()).contains(String.valueOf(api.pendingId),
        "g3");
    BROWSER.snapshot("overview");
  }

  @Test
  void thePlansPageListsGenerationsWithProposerAndVotesAndDiffsAnyTwo() throws Exception {
    BROWSER.signIn(base, ApiFixture.VIEWER, "viewer");
    BROWSER.show(base, "plans/dynamodb");
    BROWSER.until(x -> x.findElements(By.cssSelector("#plans tbody tr")).size() == 3);
    assertThat(BROWSER.texts("#plans tbody tr th")).containsExactly("g3", "g2", "g1");
    String g2 = BROWSER.texts("#plans tbody tr").get(1);
    assertThat(g2).contains("active", "planner@az-a", "approve az-a (validator@az-a)", "approve az-b");
    new Select(BROWSER.driver().findElement(By.id("diff-from"))).selectByVisibleText("g1");
    new Select(BROWSER.driver().findElement(By.id("diff-to"))).selectByVisibleText("g3");
    BROWSER.driver().findElement(By.id("diff-submit")).click();
    String diff = BROWSER.until(x -> x.findElement(By.id("diff"))).getText();
    assertThat(diff).contains("From g1 to g3", ApiFixture.API.value(), "10.0.0.2", "10.0.0.3", "10.0.0.4")
        .doesNotContain(ApiFixture.STREAMS.value());
    BROWSER.snapshot("plans");
  }

  @Test
  void theAuditPageFiltersByCodeAndVerifiesTheChain() throws Exception {
    BROWSER.signIn(base, ApiFixture.VIEWER, "viewer");
    BROWSER.show(base, "audit");
    BROWSER.until(x -> x.findElements(By.cssSelector("#audit tbody tr")).size() > 10);
    WebElement code = BROWSER.driver().findElement(By.id("f-code"));
    code.sendKeys("pointer_advanced");
    code.sendKeys(Keys.ENTER);
    BROWSER.until(x -> x.findElement(By.cssSelector("#audit caption")).getText().contains("Matching"));
    List<String> rows = BROWSER.texts("#audit tbody tr");
    assertThat(rows).hasSize(2).allSatisfy(r -> assertThat(r).contains("POINTER_ADVANCED"));
    BROWSER.driver().findElement(By.id("audit-verify")).click();
    String verdict = BROWSER.until(x -> {
      String t = x.findElement(By.id("verify-result")).getText();
      return t.contains("events checked") ? t : null;
    });
    assertThat(verdict).startsWith("intact");
    BROWSER.snapshot("audit");
  }

  @Test
  void theKeyboardOpensAConfirmationAndEscapeCancelsItWithoutActing() throws Exception {
    BROWSER.signIn(base, ApiFixture.ADMIN, "admin");
    BROWSER.show(base, "actions");
    WebElement approve = BROWSER.until(x -> x.findElement(By.cssSelector("[data-key='approve:" + api.pendingId
        + "']")));
    approve.sendKeys(Keys.ENTER);
    WebElement dialog = BROWSER.until(x -> {
      WebElement e = x.findElement(By.id("confirm-dialog"));
      return e.isDisplayed() ? e : null;
    });
    assertThat(dialog.getText()).contains("Approve step " + api.pendingId + " of dynamodb?");
    assertThat(BROWSER.driver().switchTo().activeElement().getAttribute("id")).isEqualTo("confirm-reason");
    BROWSER.snapshot("actions-confirm");
    BROWSER.driver().switchTo().activeElement().sendKeys(Keys.ESCAPE);
    BROWSER.until(x -> !x.findElement(By.id("confirm-dialog")).isDisplayed());
    assertThat(BROWSER.driver().switchTo().activeElement().getAttribute("data-key"))
        .as("focus returns to the button").isEqualTo("approve:" + api.pendingId);
    assertThat(api.get("/api/v1/approvals", ApiFixture.VIEWER).json().path("approvals")).hasSize(1);
  }

  @Test
  void everyPageFitsA1024By768WindowWithoutSidewaysScrolling() throws Exception {
    WebDriver d = BROWSER.driver();
    Dimension before = d.manage().window().getSize();
    try {
      d.manage().window().setSize(new Dimension(1024, 768));
      BROWSER.signIn(base, ApiFixture.ADMIN, "admin");
      for (String page : List.of("overview", "endpoint/dynamodb", "plans/dynamodb", "audit", "actions")) {
        BROWSER.show(base, page);
        BROWSER.until(x -> x.findElement(By.id("updated")).getText().startsWith("Updated"));
        BROWSER.until(x -> x.findElements(By.cssSelector("main table")).size() > 0);
        Object wide = ((JavascriptExecutor) d).executeScript(
            "return document.documentElement.scrollWidth - document.documentElement.clientWidth;");
        assertThat(((Number) wide).intValue()).as("sideways overflow of %s", page).isLessThanOrEqualTo(0);
        BROWSER.snapshot("1024-" + page.replace('/', '-'));
      }
    } finally {
      d.manage().window().setSize(before);
    }
  }
}
