package dev.bulwark.server;

import dev.bulwark.agents.ServiceTopology;
import dev.bulwark.core.EndpointName;
import dev.bulwark.core.Pointer;
import java.io.BufferedReader;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;
import org.slf4j.LoggerFactory;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code bulwark up}: the whole control plane on this machine, with a small console on standard input. */
@Command(
    name = "up",
    mixinStandardHelpOptions = true,
    exitCodeListHeading = "%nExit codes:%n",
    exitCodeList = {"130:stopped by Ctrl-C, after a clean shutdown", "143:stopped by SIGTERM, after a clean shutdown",
        "1:could not start (the message says why)", "2:bad options"},
    description = {
      "Runs an embedded Bulwark: three ledger peers (az-a, az-b, az-c) on loopback, the embedded"
          + " authoritative DNS server, demo load balancers on 127.0.0.11-16 and 127.0.0.21-26, health"
          + " checks, Planner, Validators, Enactors, Auditor and Janitor, and the HTTP API, console and /metrics"
          + " on 127.0.0.1:8080.",
      "State is kept in the data directory and survives restarts. Ctrl-C stops it cleanly."
    })
final class UpCommand implements Callable<Integer> {
  @Option(names = "--data-dir", paramLabel = "DIR", defaultValue = UpOptions.DEFAULT_DATA_DIR,
      description = "Where the ledger, the DNS zone and the TSIG key are kept (default: ${DEFAULT-VALUE}).")
  Path dataDir;

  @Option(names = "--dns-port", paramLabel = "PORT", defaultValue = "" + UpOptions.DEFAULT_DNS_PORT,
      description = "UDP and TCP port of the embedded DNS server on 127.0.0.1 (default: ${DEFAULT-VALUE}).")
  int dnsPort;

  @Option(names = "--ledger-port", paramLabel = "PORT", defaultValue = "" + UpOptions.DEFAULT_LEDGER_PORT,
      description = "First of three consecutive ports for the ledger peers (default: ${DEFAULT-VALUE}).")
  int ledgerPort;

  @Option(names = "--backend-port", paramLabel = "PORT", defaultValue = "" + UpOptions.DEFAULT_BACKEND_PORT,
      description = "Port of the demo load balancers' /health endpoint (default: ${DEFAULT-VALUE}).")
  int backendPort;

  @Option(names = "--api-port", paramLabel = "PORT", defaultValue = "" + UpOptions.DEFAULT_API_PORT,
      description = "Port of the HTTP API, the console and /metrics on 127.0.0.1 (default: ${DEFAULT-VALUE}).")
  int apiPort;

  @Mixin LoggingOptions logging = new LoggingOptions();

  private final InputStream in;
  private final PrintStream out;

  UpCommand(InputStream in, PrintStream out) {
    this.in = in;
    this.out = out;
  }

  @Override
  public Integer call() {
    UpOptions options;
    try {
      options = new UpOptions(dataDir, dnsPort, ledgerPort, backendPort, apiPort);
      logging.apply(null, null);
    } catch (IllegalArgumentException e) {
      out.println("error: " + e.getMessage());
      return 2;
    }
    out.println("Starting Bulwark (data in " + options.dataDir().toAbsolutePath().normalize() + ") ...");
    EmbeddedControlPlane plane;
    try {
      plane = EmbeddedControlPlane.start(options);
    } catch (EmbeddedControlPlane.StartupException e) {
      out.println("error: " + e.getMessage());
      return 1;
    }
    out.println();
    plane.printSummary(out);
    console(plane);
    Lifecycle.runUntilShutdown(plane, LoggerFactory.getLogger(UpCommand.class));
    return 0;
  }

  /** A small console on standard input; without one (a pipe that ends, CI) Bulwark keeps running. */
  private void console(EmbeddedControlPlane plane) {
    Thread t = new Thread(() -> {
      try (BufferedReader r = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8))) {
        String line;
        while ((line = r.readLine()) != null) {
          handle(plane, line.trim());
        }
      } catch (java.io.IOException e) {
        // Standard input closed: nothing more to read, Bulwark keeps running.
      }
    }, "bulwark-console");
    t.setDaemon(true);
    t.start();
  }

  private void handle(EmbeddedControlPlane plane, String line) {
    String[] w = line.split("\\s+");
    try {
      switch (w[0]) {
        case "" -> { }
        case "stop" -> out.println(w.length == 2 && plane.stopBackend(w[1]) ? "stopped load balancer " + w[1]
            + "; its health checks fail from now on" : "no running load balancer " + (w.length > 1 ? w[1] : "")
            + " (see 'status')");
        case "start" -> {
          if (w.length != 2 || !isDemoBackend(plane, w[1])) {
            out.println("usage: start <ip>, one of the demo load balancers (see 'status')");
          } else {
            plane.startBackend(w[1]);
            out.println("started load balancer " + w[1]);
          }
        }
        case "status" -> status(plane);
        case "help" -> out.println("commands: stop <ip> | start <ip> | status | help   (Ctrl-C stops Bulwark)");
        default -> out.println("unknown command '" + w[0] + "'; try 'help'");
      }
    } catch (Exception e) {
      out.println("error: " + e.getMessage());
    }
  }

  private static boolean isDemoBackend(EmbeddedControlPlane plane, String ip) {
    return plane.services.stream().flatMap(s -> s.allTargets().stream()).anyMatch(t -> t.addressText().equals(ip));
  }

  private void status(EmbeddedControlPlane plane) throws Exception {
    for (ServiceTopology s : plane.services) {
      Pointer p = plane.pointer(s.service());
      EndpointName e = s.candidates().firstKey();
      List<String> dns = plane.published(e);
      out.printf("%-9s ledger pointer %s; DNS %s -> %s%n", s.service(), p, e, dns.isEmpty() ? "(nothing)" : dns);
      StringBuilder lbs = new StringBuilder();
      s.allTargets().forEach(t -> lbs.append(' ').append(t.addressText())
          .append(plane.isBackendRunning(t.addressText()) ? "" : "(stopped)"));
      out.println("          load balancers:" + lbs);
    }
  }
}
