package dev.bulwark.server.metrics;

import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.util.ContextInitializer;
import ch.qos.logback.core.joran.spi.JoranException;
import java.util.Locale;
import java.util.Set;
import org.jspecify.annotations.Nullable;
import org.slf4j.ILoggerFactory;
import org.slf4j.LoggerFactory;
import org.slf4j.bridge.SLF4JBridgeHandler;

/**
 * Chooses the log format and level from command-line options: sets {@value #FORMAT_PROPERTY} and
 * {@value #LEVEL_PROPERTY}, which {@code logback.xml} reads, and routes {@code java.util.logging}
 * (Ratis' shaded gRPC uses it) into SLF4J so that JSON output stays one object per line. Call it
 * first thing in {@code main}; if a logger already exists, Logback is configured again so the
 * choice still takes effect.
 */
public final class LogSetup {
  /** System property of the format: {@code text} (default) or {@code json}. */
  public static final String FORMAT_PROPERTY = "bulwark.log.format";

  /** System property of the level of Bulwark's own loggers: {@link #LEVELS}, default INFO. */
  public static final String LEVEL_PROPERTY = "bulwark.log.level";

  /** The formats {@code logback.xml} has an appender for. */
  public static final Set<String> FORMATS = Set.of("text", "json");

  /** The levels accepted, as Logback spells them. */
  public static final Set<String> LEVELS = Set.of("TRACE", "DEBUG", "INFO", "WARN", "ERROR", "OFF");

  private LogSetup() {}

  /**
   * Sets the format and the level; a null argument leaves that setting to the system property, the
   * environment ({@code BULWARK_LOG_FORMAT}, {@code BULWARK_LOG_LEVEL}) or the default. Installs
   * the {@code java.util.logging} bridge once, even when both are null.
   *
   * @throws IllegalArgumentException if a value is not one of {@link #FORMATS} or {@link #LEVELS}
   */
  public static void apply(@Nullable String format, @Nullable String level) {
    String f = format == null ? null : format.trim().toLowerCase(Locale.ROOT);
    String l = level == null ? null : level.trim().toUpperCase(Locale.ROOT);
    if (f != null && !FORMATS.contains(f)) {
      throw new IllegalArgumentException("log format must be text or json, but was '" + format + "'");
    }
    if (l != null && !LEVELS.contains(l)) {
      throw new IllegalArgumentException(
          "log level must be one of TRACE, DEBUG, INFO, WARN, ERROR or OFF, but was '" + level + "'");
    }
    if (!SLF4JBridgeHandler.isInstalled()) {
      SLF4JBridgeHandler.removeHandlersForRootLogger();
      SLF4JBridgeHandler.install();
    }
    if (f == null && l == null) {
      return;
    }
    if (f != null) {
      System.setProperty(FORMAT_PROPERTY, f);
    }
    if (l != null) {
      System.setProperty(LEVEL_PROPERTY, l);
    }
    reconfigure();
  }

  /** Re-reads the configuration; the first logger request configures Logback if nothing has yet. */
  private static void reconfigure() {
    ILoggerFactory factory = LoggerFactory.getILoggerFactory();
    if (!(factory instanceof LoggerContext ctx)) {
      return; // Another SLF4J provider (e.g. slf4j-simple in a test): nothing of ours to reconfigure.
    }
    ctx.reset();
    try {
      new ContextInitializer(ctx).autoConfig();
    } catch (JoranException e) {
      throw new IllegalStateException("could not reconfigure logging: " + e.getMessage(), e);
    }
  }
}
