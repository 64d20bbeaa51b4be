package dev.bulwark.core;

import java.util.regex.Pattern;

/**
 * The name of a service: a set of endpoints that are planned together under one pointer, for
 * example {@code dynamodb}. Lower-case letters, digits and hyphens, 1 to 63 characters, starting
 * with a letter or digit.
 */
public record ServiceId(String value) implements Comparable<ServiceId> {
  private static final Pattern SYNTAX = Pattern.compile("[a-z0-9][a-z0-9-]{0,62}");

  public ServiceId {
    Check.notNull(value, "service id");
    Check.arg(
        SYNTAX.matcher(value).matches(),
        "service id must be 1-63 lower-case letters, digits or '-', starting with a letter or"
            + " digit, but was '%s'",
        value);
  }

  public static ServiceId of(String value) {
    return new ServiceId(value);
  }

  @Override
  public int compareTo(ServiceId o) {
    return value.compareTo(o.value);
  }

  @Override
  public String toString() {
    return value;
  }
}
