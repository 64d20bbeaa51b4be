package dev.bulwark.chaos;

import java.io.PrintStream;
import java.util.Locale;

/** The progress display: one line per event, with the time since time zero, to a stream. */
final class Progress {
  private final PrintStream out;

  Progress(PrintStream out) {
    this.out = out;
  }

  /** Prints one line: {@code [   12.345 s] what  text}. */
  void line(long atMillis, String what, String text) {
    synchronized (out) {
      out.printf(Locale.ROOT, "[%9.3f s] %-8s %s%n", atMillis / 1000.0, what, text);
      out.flush();
    }
  }

  /** Prints a line without a time. */
  void plain(String text) {
    synchronized (out) {
      out.println(text);
      out.flush();
    }
  }
}
