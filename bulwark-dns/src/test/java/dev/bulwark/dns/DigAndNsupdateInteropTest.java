package dev.bulwark.dns;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The embedded server speaks DNS as BIND's own tools expect: {@code nsupdate -k} with a key file
 * from {@link TsigKey#toBindSyntax()} updates it, {@code dig} reads it. Skipped locally when the
 * tools are missing, failed in CI (CI=true).
 */
class DigAndNsupdateInteropTest {
  @TempDir Path dir;
  private EmbeddedServerUnderTest server;
  private Path keyFile;

  @BeforeEach
  void start() throws IOException {
    server = new EmbeddedServerUnderTest(dir.resolve("data"));
    keyFile = dir.resolve("bulwark-test.key");
    Files.writeString(keyFile, server.key().toBindSyntax());
  }

  @AfterEach
  void stop() {
    server.close();
  }

  @Test
  void nsupdateWithAKeyFileAddsRecordsThatDigThenSees() throws Exception {
    Result update = nsupdate(
        "update add www." + ServerUnderTest.ZONE + " 60 A 192.0.2.80",
        "update add www." + ServerUnderTest.ZONE + " 60 AAAA 2001:db8::80");

    assertThat(update.exitCode()).as(update.output()).isZero();
    assertThat(dig("+short", "www." + ServerUnderTest.ZONE, "A").output().strip()).isEqualTo("192.0.2.80");
    assertThat(dig("+short", "www." + ServerUnderTest.ZONE, "AAAA").output().strip()).isEqualTo("2001:db8::80");
  }

  @Test
  void nsupdateReportsAFailedPrerequisiteAndChangesNothing() throws Exception {
    nsupdate("update add taken." + ServerUnderTest.ZONE + " 60 A 192.0.2.1");

    Result update = nsupdate(
        "prereq nxdomain taken." + ServerUnderTest.ZONE,
        "update add taken." + ServerUnderTest.ZONE + " 60 A 192.0.2.2");

    assertThat(update.exitCode()).isNotZero();
    assertThat(update.output()).contains("YXDOMAIN");
    assertThat(dig("+short", "taken." + ServerUnderTest.ZONE, "A").output().strip()).isEqualTo("192.0.2.1");
  }

  @Test
  void digSeesAnAuthoritativeNxdomainWithTheSoa() throws Exception {
    Result r = dig("+norecurse", "nothing-here." + ServerUnderTest.ZONE, "A");

    assertThat(r.output()).contains("status: NXDOMAIN").containsPattern("flags: qr aa");
    assertThat(r.output()).containsPattern("AUTHORITY SECTION:\\s+" + ServerUnderTest.ZONE.replace(".", "\\.") + "\\.\\s+\\d+\\s+IN\\s+SOA");
  }

  @Test
  void digOverTcpGetsTheSameAnswer() throws Exception {
    Result r = dig("+tcp", "+short", ServerUnderTest.ZONE, "NS");

    assertThat(r.output().strip()).isEqualTo("ns1." + ServerUnderTest.ZONE + ".");
  }

  @Test
  void aSignedDigQueryGetsASignedAnswerThatDigVerifies() throws Exception {
    TsigKey k = server.key();

    Result r = dig("-y", "hmac-sha256:" + k.name() + ":" + k.secretBase64(), ServerUnderTest.ZONE, "SOA");

    assertThat(r.output()).contains("status: NOERROR").contains("TSIG PSEUDOSECTION").doesNotContain("failure");
  }

  private Result nsupdate(String... commands) throws Exception {
    List<String> script = new ArrayList<>();
    script.add("server " + server.address().getAddress().getHostAddress() + " " + server.address().getPort());
    script.add("zone " + ServerUnderTest.ZONE);
    script.addAll(List.of(commands));
    script.add("send");
    script.add("");
    return run(List.of(ExternalTools.require("nsupdate").toString(), "-k", keyFile.toString()), String.join("\n", script));
  }

  private Result dig(String... args) throws Exception {
    List<String> cmd = new ArrayList<>(List.of(ExternalTools.require("dig").toString(),
        "@" + server.address().getAddress().getHostAddress(), "-p", String.valueOf(server.address().getPort()),
        "+time=5", "+tries=1"));
    cmd.addAll(List.of(args));
    return run(cmd, "");
  }

  private static Result run(List<String> command, String stdin) throws Exception {
    Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
    p.getOutputStream().write(stdin.getBytes(StandardCharsets.UTF_8));
    p.getOutputStream().close();
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    if (!p.waitFor(30, TimeUnit.SECONDS)) {
      p.destroyForcibly();
      throw new IllegalStateException(command + " did not finish in 30 s; output so far:\n" + out);
    }
    return new Result(p.exitValue(), out);
  }

  private record Result(int exitCode, String output) {}
}
