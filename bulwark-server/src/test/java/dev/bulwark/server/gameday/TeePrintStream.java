package dev.bulwark.server.gameday;

import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;

/** A print stream that writes to another and to standard output, so a test's progress shows in its log. */
final class TeePrintStream extends PrintStream {
  TeePrintStream(PrintStream other) {
    super(new OutputStream() {
      @Override
      public void write(int b) {
        other.write(b);
        System.out.write(b);
      }

      @Override
      public void write(byte[] b, int off, int len) {
        other.write(b, off, len);
        System.out.write(b, off, len);
      }
    }, true, StandardCharsets.UTF_8);
  }
}
