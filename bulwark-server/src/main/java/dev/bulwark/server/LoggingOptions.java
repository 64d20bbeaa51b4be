package dev.bulwark.server;

import dev.bulwark.server.metrics.LogSetup;
import org.jspecify.annotations.Nullable;
import picocli.CommandLine.Option;

/** The log options {@code bulwark up} and {@code bulwark node} share (a picocli mixin). */
final class LoggingOptions {
  @Option(names = "--log-format", paramLabel = "FORMAT",
      description = "text (default) or json (one object per line); also BULWARK_LOG_FORMAT.")
  @Nullable String format;

  @Option(names = "--log-level", paramLabel = "LEVEL",
      description = "TRACE, DEBUG, INFO (default), WARN or ERROR for Bulwark's own loggers; also BULWARK_LOG_LEVEL.")
  @Nullable String level;

  /**
   * Applies the options, falling back to the given defaults (a configuration file's) where an
   * option was not given.
   *
   * @throws IllegalArgumentException naming the valid values if one is wrong
   */
  void apply(@Nullable String defaultFormat, @Nullable String defaultLevel) {
    LogSetup.apply(format != null ? format : defaultFormat, level != null ? level : defaultLevel);
  }
}
