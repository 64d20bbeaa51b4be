package dev.bulwark.server.config;

import java.util.Collection;
import java.util.Locale;
import java.util.stream.Collectors;

/** Small text helpers shared by the reader and the writer of configuration files. */
final class ConfigText {
  /** Longest value quoted in an error message; longer ones are cut, so a pasted blob stays readable. */
  static final int MAX_QUOTED_CHARS = 80;

  private ConfigText() {}

  /** The text cut to {@value #MAX_QUOTED_CHARS} characters, with control characters escaped. */
  static String abbreviate(String s) {
    String cut = s.length() <= MAX_QUOTED_CHARS ? s : s.substring(0, MAX_QUOTED_CHARS - 3) + "...";
    StringBuilder sb = new StringBuilder(cut.length());
    for (int i = 0; i < cut.length(); i++) {
      char c = cut.charAt(i);
      if (c < 0x20 || c == 0x7f) {
        sb.append(String.format(Locale.ROOT, "\\u%04x", (int) c));
      } else {
        sb.append(c);
      }
    }
    return sb.toString();
  }

  /** A YAML double-quoted scalar holding exactly {@code s}. */
  static String quote(String s) {
    StringBuilder sb = new StringBuilder(s.length() + 2).append('"');
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      if (c == '"' || c == '\\') {
        sb.append('\\').append(c);
      } else if (c < 0x20 || c == 0x7f) {
        sb.append(String.format(Locale.ROOT, "\\u%04x", (int) c));
      } else {
        sb.append(c);
      }
    }
    return sb.append('"').toString();
  }

  /** Items joined with ", ", e.g. {@code az-a, az-b, az-c}. */
  static String list(Collection<?> items) {
    return items.stream().map(String::valueOf).collect(Collectors.joining(", "));
  }
}
