package dev.bulwark.dns;

import java.net.InetAddress;
import java.nio.file.Path;

/**
 * Runs an embedded server in its own JVM so a test can kill it with SIGKILL: a real crash, with
 * no shutdown hook, no close() and no flush. Arguments: data directory, key file. Prints
 * {@code PORT <n>} once serving, then runs until killed.
 */
public final class EmbeddedServerProcessMain {
  private EmbeddedServerProcessMain() {}

  public static void main(String[] args) throws Exception {
    EmbeddedDnsServer server = EmbeddedDnsServer.start(new EmbeddedDnsServer.Options(
        InetAddress.getLoopbackAddress(), 0, Path.of(args[0]), TsigKeyFile.load(Path.of(args[1])),
        InitialZone.minimal(ServerUnderTest.ZONE)));
    System.out.println("PORT " + server.port());
    System.out.flush();
    Thread.sleep(Long.MAX_VALUE); // Until the test kills this process.
  }
}
