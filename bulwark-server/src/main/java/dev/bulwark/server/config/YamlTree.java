package dev.bulwark.server.config;

import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import com.fasterxml.jackson.dataformat.yaml.YAMLParser;
import java.io.IOException;
import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.jspecify.annotations.Nullable;

/**
 * A YAML document as a tree whose every node remembers its line and column, so that validation
 * errors can point at the offending value. Jackson's own {@code JsonNode} forgets positions, hence
 * this small streaming builder on top of Jackson's YAML parser.
 *
 * <p>It is stricter than plain YAML in two ways that catch real mistakes: a key that appears twice
 * in one mapping is an error (YAML parsers usually keep the last), and nesting deeper than {@value
 * #MAX_DEPTH} levels is refused.
 */
final class YamlTree {
  /** Deepest nesting accepted; a Bulwark config needs six levels. */
  static final int MAX_DEPTH = 32;

  private static final YAMLFactory FACTORY = YAMLFactory.builder().build();

  private YamlTree() {}

  /** A 1-based line and column in the source text. */
  record Location(int line, int column) {}

  /** A node of the tree. */
  sealed interface Node permits MapNode, ListNode, ScalarNode {
    /** Where the node starts. */
    Location location();

    /** A short name of the node's kind, for error messages ("a mapping", "a list", ...). */
    String describe();
  }

  /** A key in a mapping, with its own position. */
  record Entry(String key, Location keyLocation, Node value) {}

  /** A YAML mapping; keys keep their order. */
  record MapNode(Location location, Map<String, Entry> entries) implements Node {
    @Override
    public String describe() {
      return "a mapping";
    }
  }

  /** A YAML sequence. */
  record ListNode(Location location, List<Node> items) implements Node {
    @Override
    public String describe() {
      return "a list";
    }
  }

  /** Scalar kinds, as the YAML parser resolved them. */
  enum ScalarKind {
    STRING,
    INTEGER,
    DECIMAL,
    BOOLEAN,
    NULL
  }

  /**
   * A scalar: its text as written, and its numeric value when the parser read a number.
   *
   * @param number the value of an {@code INTEGER} or {@code DECIMAL} scalar, else null
   */
  record ScalarNode(Location location, ScalarKind kind, String text, @Nullable BigDecimal number) implements Node {
    @Override
    public String describe() {
      switch (kind) {
        case NULL:
          return "empty";
        case STRING:
          return "\"" + ConfigText.abbreviate(text) + "\"";
        default:
          return ConfigText.abbreviate(text);
      }
    }
  }

  /**
   * Parses one YAML document. Empty text gives an empty mapping at 1:1.
   *
   * @throws ConfigException for malformed YAML (with the parser's position), duplicate keys,
   *     nesting that is too deep, or more than one document
   */
  static Node parse(String text, String source) throws ConfigException {
    try (JsonParser p = FACTORY.createParser(text)) {
      JsonToken first = p.nextToken();
      if (first == null) {
        return new MapNode(new Location(1, 1), Map.of());
      }
      Node root = read(p, source, 0, "");
      if (p.nextToken() != null) {
        Location at = location(p.currentTokenLocation());
        throw new ConfigException(source, at.line(), at.column(), "",
            "expected a single YAML document, but found a second one", null);
      }
      return root;
    } catch (JsonProcessingException e) {
      JsonLocation loc = e.getLocation();
      Syntax syntax = syntax(String.valueOf(e.getOriginalMessage()), loc == null ? new Location(1, 1) : location(loc));
      throw new ConfigException(source, syntax.at().line(), syntax.at().column(), "", "malformed YAML: "
          + syntax.problem(), e);
    } catch (IOException e) {
      throw ConfigException.ofFile(source, "cannot parse: " + e.getMessage(), e);
    }
  }

  private static Node read(JsonParser p, String source, int depth, String path)
      throws IOException, ConfigException {
    Location at = location(p.currentTokenLocation());
    if (p instanceof YAMLParser y && y.isCurrentAlias()) {
      throw new ConfigException(source, at.line(), at.column(), path, "expected a value, but found the YAML alias *"
          + ConfigText.abbreviate(p.getText()) + "; aliases are not supported, write the value out", null);
    }
    if (depth > MAX_DEPTH) {
      throw new ConfigException(source, at.line(), at.column(), path,
          "nesting is deeper than " + MAX_DEPTH + " levels; a Bulwark configuration needs far fewer", null);
    }
    JsonToken t = p.currentToken();
    switch (t) {
      case START_OBJECT: {
        Map<String, Entry> entries = new LinkedHashMap<>();
        while (p.nextToken() == JsonToken.FIELD_NAME) {
          String key = p.currentName();
          Location keyAt = location(p.currentTokenLocation());
          p.nextToken();
          Node value = read(p, source, depth + 1, path.isEmpty() ? key : path + "." + key);
          Entry previous = entries.put(key, new Entry(key, keyAt, value));
          if (previous != null) {
            throw new ConfigException(source, keyAt.line(), keyAt.column(),
                path.isEmpty() ? key : path + "." + key, "expected each key at most once, but \""
                    + ConfigText.abbreviate(key) + "\" appears again (first at line " + previous.keyLocation().line()
                    + ")",
                null);
          }
        }
        return new MapNode(at, Collections.unmodifiableMap(entries));
      }
      case START_ARRAY: {
        List<Node> items = new ArrayList<>();
        while (p.nextToken() != JsonToken.END_ARRAY) {
          items.add(read(p, source, depth + 1, path + "[" + items.size() + "]"));
        }
        return new ListNode(at, Collections.unmodifiableList(items));
      }
      case VALUE_NUMBER_INT:
        return new ScalarNode(at, ScalarKind.INTEGER, p.getText(), new BigDecimal(p.getBigIntegerValue()));
      case VALUE_NUMBER_FLOAT:
        return new ScalarNode(at, ScalarKind.DECIMAL, p.getText(), decimal(p));
      case VALUE_TRUE:
      case VALUE_FALSE:
        return new ScalarNode(at, ScalarKind.BOOLEAN, p.getText(), null);
      case VALUE_NULL:
        return new ScalarNode(at, ScalarKind.NULL, "", null);
      default:
        return new ScalarNode(at, ScalarKind.STRING, p.getText(), null);
    }
  }

  /** A YAML float such as {@code .inf} has no decimal value; it is kept as a string to be refused. */
  private static @Nullable BigDecimal decimal(JsonParser p) throws IOException {
    try {
      return p.getDecimalValue();
    } catch (NumberFormatException | JsonProcessingException e) {
      return null;
    }
  }

  private static Location location(JsonLocation loc) {
    return new Location(Math.max(1, loc.getLineNr()), Math.max(1, loc.getColumnNr()));
  }

  /** A syntax error: the parser's problem statement and where it was found. */
  private record Syntax(String problem, Location at) {}

  private static final Pattern MARK = Pattern.compile("^ in '[^']*', line (\\d+), column (\\d+):$");

  /**
   * Extracts the problem from SnakeYAML's message, which reads "while parsing X / in 'reader',
   * line A, column B: / excerpt / problem / in 'reader', line C, column D: / excerpt": the last
   * mark is the problem's position, more precise than the location Jackson reports.
   */
  private static Syntax syntax(String message, Location fallback) {
    String[] lines = message.split("\n");
    int last = -1;
    for (int i = 0; i < lines.length; i++) {
      if (MARK.matcher(lines[i]).matches()) {
        last = i;
      }
    }
    if (last <= 0 || lines[last - 1].isBlank() || Character.isWhitespace(lines[last - 1].charAt(0))) {
      return new Syntax(lines[0].trim(), fallback);
    }
    Matcher m = MARK.matcher(lines[last]);
    m.matches();
    Location at = new Location(Integer.parseInt(m.group(1)), Integer.parseInt(m.group(2)));
    String problem = lines[last - 1].trim();
    if (lines[0].startsWith("while ") && last - 1 > 0) {
      Matcher context = MARK.matcher(lines.length > 1 ? lines[1] : "");
      problem += " (" + lines[0].trim() + (context.matches() ? " that starts at line " + context.group(1)
          + ", column " + context.group(2) : "") + ")";
    }
    return new Syntax(problem, at);
  }
}
