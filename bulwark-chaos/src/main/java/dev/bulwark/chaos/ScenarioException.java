package dev.bulwark.chaos;

/**
 * A scenario file that can't be used. The message names the file, the line and column, the field
 * path (e.g. {@code method[1].delayMillis}), what was wrong and what was expected.
 */
public final class ScenarioException extends Exception {
  private static final long serialVersionUID = 1L;

  private final String file;
  private final int line;
  private final int column;
  private final String path;
  private final String problem;

  /** An error at {@code line}:{@code column} of {@code file}, in the field at {@code path}. */
  public ScenarioException(String file, int line, int column, String path, String problem) {
    super(file + ":" + line + ":" + column + ": " + (path.isEmpty() ? "" : path + ": ") + problem);
    this.file = file;
    this.line = line;
    this.column = column;
    this.path = path;
    this.problem = problem;
  }

  /** The file the error is in. */
  public String file() {
    return file;
  }

  /** The 1-based line of the offending node. */
  public int line() {
    return line;
  }

  /** The 1-based column of the offending node. */
  public int column() {
    return column;
  }

  /** The field path, e.g. {@code method[1].delayMillis}; empty for the document itself. */
  public String path() {
    return path;
  }

  /** What was wrong, without the location. */
  public String problem() {
    return problem;
  }
}
