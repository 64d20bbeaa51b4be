package dev.bulwark.chaos.internal;

import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import dev.bulwark.chaos.ScenarioException;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A YAML document as a tree whose every node remembers its file, line, column and field path, so
 * that an error can point at the exact place. Jackson's own tree forgets locations, hence this one.
 */
public abstract sealed class YamlNode {
  /** Deepest nesting accepted; scenario files are shallow, so anything deeper is a mistake. */
  public static final int MAX_DEPTH = 32;
  /** Largest scenario file accepted, in characters. */
  public static final int MAX_CHARS = 1_000_000;

  private final String file;
  private final int line;
  private final int column;
  private final String path;

  YamlNode(String file, int line, int column, String path) {
    this.file = file;
    this.line = line;
    this.column = column;
    this.path = path;
  }

  /** The field path of this node, e.g. {@code method[1].az}. */
  public String path() {
    return path;
  }

  /** An error about this node. */
  public ScenarioException error(String problem) {
    return new ScenarioException(file, line, column, path, problem);
  }

  /** An error about a field below this node, e.g. a missing key, located at this node. */
  public ScenarioException errorBelow(String key, String problem) {
    return new ScenarioException(file, line, column, path.isEmpty() ? key : path + "." + key, problem);
  }

  /** What this node is, for messages: {@code a mapping}, {@code a list} or the scalar's text in quotes. */
  public abstract String describe();

  /** A mapping; keys in document order. */
  public static final class MapNode extends YamlNode {
    private final Map<String, YamlNode> entries;
    private final Map<String, int[]> keyAt;

    MapNode(String file, int line, int column, String path, Map<String, YamlNode> entries, Map<String, int[]> keyAt) {
      super(file, line, column, path);
      this.entries = Collections.unmodifiableMap(entries);
      this.keyAt = Map.copyOf(keyAt);
    }

    /** An error about the key {@code key} itself (e.g. an unknown key), located at the key. */
    public ScenarioException keyError(String key, String problem) {
      int[] at = keyAt.getOrDefault(key, new int[] {super.line, super.column});
      return new ScenarioException(super.file, at[0], at[1], path().isEmpty() ? key : path() + "." + key, problem);
    }

    /** The entries, in document order. */
    public Map<String, YamlNode> entries() {
      return entries;
    }

    @Override
    public String describe() {
      return "a mapping";
    }
  }

  /** A sequence. */
  public static final class ListNode extends YamlNode {
    private final List<YamlNode> items;

    ListNode(String file, int line, int column, String path, List<YamlNode> items) {
      super(file, line, column, path);
      this.items = List.copyOf(items);
    }

    /** The items, in order. */
    public List<YamlNode> items() {
      return items;
    }

    @Override
    public String describe() {
      return "a list";
    }
  }

  /** A scalar: its text and whether YAML typed it as a number, boolean, null or string. */
  public static final class ScalarNode extends YamlNode {
    /** How YAML typed the scalar. */
    public enum Type { STRING, INTEGER, DECIMAL, BOOLEAN, NULL }

    private final String text;
    private final Type type;

    ScalarNode(String file, int line, int column, String path, String text, Type type) {
      super(file, line, column, path);
      this.text = text;
      this.type = type;
    }

    /** The scalar as written. */
    public String text() {
      return text;
    }

    /** How YAML typed it. */
    public Type type() {
      return type;
    }

    @Override
    public String describe() {
      return type == Type.NULL ? "nothing (null)" : "\"" + text + "\"";
    }
  }

  /** Parses one YAML document from {@code text}; {@code file} names it in errors. */
  public static YamlNode parse(String file, String text) throws ScenarioException {
    if (text.length() > MAX_CHARS) {
      throw new ScenarioException(file, 1, 1, "", "the file has " + text.length() + " characters; at most " + MAX_CHARS
          + " are accepted");
    }
    try (JsonParser p = new YAMLFactory().createParser(text)) {
      JsonToken t = p.nextToken();
      if (t == null) {
        throw new ScenarioException(file, 1, 1, "", "the file is empty; a scenario needs at least title, mode,"
            + " durationMillis and method (see docs/gamedays.md)");
      }
      YamlNode root = read(p, file, "", 0);
      if (p.nextToken() != null) {
        JsonLocation l = p.currentTokenLocation();
        throw new ScenarioException(file, l.getLineNr(), l.getColumnNr(), "", "only one YAML document is allowed");
      }
      return root;
    } catch (JsonProcessingException e) {
      JsonLocation l = e.getLocation();
      String msg = e.getOriginalMessage().lines().findFirst().orElse("syntax error");
      throw new ScenarioException(file, l == null ? 1 : Math.max(1, l.getLineNr()),
          l == null ? 1 : Math.max(1, l.getColumnNr()), "", "not valid YAML: " + msg);
    } catch (IOException e) {
      throw new ScenarioException(file, 1, 1, "", "could not read: " + e.getMessage());
    }
  }

  private static YamlNode read(JsonParser p, String file, String path, int depth) throws IOException, ScenarioException {
    JsonLocation at = p.currentTokenLocation();
    int line = at.getLineNr();
    int col = at.getColumnNr();
    if (depth > MAX_DEPTH) {
      throw new ScenarioException(file, line, col, path, "nested deeper than " + MAX_DEPTH + " levels");
    }
    JsonToken t = p.currentToken();
    switch (t) {
      case START_OBJECT -> {
        Map<String, YamlNode> entries = new LinkedHashMap<>();
        Map<String, int[]> keyAt = new LinkedHashMap<>();
        while (p.nextToken() == JsonToken.FIELD_NAME) {
          String key = p.currentName();
          JsonLocation kl = p.currentTokenLocation();
          String childPath = path.isEmpty() ? key : path + "." + key;
          if (entries.containsKey(key)) {
            throw new ScenarioException(file, kl.getLineNr(), kl.getColumnNr(), childPath,
                "the key appears twice; keep one");
          }
          p.nextToken();
          keyAt.put(key, new int[] {kl.getLineNr(), kl.getColumnNr()});
          entries.put(key, read(p, file, childPath, depth + 1));
        }
        return new MapNode(file, line, col, path, entries, keyAt);
      }
      case START_ARRAY -> {
        List<YamlNode> items = new ArrayList<>();
        int i = 0;
        while (p.nextToken() != JsonToken.END_ARRAY) {
          items.add(read(p, file, path + "[" + i++ + "]", depth + 1));
        }
        return new ListNode(file, line, col, path, items);
      }
      case VALUE_NUMBER_INT -> {
        return new ScalarNode(file, line, col, path, p.getText(), ScalarNode.Type.INTEGER);
      }
      case VALUE_NUMBER_FLOAT -> {
        return new ScalarNode(file, line, col, path, p.getText(), ScalarNode.Type.DECIMAL);
      }
      case VALUE_TRUE, VALUE_FALSE -> {
        return new ScalarNode(file, line, col, path, p.getText(), ScalarNode.Type.BOOLEAN);
      }
      case VALUE_NULL -> {
        return new ScalarNode(file, line, col, path, "", ScalarNode.Type.NULL);
      }
      default -> {
        return new ScalarNode(file, line, col, path, p.getText(), ScalarNode.Type.STRING);
      }
    }
  }
}
