package dev.bulwark.dns;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * A strict parser for BIND-style key files, the format {@code tsig-keygen} writes:
 *
 * <pre>
 * key "enactor-key" {
 *     algorithm hmac-sha256;
 *     secret "base64...";
 * };
 * </pre>
 *
 * <p>Several {@code key} statements may follow each other; {@code #}, {@code //} and {@code /* *}{@code /}
 * comments are allowed. Anything else, a missing {@code algorithm} or {@code secret}, or a key
 * name used twice is an error naming the file and line, because a half-read key file would fail
 * later as a confusing BADKEY or BADSIG.
 */
public final class TsigKeyFile {
  /** Largest key file read, in bytes; key files are tiny, so a bigger one is a mistake. */
  public static final int MAX_FILE_BYTES = 1 << 20;

  private final String source;
  private final String text;
  private int pos;
  private int line = 1;

  private TsigKeyFile(String source, String text) {
    this.source = source;
    this.text = text;
  }

  /** Reads and parses {@code file}; throws {@link IllegalArgumentException} naming file and line. */
  public static List<TsigKey> load(Path file) {
    try {
      long size = Files.size(file);
      if (size > MAX_FILE_BYTES) {
        throw new IllegalArgumentException(
            file + ": key file must be at most " + MAX_FILE_BYTES + " bytes, but has " + size);
      }
      return parse(Files.readString(file, StandardCharsets.UTF_8), file.toString());
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read TSIG key file " + file + ": " + e.getMessage(), e);
    }
  }

  /**
   * Parses key-file text. {@code source} names where it came from, for error messages. Returns
   * at least one key.
   */
  public static List<TsigKey> parse(String text, String source) {
    return new TsigKeyFile(source, text).keys();
  }

  private List<TsigKey> keys() {
    List<TsigKey> keys = new ArrayList<>();
    Set<String> names = new HashSet<>();
    while (true) {
      Token t = next();
      if (t.kind == Kind.END) {
        break;
      }
      if (!(t.kind == Kind.WORD && t.text.equals("key"))) {
        throw error(t.line, "expected 'key' to start a key statement, but found " + t);
      }
      Token name = next();
      if (name.kind != Kind.STRING && name.kind != Kind.WORD) {
        throw error(name.line, "expected the key name after 'key', but found " + name);
      }
      expect(Kind.OPEN, "'{' after the key name");
      String algorithm = null;
      String secret = null;
      int algorithmLine = 0;
      while (true) {
        Token clause = next();
        if (clause.kind == Kind.CLOSE) {
          break;
        }
        if (clause.kind != Kind.WORD) {
          throw error(clause.line, "expected 'algorithm', 'secret' or '}', but found " + clause);
        }
        Token value = next();
        switch (clause.text.toLowerCase(Locale.ROOT)) {
          case "algorithm" -> {
            if (algorithm != null) {
              throw error(clause.line, "key '" + name.text + "' has two 'algorithm' clauses");
            }
            if (value.kind != Kind.WORD && value.kind != Kind.STRING) {
              throw error(value.line, "expected an algorithm name such as hmac-sha256, but found " + value);
            }
            algorithm = value.text;
            algorithmLine = value.line;
          }
          case "secret" -> {
            if (secret != null) {
              throw error(clause.line, "key '" + name.text + "' has two 'secret' clauses");
            }
            if (value.kind != Kind.STRING) {
              throw error(value.line, "expected the secret as a quoted base64 string, but found " + value);
            }
            secret = value.text;
          }
          default -> throw error(
              clause.line, "unknown clause '" + clause.text + "'; a key holds only 'algorithm' and 'secret'");
        }
        expect(Kind.SEMICOLON, "';' after the " + clause.text + " clause");
      }
      expect(Kind.SEMICOLON, "';' after the closing '}' of key '" + name.text + "'");
      if (algorithm == null || secret == null) {
        throw error(name.line, "key '" + name.text + "' must have both 'algorithm' and 'secret'");
      }
      if (!names.add(name.text.toLowerCase(Locale.ROOT))) {
        throw error(name.line, "key '" + name.text + "' is defined twice");
      }
      TsigKey.Algorithm alg;
      try {
        alg = TsigKey.Algorithm.fromBindName(algorithm);
      } catch (IllegalArgumentException e) {
        throw error(algorithmLine, e.getMessage());
      }
      try {
        keys.add(new TsigKey(name.text, alg, secret));
      } catch (IllegalArgumentException e) {
        throw error(name.line, e.getMessage());
      }
    }
    if (keys.isEmpty()) {
      throw error(line, "no key statement found; expected key \"name\" { algorithm ...; secret \"...\"; };");
    }
    return List.copyOf(keys);
  }

  private void expect(Kind kind, String what) {
    Token t = next();
    if (t.kind != kind) {
      throw error(t.line, "expected " + what + ", but found " + t);
    }
  }

  private IllegalArgumentException error(int atLine, String message) {
    return new IllegalArgumentException(source + ":" + atLine + ": " + message);
  }

  private enum Kind { WORD, STRING, OPEN, CLOSE, SEMICOLON, END }

  private record Token(Kind kind, String text, int line) {
    @Override
    public String toString() {
      return switch (kind) {
        case END -> "the end of the file";
        case STRING -> "a quoted string";
        default -> "'" + text + "'";
      };
    }
  }

  private Token next() {
    skipSpaceAndComments();
    if (pos >= text.length()) {
      return new Token(Kind.END, "", line);
    }
    char c = text.charAt(pos);
    int at = line;
    switch (c) {
      case '{':
        pos++;
        return new Token(Kind.OPEN, "{", at);
      case '}':
        pos++;
        return new Token(Kind.CLOSE, "}", at);
      case ';':
        pos++;
        return new Token(Kind.SEMICOLON, ";", at);
      case '"':
        int end = text.indexOf('"', pos + 1);
        int newline = text.indexOf('\n', pos + 1);
        if (end < 0 || (newline >= 0 && newline < end)) {
          throw error(at, "unterminated quoted string; close it with '\"' on the same line");
        }
        String s = text.substring(pos + 1, end);
        pos = end + 1;
        return new Token(Kind.STRING, s, at);
      default:
        int start = pos;
        while (pos < text.length() && isWordChar(text.charAt(pos))) {
          pos++;
        }
        if (start == pos) {
          throw error(at, "unexpected character '" + c + "'");
        }
        return new Token(Kind.WORD, text.substring(start, pos), at);
    }
  }

  private static boolean isWordChar(char c) {
    return Character.isLetterOrDigit(c) || c == '-' || c == '_' || c == '.' || c == '+' || c == '/' || c == '=';
  }

  private void skipSpaceAndComments() {
    while (pos < text.length()) {
      char c = text.charAt(pos);
      if (c == '\n') {
        line++;
        pos++;
      } else if (Character.isWhitespace(c)) {
        pos++;
      } else if (c == '#' || text.startsWith("//", pos)) {
        while (pos < text.length() && text.charAt(pos) != '\n') {
          pos++;
        }
      } else if (text.startsWith("/*", pos)) {
        int end = text.indexOf("*/", pos + 2);
        if (end < 0) {
          throw error(line, "unterminated /* comment");
        }
        for (int i = pos; i < end; i++) {
          if (text.charAt(i) == '\n') {
            line++;
          }
        }
        pos = end + 2;
      } else {
        return;
      }
    }
  }
}
