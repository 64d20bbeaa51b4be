package dev.bulwark.server.config;

import dev.bulwark.server.config.YamlTree.Entry;
import dev.bulwark.server.config.YamlTree.ListNode;
import dev.bulwark.server.config.YamlTree.Location;
import dev.bulwark.server.config.YamlTree.MapNode;
import dev.bulwark.server.config.YamlTree.Node;
import dev.bulwark.server.config.YamlTree.ScalarKind;
import dev.bulwark.server.config.YamlTree.ScalarNode;
import java.math.BigDecimal;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * One mapping of the configuration being read, with its field path: typed, positioned access to
 * its keys. Unknown keys are refused when the section is opened, so a typo never silently falls
 * back to a default.
 */
final class Section {
  /** Where the text came from, and what relative paths and {@code tokenEnv} resolve against. */
  record Context(String source, Path baseDir, Map<String, String> env) {}

  /** A domain message that starts with a field name, e.g. "quorum must be 1..15, but was 0". */
  private static final Pattern FIELD_FIRST = Pattern.compile("^([a-z][A-Za-z]*) must (?:be )?(.*)$", Pattern.DOTALL);

  /** A constructor call whose arguments may be read from the section. */
  @FunctionalInterface
  interface Builder<T> {
    T get() throws ConfigException;
  }

  final Context ctx;
  final String path;
  final Location location;
  private final Map<String, Entry> entries;

  private Section(Context ctx, String path, Location location, Map<String, Entry> entries) {
    this.ctx = ctx;
    this.path = path;
    this.location = location;
    this.entries = entries;
  }

  /**
   * Opens {@code node} as a mapping whose keys must be among {@code allowed}. An empty value
   * ({@code key:} with nothing after it) is an empty mapping.
   */
  static Section open(Context ctx, String path, Node node, List<String> allowed) throws ConfigException {
    if (node instanceof ScalarNode s && s.kind() == ScalarKind.NULL) {
      return new Section(ctx, path, node.location(), Map.of());
    }
    if (!(node instanceof MapNode map)) {
      throw error(ctx, node.location(), path, "expected a mapping with keys " + ConfigText.list(allowed) + ", but was "
          + node.describe());
    }
    for (Entry e : map.entries().values()) {
      if (!allowed.contains(e.key())) {
        throw error(ctx, e.keyLocation(), join(path, e.key()), "unknown key; allowed keys here: "
            + ConfigText.list(allowed));
      }
    }
    return new Section(ctx, path, map.location(), map.entries());
  }

  static ConfigException error(Context ctx, Location at, String path, String problem) {
    return new ConfigException(ctx.source(), at.line(), at.column(), path, problem, null);
  }

  private static String join(String path, String key) {
    return path.isEmpty() ? key : path + "." + key;
  }

  /** The field path of {@code key} in this section. */
  String pathOf(String key) {
    return join(path, key);
  }

  boolean has(String key) {
    return entries.containsKey(key);
  }

  /** An error at the value of {@code key} (or at this section, if the key is absent). */
  ConfigException errorAt(String key, String problem) {
    Entry e = entries.get(key);
    return error(ctx, e == null ? location : e.value().location(), pathOf(key), problem);
  }

  /** An error about this section as a whole. */
  ConfigException error(String problem) {
    return error(ctx, location, path, problem);
  }

  /** An error about an absent field, reported at this section. */
  private ConfigException error(String fieldPath, String problem) {
    return error(ctx, location, fieldPath, problem);
  }

  private ConfigException missing(String key, String expected) {
    return error(ctx, location, pathOf(key), "missing required field; expected " + expected);
  }

  private Optional<Node> node(String key) {
    return Optional.ofNullable(entries.get(key)).map(Entry::value);
  }

  /** The sub-section at {@code key}; an absent key gives an empty one, so that defaults apply. */
  Section section(String key, List<String> allowed) throws ConfigException {
    Optional<Node> n = node(key);
    if (n.isEmpty()) {
      return new Section(ctx, pathOf(key), location, Map.of());
    }
    return open(ctx, pathOf(key), n.get(), allowed);
  }

  /** The sub-section at {@code key}, which must be present. */
  Section requiredSection(String key, List<String> allowed, String expected) throws ConfigException {
    if (!has(key)) {
      throw missing(key, expected);
    }
    return section(key, allowed);
  }

  /** The list at {@code key}: absent is empty; fewer than {@code min} or more than {@code max} items is an error. */
  List<Node> list(String key, int min, int max, String expected) throws ConfigException {
    Optional<Node> n = node(key);
    if (n.isEmpty()) {
      if (min > 0) {
        throw missing(key, expected);
      }
      return List.of();
    }
    if (!(n.get() instanceof ListNode l)) {
      throw errorAt(key, "expected a list of " + expected + ", but was " + n.get().describe());
    }
    if (l.items().size() < min) {
      throw errorAt(key, "expected at least " + min + " " + expected + ", but the list is "
          + (l.items().isEmpty() ? "empty" : "of " + l.items().size()));
    }
    if (l.items().size() > max) {
      throw errorAt(key, "expected at most " + max + " " + expected + ", but the list has " + l.items().size());
    }
    return l.items();
  }

  /** The mapping at {@code key} as raw entries, in file order. */
  Map<String, Entry> entries(String key, String expected) throws ConfigException {
    Optional<Node> n = node(key);
    if (n.isEmpty()) {
      throw missing(key, expected);
    }
    if (!(n.get() instanceof MapNode m)) {
      throw errorAt(key, "expected " + expected + ", but was " + n.get().describe());
    }
    return m.entries();
  }

  /** The text of a scalar, which must not be empty. */
  static String text(Context ctx, Node node, String path, String expected) throws ConfigException {
    if (!(node instanceof ScalarNode s) || s.kind() == ScalarKind.NULL || s.text().isEmpty()) {
      throw error(ctx, node.location(), path, "expected " + expected + ", but was " + describe(node));
    }
    return s.text();
  }

  private static String describe(Node node) {
    return node instanceof ScalarNode s && s.kind() == ScalarKind.STRING && s.text().isEmpty() ? "\"\"" : node.describe();
  }

  /** A required string. */
  String string(String key, String expected) throws ConfigException {
    Optional<Node> n = node(key);
    if (n.isEmpty()) {
      throw missing(key, expected);
    }
    return text(ctx, n.get(), pathOf(key), expected);
  }

  /** An optional string. */
  Optional<String> optionalString(String key, String expected) throws ConfigException {
    return has(key) ? Optional.of(string(key, expected)) : Optional.empty();
  }

  /** A string with a default. */
  String string(String key, String dflt, String expected) throws ConfigException {
    return has(key) ? string(key, expected) : dflt;
  }

  /** A required value parsed from a string; a parse failure ({@link IllegalArgumentException}) names {@code expected}. */
  <T> T parsed(String key, String expected, Function<String, T> parse) throws ConfigException {
    return parse(key, string(key, expected), expected, parse);
  }

  /** A value parsed from a string, or {@code dflt} if the key is absent. */
  <T> T parsed(String key, T dflt, String expected, Function<String, T> parse) throws ConfigException {
    return has(key) ? parsed(key, expected, parse) : dflt;
  }

  private <T> T parse(String key, String raw, String expected, Function<String, T> parse) throws ConfigException {
    try {
      return parse.apply(raw);
    } catch (IllegalArgumentException e) {
      throw errorAt(key, "expected " + expected + ", but was \"" + ConfigText.abbreviate(raw) + "\"");
    }
  }

  /** A whole number in {@code min..max}, or {@code dflt} if the key is absent. */
  long integer(String key, long dflt, long min, long max) throws ConfigException {
    return has(key) ? integer(key, min, max) : dflt;
  }

  /**
   * A required whole number in {@code min..max}. The full range of {@code int} or {@code long}
   * only checks the type, leaving the range to the domain constructor and its message.
   */
  long integer(String key, long min, long max) throws ConfigException {
    boolean anyInt = min == Integer.MIN_VALUE && max == Integer.MAX_VALUE;
    boolean anyLong = min == Long.MIN_VALUE && max == Long.MAX_VALUE;
    String expected = anyInt || anyLong ? "an integer" : "an integer in " + min + ".." + max;
    Optional<Node> n = node(key);
    if (n.isEmpty()) {
      throw missing(key, expected);
    }
    if (!(n.get() instanceof ScalarNode s) || s.kind() != ScalarKind.INTEGER || s.number() == null) {
      throw errorAt(key, "expected " + expected + ", but was " + describe(n.get()));
    }
    BigDecimal v = s.number();
    if (v.compareTo(BigDecimal.valueOf(min)) < 0 || v.compareTo(BigDecimal.valueOf(max)) > 0) {
      throw errorAt(key, "expected an integer in " + min + ".." + max + ", but was " + s.text());
    }
    return v.longValueExact();
  }

  /** {@link #integer} for an {@code int} field. */
  int intValue(String key, int dflt, int min, int max) throws ConfigException {
    return (int) integer(key, dflt, min, max);
  }

  /** An {@code int} with a default, range-checked later by a domain constructor. */
  int anyInt(String key, int dflt) throws ConfigException {
    return intValue(key, dflt, Integer.MIN_VALUE, Integer.MAX_VALUE);
  }

  /** A {@code long} with a default, range-checked later by a domain constructor. */
  long anyLong(String key, long dflt) throws ConfigException {
    return integer(key, dflt, Long.MIN_VALUE, Long.MAX_VALUE);
  }

  /** A finite number (integer or decimal) in {@code min..max}, or {@code dflt} if the key is absent. */
  double decimal(String key, double dflt, double min, double max) throws ConfigException {
    Optional<Node> n = node(key);
    if (n.isEmpty()) {
      return dflt;
    }
    String expected = "a number in " + min + ".." + max;
    if (!(n.get() instanceof ScalarNode s) || s.number() == null) {
      throw errorAt(key, "expected " + expected + ", but was " + describe(n.get()));
    }
    double v = s.number().doubleValue();
    if (!(v >= min && v <= max)) {
      throw errorAt(key, "expected " + expected + ", but was " + s.text());
    }
    return v;
  }

  /** One of {@code choices} (matched exactly, lower-case), or {@code dflt} if the key is absent. */
  <E extends Enum<E>> E choice(String key, E dflt, Class<E> type) throws ConfigException {
    List<String> names = java.util.Arrays.stream(type.getEnumConstants()).map(Section::configName).toList();
    String expected = "one of " + ConfigText.list(names);
    if (!has(key)) {
      return dflt;
    }
    String raw = string(key, expected);
    for (E e : type.getEnumConstants()) {
      if (configName(e).equals(raw)) {
        return e;
      }
    }
    throw errorAt(key, "expected " + expected + ", but was \"" + ConfigText.abbreviate(raw) + "\"");
  }

  /** The spelling of an enum constant in configuration files: lower case. */
  static String configName(Enum<?> e) {
    return e.name().toLowerCase(java.util.Locale.ROOT);
  }

  /**
   * Runs a domain constructor and turns its {@link IllegalArgumentException} into a positioned
   * error. A message that starts with one of this section's keys ("failStaticPercent must be
   * 1..100, but was 0") is reported at that key; any other at the section.
   */
  <T> T build(Builder<T> constructor) throws ConfigException {
    try {
      return constructor.get();
    } catch (IllegalArgumentException e) {
      String m = String.valueOf(e.getMessage());
      Matcher field = FIELD_FIRST.matcher(m);
      if (field.matches()) {
        String problem = "expected " + field.group(2);
        throw has(field.group(1)) ? errorAt(field.group(1), problem) : error(pathOf(field.group(1)), problem);
      }
      throw error(m);
    }
  }
}
