package dev.bulwark.ledger;

import dev.bulwark.core.AzId;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.CountDownLatch;

/**
 * Runs one ledger peer as its own process, for the distributed deployment and for tests that need
 * real process boundaries ({@code kill -9}). {@code bulwark node} embeds the same {@link LedgerPeer}.
 *
 * <pre>
 * java -cp ... dev.bulwark.ledger.LedgerPeerMain --az az-a \
 *     --peers az-a=127.0.0.1:7101,az-b=127.0.0.1:7102,az-c=127.0.0.1:7103 --data-dir /var/lib/bulwark/az-a
 * </pre>
 *
 * <p>Prints one line {@code ready <az> <host:port>} on standard output once serving. Stops cleanly
 * on SIGTERM / Ctrl-C. Exit codes: 0 stopped normally, 1 could not start, 2 bad arguments.
 */
public final class LedgerPeerMain {
  private LedgerPeerMain() {}

  static final String USAGE = String.join("\n",
      "usage: LedgerPeerMain --az AZ --peers AZ=HOST:PORT,... --data-dir DIR [options]",
      "",
      "Runs one AZ's ledger peer (Apache Ratis) until SIGTERM or Ctrl-C.",
      "",
      "  --az AZ                     this peer's AZ; must be one of --peers",
      "  --peers LIST                every peer of the cluster, e.g. az-a=127.0.0.1:7101,az-b=127.0.0.1:7102,...",
      "  --data-dir DIR              this peer's own storage directory (log and snapshots)",
      "  --cluster NAME              cluster name, the same on every peer (default: bulwark)",
      "  --snapshot-threshold N      log entries between snapshots (default: " + PeerOptions.DEFAULT_SNAPSHOT_THRESHOLD_ENTRIES + ")",
      "  --election-timeout-ms MIN-MAX  Raft election timeout range (default: "
          + PeerOptions.DEFAULT_ELECTION_TIMEOUT_MIN_MILLIS + "-" + PeerOptions.DEFAULT_ELECTION_TIMEOUT_MAX_MILLIS + ")",
      "  --help                      print this help",
      "",
      "Exit codes: 0 stopped normally, 1 could not start, 2 bad arguments.");

  public static void main(String[] args) {
    System.exit(run(args, System.out, System.err));
  }

  static int run(String[] args, PrintStream out, PrintStream err) {
    Map<String, String> opts;
    try {
      opts = parse(args);
    } catch (IllegalArgumentException e) {
      err.println("error: " + e.getMessage());
      err.println(USAGE);
      return 2;
    }
    if (opts.containsKey("--help")) {
      out.println(USAGE);
      return 0;
    }
    LedgerPeer peer;
    try {
      AzId az = AzId.of(require(opts, "--az"));
      ClusterConfig cluster = ClusterConfig.parse(opts.getOrDefault("--cluster", "bulwark"), require(opts, "--peers"));
      PeerOptions options = PeerOptions.DEFAULT;
      if (opts.containsKey("--snapshot-threshold")) {
        options = options.withSnapshotThresholdEntries(number(opts, "--snapshot-threshold"));
      }
      if (opts.containsKey("--election-timeout-ms")) {
        String[] range = opts.get("--election-timeout-ms").split("-", 2);
        if (range.length != 2) {
          throw new IllegalArgumentException("--election-timeout-ms must look like 400-800");
        }
        options = new PeerOptions(parseLong("--election-timeout-ms", range[0]), parseLong("--election-timeout-ms",
            range[1]), options.snapshotThresholdEntries(), options.readTimeoutMillis());
      }
      peer = new LedgerPeer(az, cluster, Path.of(require(opts, "--data-dir")), options);
    } catch (IllegalArgumentException e) {
      err.println("error: " + e.getMessage());
      err.println("run with --help for usage");
      return 2;
    }
    try {
      peer.start();
    } catch (IOException | RuntimeException e) {
      err.println("error: " + e.getMessage());
      return 1;
    }
    CountDownLatch stopped = new CountDownLatch(1);
    Runtime.getRuntime().addShutdownHook(new Thread(() -> {
      peer.close();
      stopped.countDown();
    }, "ledger-peer-shutdown"));
    out.println("ready " + peer.az() + " " + hostPort(peer));
    out.flush();
    try {
      stopped.await();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    return 0;
  }

  private static String hostPort(LedgerPeer peer) {
    var a = peer.cluster().peers().get(peer.az());
    return a.getHostString() + ":" + a.getPort();
  }

  private static Map<String, String> parse(String[] args) {
    Map<String, String> m = new LinkedHashMap<>();
    for (int i = 0; i < args.length; i++) {
      String a = args[i];
      if (a.equals("--help") || a.equals("-h")) {
        m.put("--help", "");
        continue;
      }
      if (!a.startsWith("--")) {
        throw new IllegalArgumentException("unexpected argument '" + a + "'");
      }
      String key = a;
      String value;
      int eq = a.indexOf('=');
      if (eq > 0) {
        key = a.substring(0, eq);
        value = a.substring(eq + 1);
      } else {
        if (i + 1 >= args.length) {
          throw new IllegalArgumentException(a + " needs a value");
        }
        value = args[++i];
      }
      if (!USAGE.contains(key + " ")) {
        throw new IllegalArgumentException("unknown option " + key);
      }
      m.put(key, value);
    }
    return m;
  }

  private static String require(Map<String, String> opts, String key) {
    String v = opts.get(key);
    if (v == null || v.isBlank()) {
      throw new IllegalArgumentException(key + " is required");
    }
    return v;
  }

  private static long number(Map<String, String> opts, String key) {
    return parseLong(key, opts.get(key));
  }

  private static long parseLong(String key, String v) {
    try {
      return Long.parseLong(v.trim());
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException(key + " must be a number, but was '" + v + "'", e);
    }
  }
}
