package dev.bulwark.server.config;

import java.util.Optional;
import org.jspecify.annotations.Nullable;

/**
 * A configuration file that cannot be used. The message has the form {@code
 * file:line:column: field.path: what was wrong and what is expected}; the location and the path
 * are left out where they do not apply (an unreadable file has neither).
 */
public final class ConfigException extends Exception {
  private static final long serialVersionUID = 1L;

  private final String source;
  private final int line;
  private final int column;
  private final String path;
  private final String problem;

  ConfigException(String source, int line, int column, String path, String problem, @Nullable Throwable cause) {
    super(format(source, line, column, path, problem), cause);
    this.source = source;
    this.line = line;
    this.column = column;
    this.path = path;
    this.problem = problem;
  }

  /** An error about the file as a whole, without a position. */
  static ConfigException ofFile(String source, String problem, @Nullable Throwable cause) {
    return new ConfigException(source, 0, 0, "", problem, cause);
  }

  private static String format(String source, int line, int column, String path, String problem) {
    StringBuilder sb = new StringBuilder(source);
    if (line > 0) {
      sb.append(':').append(line).append(':').append(column);
    }
    sb.append(": ");
    if (!path.isEmpty()) {
      sb.append(path).append(": ");
    }
    return sb.append(problem).toString();
  }

  /** The file (or other source) that holds the error. */
  public String source() {
    return source;
  }

  /** The 1-based line of the error, if it has a position. */
  public Optional<Integer> line() {
    return line > 0 ? Optional.of(line) : Optional.empty();
  }

  /** The 1-based column of the error, if it has a position. */
  public Optional<Integer> column() {
    return line > 0 ? Optional.of(column) : Optional.empty();
  }

  /** The field path, e.g. {@code services[0].endpoints[1].name}; empty for a file-level error. */
  public String path() {
    return path;
  }

  /** What was wrong and what is expected, without source, position or path. */
  public String problem() {
    return problem;
  }
}
