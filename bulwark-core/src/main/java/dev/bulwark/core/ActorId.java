package dev.bulwark.core;

/**
 * Who issued a command, as recorded in the audit chain: an agent ({@code planner@az-a}) or a
 * person ({@code operator:alice}). 1 to 128 printable ASCII characters without spaces.
 */
public record ActorId(String value) implements Comparable<ActorId> {
  /** Longest accepted actor id, in characters. */
  public static final int MAX_LENGTH = 128;

  public ActorId {
    Check.notNull(value, "actor id");
    Check.arg(
        !value.isEmpty() && value.length() <= MAX_LENGTH,
        "actor id must be 1-%d characters, but was %d characters",
        MAX_LENGTH,
        value.length());
    for (int i = 0; i < value.length(); i++) {
      char c = value.charAt(i);
      if (c <= ' ' || c >= 0x7f) {
        throw new IllegalArgumentException(String.format(java.util.Locale.ROOT,
            "actor id must be printable ASCII without spaces, but '%s' has 0x%02x at %d",
            value.replaceAll("[^\\x21-\\x7e]", "?"), (int) c, i));
      }
    }
  }

  public static ActorId of(String value) {
    return new ActorId(value);
  }

  @Override
  public int compareTo(ActorId o) {
    return value.compareTo(o.value);
  }

  @Override
  public String toString() {
    return value;
  }
}
