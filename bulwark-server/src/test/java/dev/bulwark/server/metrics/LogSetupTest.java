package dev.bulwark.server.metrics;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.encoder.JsonEncoder;
import ch.qos.logback.core.ConsoleAppender;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;

/** Choosing the log format and level from the command line, also after the first logger exists. */
class LogSetupTest {
  @AfterEach
  void backToTheDefaults() {
    LogSetup.apply("text", "INFO");
    System.clearProperty(LogSetup.FORMAT_PROPERTY);
    System.clearProperty(LogSetup.LEVEL_PROPERTY);
  }

  private static Logger root() {
    return ((LoggerContext) LoggerFactory.getILoggerFactory()).getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME);
  }

  @Test
  void jsonAndWarnTakeEffectEvenAfterLoggingStartedAndLibrariesStayAtWarn() {
    LoggerFactory.getLogger(LogSetupTest.class).info("logging has started");
    LogSetup.apply("JSON", "warn");
    assertThat(System.getProperty(LogSetup.FORMAT_PROPERTY)).isEqualTo("json");
    assertThat(root().getLevel()).isEqualTo(Level.WARN);
    ConsoleAppender<?> console = (ConsoleAppender<?>) root().getAppender("CONSOLE");
    assertThat(console.getEncoder()).isInstanceOf(JsonEncoder.class);
    assertThat(console.getTarget()).isEqualTo("System.err");

    LogSetup.apply(null, "DEBUG");
    LoggerContext ctx = (LoggerContext) LoggerFactory.getILoggerFactory();
    assertThat(ctx.getLogger("dev.bulwark.agents.Planner").getEffectiveLevel()).isEqualTo(Level.DEBUG);
    assertThat(ctx.getLogger("org.apache.ratis.server.RaftServer").getEffectiveLevel()).isEqualTo(Level.WARN);
    assertThat(ctx.getLogger("org.eclipse.jetty.server.Server").getEffectiveLevel()).isEqualTo(Level.WARN);
  }

  @Test
  void javaUtilLoggingIsRoutedIntoSlf4j() {
    LogSetup.apply(null, null);
    assertThat(org.slf4j.bridge.SLF4JBridgeHandler.isInstalled()).isTrue();
  }

  @Test
  void unknownFormatsAndLevelsAreRefusedWithTheChoices() {
    assertThatThrownBy(() -> LogSetup.apply("yaml", null))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("text or json").hasMessageContaining("yaml");
    assertThatThrownBy(() -> LogSetup.apply(null, "loud"))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("DEBUG").hasMessageContaining("loud");
  }
}
