package dev.bulwark.server.config;

import dev.bulwark.core.Check;

/**
 * The {@code logging} section.
 *
 * @param format how log lines look. Default {@code text}.
 * @param level the least severe level logged. Default {@code info}.
 */
public record LoggingConfig(Format format, Level level) {
  /** The defaults: text at info. */
  public static final LoggingConfig DEFAULT = new LoggingConfig(Format.TEXT, Level.INFO);

  /** Log line formats. */
  public enum Format {
    /** One human-readable line per event. */
    TEXT,
    /** One JSON object per line, for log shippers. */
    JSON
  }

  /** Log levels, most verbose first. */
  public enum Level {
    /** Everything, including per-request detail. */
    TRACE,
    /** Diagnostic detail. */
    DEBUG,
    /** Normal operation: decisions and state changes. */
    INFO,
    /** Something is degraded. */
    WARN,
    /** Something failed. */
    ERROR
  }

  /** Validates that nothing is null. */
  public LoggingConfig {
    Check.notNull(format, "format");
    Check.notNull(level, "level");
  }
}
