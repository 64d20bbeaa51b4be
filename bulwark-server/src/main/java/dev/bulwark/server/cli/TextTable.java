package dev.bulwark.server.cli;

import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.List;

/** Prints rows as left-aligned columns two spaces apart, with a header row. */
final class TextTable {
  /** Longest cell printed; longer text is cut with an ellipsis so rows stay readable. */
  static final int MAX_CELL_CHARS = 80;

  private final List<String[]> rows = new ArrayList<>();
  private final int columns;

  TextTable(String... headers) {
    this.columns = headers.length;
    rows.add(headers);
  }

  TextTable row(Object... cells) {
    String[] r = new String[columns];
    for (int i = 0; i < columns; i++) {
      String s = i < cells.length ? String.valueOf(cells[i]) : "";
      r[i] = s.length() <= MAX_CELL_CHARS ? s : s.substring(0, MAX_CELL_CHARS - 3) + "...";
    }
    rows.add(r);
    return this;
  }

  void print(PrintWriter out) {
    int[] width = new int[columns];
    for (String[] r : rows) {
      for (int i = 0; i < columns; i++) {
        width[i] = Math.max(width[i], r[i].length());
      }
    }
    for (String[] r : rows) {
      StringBuilder b = new StringBuilder();
      for (int i = 0; i < columns; i++) {
        b.append(r[i]);
        if (i < columns - 1) {
          b.append(" ".repeat(width[i] - r[i].length() + 2));
        }
      }
      out.println(b.toString().stripTrailing());
    }
  }
}
