package dev.bulwark.core;

import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The value of an endpoint's marker TXT record, {@code _bulwark.<endpoint>}: which pointer version
 * and plan generation the records were written from, and the fencing token of the writer.
 *
 * <p>Enactors read it and send "marker equals exactly what I read" as an RFC 2136 prerequisite, so
 * the DNS server itself rejects a stale writer (ARCHITECTURE.md §5). Text form:
 * {@code v=<version> g=<generation> t=<token>}.
 */
public record Marker(long version, Generation generation, FencingToken token) {
  private static final Pattern SYNTAX = Pattern.compile("v=(\\d{1,18}) g=(\\d{1,18}) t=(\\d{1,18})");

  public Marker {
    Check.notNull(generation, "marker generation");
    Check.notNull(token, "marker token");
    Check.arg(version >= 1, "marker version must be >= 1, but was %d", version);
  }

  /** Parses the TXT text, or returns empty if it is not a Bulwark marker. */
  public static Optional<Marker> parse(String text) {
    Matcher m = SYNTAX.matcher(text);
    if (!m.matches()) {
      return Optional.empty();
    }
    long v = Long.parseLong(m.group(1));
    if (v < 1) {
      return Optional.empty();
    }
    return Optional.of(
        new Marker(v, Generation.of(Long.parseLong(m.group(2))), FencingToken.of(Long.parseLong(m.group(3)))));
  }

  /** The TXT record text. */
  public String text() {
    return "v=" + version + " g=" + generation.value() + " t=" + token.logIndex();
  }

  @Override
  public String toString() {
    return text();
  }
}
