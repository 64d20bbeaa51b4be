package dev.bulwark.server;

import dev.bulwark.server.api.ApiToken;
import dev.bulwark.server.api.Role;
import java.io.IOException;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Locale;
import java.util.Properties;
import org.slf4j.LoggerFactory;

/**
 * The API tokens of {@code bulwark up}: made once, on first start, with a secure random secret
 * each, and kept in {@code <data-dir>/api/tokens.properties} (owner-only) so they survive
 * restarts. One token per role, named after it, so the demo can show every permission level.
 */
final class UpTokens {
  private UpTokens() {}

  /** The file's line format: {@code <name>=<role>:<secret>}. */
  static Path file(Path dataDir) {
    return dataDir.resolve("api").resolve("tokens.properties");
  }

  static List<ApiToken> loadOrCreate(Path dataDir) throws IOException {
    Path f = file(dataDir);
    if (!Files.exists(f)) {
      Properties p = new Properties();
      SecureRandom random = new SecureRandom();
      for (Role r : Role.values()) {
        byte[] secret = new byte[24];
        random.nextBytes(secret);
        p.setProperty(r.label(), r.label() + ":" + Base64.getUrlEncoder().withoutPadding().encodeToString(secret));
      }
      StringBuilder text = new StringBuilder("# bulwark up's API tokens: <name>=<role>:<secret>. Keep private.\n");
      p.stringPropertyNames().stream().sorted().forEach(k -> text.append(k).append('=').append(p.getProperty(k))
          .append('\n'));
      writePrivate(f, text.toString());
    }
    Properties p = new Properties();
    try (Reader r = Files.newBufferedReader(f, StandardCharsets.UTF_8)) {
      p.load(r);
    }
    List<ApiToken> tokens = new ArrayList<>();
    for (String name : p.stringPropertyNames().stream().sorted().toList()) {
      String[] v = p.getProperty(name).split(":", 2);
      if (v.length != 2) {
        throw new IOException(f + ": token '" + name + "' must be written <role>:<secret>");
      }
      Role role;
      try {
        role = Role.valueOf(v[0].trim().toUpperCase(Locale.ROOT));
      } catch (IllegalArgumentException e) {
        throw new IOException(f + ": token '" + name + "' has unknown role '" + v[0] + "' (viewer, operator, approver,"
            + " admin)", e);
      }
      try {
        tokens.add(new ApiToken(name, role, v[1].trim()));
      } catch (IllegalArgumentException e) {
        throw new IOException(f + ": " + e.getMessage(), e);
      }
    }
    if (tokens.isEmpty()) {
      throw new IOException(f + " holds no tokens; delete it and Bulwark makes new ones");
    }
    return tokens;
  }

  /**
   * Writes a new secret file readable by its owner only. The file is created with those permissions,
   * so the secret is never readable by others, not even for a moment.
   */
  static void writePrivate(Path file, String text) throws IOException {
    Files.createDirectories(file.getParent());
    try {
      Files.createFile(file, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
    } catch (UnsupportedOperationException e) {
      Files.createFile(file);
      LoggerFactory.getLogger(UpTokens.class).warn("could not restrict the permissions of {}; keep it private", file);
    }
    Files.writeString(file, text, StandardCharsets.UTF_8);
  }
}
