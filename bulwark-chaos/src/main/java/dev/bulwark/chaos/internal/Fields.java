package dev.bulwark.chaos.internal;

import dev.bulwark.chaos.ScenarioException;
import dev.bulwark.chaos.internal.YamlNode.ListNode;
import dev.bulwark.chaos.internal.YamlNode.MapNode;
import dev.bulwark.chaos.internal.YamlNode.ScalarNode;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.Set;
import java.util.TreeSet;

/**
 * Typed, located access to one mapping of a scenario file. Every read names the field's path in
 * its error and says what was expected; keys outside the allowed set are errors, never ignored.
 */
public final class Fields {
  private final MapNode node;

  private Fields(MapNode node) {
    this.node = node;
  }

  /** {@code n} as a mapping whose keys must all be in {@code allowed}. */
  public static Fields of(YamlNode n, Set<String> allowed) throws ScenarioException {
    MapNode m = asMap(n);
    for (var e : m.entries().entrySet()) {
      if (!allowed.contains(e.getKey())) {
        throw m.keyError(e.getKey(), "unknown key; expected one of: " + String.join(", ", new TreeSet<>(allowed)));
      }
    }
    return new Fields(m);
  }

  /** {@code n} as a mapping, or an error saying a mapping was expected. */
  public static MapNode asMap(YamlNode n) throws ScenarioException {
    if (n instanceof MapNode m) {
      return m;
    }
    throw n.error("must be a mapping (key: value lines), but was " + n.describe());
  }

  /** {@code n} as a list, or an error saying a list was expected. */
  public static ListNode asList(YamlNode n) throws ScenarioException {
    if (n instanceof ListNode l) {
      return l;
    }
    throw n.error("must be a list (lines starting with '- '), but was " + n.describe());
  }

  /** The mapping these fields read. */
  public MapNode node() {
    return node;
  }

  /** The child node at {@code key}, if present. */
  public Optional<YamlNode> child(String key) {
    return Optional.ofNullable(node.entries().get(key));
  }

  /** The child node at {@code key}, or an error naming the missing key. */
  public YamlNode required(String key) throws ScenarioException {
    YamlNode n = node.entries().get(key);
    if (n == null) {
      throw node.errorBelow(key, "is required but missing");
    }
    return n;
  }

  /** A required string. */
  public String string(String key) throws ScenarioException {
    return text(required(key));
  }

  /** An optional string. */
  public Optional<String> optString(String key) throws ScenarioException {
    Optional<YamlNode> n = child(key);
    return n.isEmpty() ? Optional.empty() : Optional.of(text(n.get()));
  }

  /** A required whole number within {@code min..max}. */
  public long integer(String key, long min, long max) throws ScenarioException {
    return integer(required(key), min, max);
  }

  /** An optional whole number within {@code min..max}. */
  public OptionalLong optInteger(String key, long min, long max) throws ScenarioException {
    Optional<YamlNode> n = child(key);
    return n.isEmpty() ? OptionalLong.empty() : OptionalLong.of(integer(n.get(), min, max));
  }

  /** An optional whole number within {@code min..max}, or {@code dflt}. */
  public long integer(String key, long min, long max, long dflt) throws ScenarioException {
    return optInteger(key, min, max).orElse(dflt);
  }

  /** A scalar's text; an error if {@code n} is a mapping, a list or null. */
  public static String text(YamlNode n) throws ScenarioException {
    if (n instanceof ScalarNode s && s.type() != ScalarNode.Type.NULL) {
      return s.text();
    }
    throw n.error("must be a single value, but was " + n.describe());
  }

  /** A whole number within {@code min..max}. */
  public static long integer(YamlNode n, long min, long max) throws ScenarioException {
    if (!(n instanceof ScalarNode s) || s.type() != ScalarNode.Type.INTEGER) {
      throw n.error("must be a whole number " + range(min, max) + ", but was " + n.describe());
    }
    long v;
    try {
      v = Long.parseLong(s.text());
    } catch (NumberFormatException e) {
      throw n.error("must be a whole number " + range(min, max) + ", but was " + n.describe());
    }
    if (v < min || v > max) {
      throw n.error("must be a whole number " + range(min, max) + ", but was " + v);
    }
    return v;
  }

  /** A number (whole or decimal). */
  public static double number(YamlNode n) throws ScenarioException {
    if (n instanceof ScalarNode s && (s.type() == ScalarNode.Type.INTEGER || s.type() == ScalarNode.Type.DECIMAL)) {
      double d = Double.parseDouble(s.text());
      if (Double.isFinite(d)) {
        return d;
      }
    }
    throw n.error("must be a number, but was " + n.describe());
  }

  /** A list of whole numbers within {@code min..max}. */
  public static List<Long> integers(YamlNode n, long min, long max) throws ScenarioException {
    List<Long> out = new ArrayList<>();
    for (YamlNode item : asList(n).items()) {
      out.add(integer(item, min, max));
    }
    if (out.isEmpty()) {
      throw n.error("must list at least one value");
    }
    return out;
  }

  private static String range(long min, long max) {
    if (max == Long.MAX_VALUE) {
      return ">= " + min;
    }
    return "in " + min + ".." + max;
  }
}
