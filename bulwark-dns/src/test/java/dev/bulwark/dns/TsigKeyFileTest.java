package dev.bulwark.dns;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class TsigKeyFileTest {
  private static final String SECRET = "nE6qAV+t8k9JIemk5bVPiyBHGMIOFvA3c9zcYV+yE+Y=";

  @Test
  void readsWhatTsigKeygenWrites() {
    String text = "key \"enactor-key\" {\n\talgorithm hmac-sha256;\n\tsecret \"" + SECRET + "\";\n};\n";

    List<TsigKey> keys = TsigKeyFile.parse(text, "enactor.key");

    assertThat(keys).containsExactly(new TsigKey("enactor-key", TsigKey.Algorithm.HMAC_SHA256, SECRET));
  }

  @Test
  void readsSeveralKeysWithCommentsAndHmacSha512() {
    String text = String.join("\n",
        "# Enactor keys, one per AZ",
        "key az-a { algorithm hmac-sha512; secret \"" + SECRET + "\"; }; // unquoted name",
        "/* a block",
        "   comment */ key \"az-b\" { secret \"" + SECRET + "\"; algorithm HMAC-SHA256; };");

    List<TsigKey> keys = TsigKeyFile.parse(text, "keys.conf");

    assertThat(keys).extracting(TsigKey::name).containsExactly("az-a", "az-b");
    assertThat(keys).extracting(TsigKey::algorithm)
        .containsExactly(TsigKey.Algorithm.HMAC_SHA512, TsigKey.Algorithm.HMAC_SHA256);
  }

  @Test
  void errorsNameTheFileAndTheLine() {
    assertThatThrownBy(() -> TsigKeyFile.parse("key \"k\" {\n  algorithm hmac-sha256\n  secret \"" + SECRET + "\";\n};", "a.key"))
        .hasMessage("a.key:3: expected ';' after the algorithm clause, but found 'secret'");
    assertThatThrownBy(() -> TsigKeyFile.parse("key \"k\" {\n  algorithm hmac-md5;\n  secret \"" + SECRET + "\";\n};", "b.key"))
        .hasMessage("b.key:2: TSIG algorithm must be hmac-sha256 or hmac-sha512, but was 'hmac-md5'");
    assertThatThrownBy(() -> TsigKeyFile.parse("key \"k\" {\n  secret \"" + SECRET + "\";\n};", "c.key"))
        .hasMessage("c.key:1: key 'k' must have both 'algorithm' and 'secret'");
    assertThatThrownBy(() -> TsigKeyFile.parse("\n\nkey \"k\" { algorithm hmac-sha256; secret \"not base64!\"; };", "d.key"))
        .hasMessageStartingWith("d.key:3: secret of TSIG key 'k' must be base64");
    assertThatThrownBy(() -> TsigKeyFile.parse("options { };", "e.key"))
        .hasMessage("e.key:1: expected 'key' to start a key statement, but found 'options'");
    assertThatThrownBy(() -> TsigKeyFile.parse("", "f.key"))
        .hasMessageStartingWith("f.key:1: no key statement found");
    assertThatThrownBy(() -> TsigKeyFile.parse("key \"k\" { algorithm hmac-sha256; secret \"" + SECRET + "\"; }", "g.key"))
        .hasMessage("g.key:1: expected ';' after the closing '}' of key 'k', but found the end of the file");
  }

  @Test
  void aKeyDefinedTwiceIsAnError() {
    String one = "key \"k\" { algorithm hmac-sha256; secret \"" + SECRET + "\"; };\n";

    assertThatThrownBy(() -> TsigKeyFile.parse(one + one, "dup.key")).hasMessage("dup.key:2: key 'k' is defined twice");
  }

  @Test
  void aShortSecretIsRefused() {
    assertThatThrownBy(() -> TsigKey.hmacSha256("k", "c2hvcnQ="))
        .hasMessageContaining("at least 16 bytes, but was 5");
  }

  @Test
  void toBindSyntaxRoundTripsAndToStringHidesTheSecret(@TempDir Path dir) throws Exception {
    TsigKey key = TestKeys.random("round-trip", TsigKey.Algorithm.HMAC_SHA512);
    Path file = Files.writeString(dir.resolve("k.key"), key.toBindSyntax());

    assertThat(TsigKeyFile.load(file)).containsExactly(key);
    assertThat(key.toString()).doesNotContain(key.secretBase64()).contains("redacted");
  }
}
