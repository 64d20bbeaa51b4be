package dev.bulwark.server.gameday;

import java.io.ByteArrayOutputStream;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.function.Consumer;

/**
 * An output stream that hands each complete UTF-8 line to a consumer. The game-day engine prints
 * its progress to a {@link PrintStream}; the command line forwards each line to picocli's writer,
 * and {@link GameDayService} keeps them for the API. A line is cut only at a newline byte, which
 * never occurs inside a multi-byte UTF-8 character, so no character is ever split.
 */
final class LineSink extends OutputStream {
  /** Longest line kept, in bytes; the rest of a longer line is dropped, so a runaway line can't exhaust memory. */
  static final int MAX_LINE_BYTES = 64 * 1024;

  private final Consumer<String> consumer;
  private final ByteArrayOutputStream line = new ByteArrayOutputStream();

  private LineSink(Consumer<String> consumer) {
    this.consumer = consumer;
  }

  /** A print stream (UTF-8, flushed on each line) whose lines go to {@code consumer}, without the line break. */
  static PrintStream printStream(Consumer<String> consumer) {
    return new PrintStream(new LineSink(consumer), true, StandardCharsets.UTF_8);
  }

  @Override
  public synchronized void write(int b) {
    if (b == '\n') {
      String s = line.toString(StandardCharsets.UTF_8);
      line.reset();
      consumer.accept(s.endsWith("\r") ? s.substring(0, s.length() - 1) : s);
    } else if (line.size() < MAX_LINE_BYTES) {
      line.write(b);
    }
  }

  @Override
  public synchronized void write(byte[] b, int off, int len) {
    for (int i = off; i < off + len; i++) {
      write(b[i]);
    }
  }

  /** Hands over a last line that has no line break. */
  @Override
  public synchronized void close() {
    if (line.size() > 0) {
      write('\n');
    }
  }
}
