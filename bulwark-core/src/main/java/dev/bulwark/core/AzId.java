package dev.bulwark.core;

import java.util.regex.Pattern;

/**
 * An Availability Zone, the unit of fault containment: one ledger peer, one Validator and one
 * Enactor per AZ. Lower-case letters, digits and hyphens, 1 to 32 characters, e.g. {@code az-a}.
 */
public record AzId(String value) implements Comparable<AzId> {
  private static final Pattern SYNTAX = Pattern.compile("[a-z0-9][a-z0-9-]{0,31}");

  public AzId {
    Check.notNull(value, "AZ id");
    Check.arg(
        SYNTAX.matcher(value).matches(),
        "AZ id must be 1-32 lower-case letters, digits or '-', starting with a letter or digit,"
            + " but was '%s'",
        value);
  }

  public static AzId of(String value) {
    return new AzId(value);
  }

  @Override
  public int compareTo(AzId o) {
    return value.compareTo(o.value);
  }

  @Override
  public String toString() {
    return value;
  }
}
