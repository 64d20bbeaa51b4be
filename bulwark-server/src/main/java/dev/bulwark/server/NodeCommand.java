package dev.bulwark.server;

import dev.bulwark.server.config.BulwarkConfig;
import dev.bulwark.server.config.ConfigException;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.Locale;
import java.util.concurrent.Callable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code bulwark node --config FILE}: one Availability Zone of a distributed deployment. */
@Command(
    name = "node",
    mixinStandardHelpOptions = true,
    exitCodeListHeading = "%nExit codes:%n",
    exitCodeList = {"0:stopped by SIGTERM or Ctrl-C, after a clean shutdown",
        "1:could not start (the message says why)", "2:bad options or a bad configuration file"},
    description = {
      "Runs one AZ of a distributed Bulwark: this AZ's ledger peer, its health checks, Validator and Enactor, a"
          + " controller candidate (only the authority-lease holder's Planner, Auditor and Janitor act), and the"
          + " HTTP API. DNS goes to an external authoritative server over RFC 2136 with TSIG (or the embedded one).",
      "Run one per AZ, each with its own configuration file; see docs/configuration.md and examples/."
    })
final class NodeCommand implements Callable<Integer> {
  @Option(names = "--config", paramLabel = "FILE", required = true,
      description = "The node's YAML configuration (schema: docs/configuration.md).")
  Path config;

  @Mixin LoggingOptions logging = new LoggingOptions();

  private final PrintStream out;

  NodeCommand(PrintStream out) {
    this.out = out;
  }

  @Override
  public Integer call() {
    BulwarkConfig cfg;
    try {
      cfg = BulwarkConfig.load(config);
    } catch (ConfigException e) {
      out.println("error: " + e.getMessage());
      return 2;
    }
    try {
      logging.apply(cfg.logging().format().name().toLowerCase(Locale.ROOT), cfg.logging().level().name());
    } catch (IllegalArgumentException e) {
      out.println("error: " + e.getMessage());
      return 2;
    }
    Logger log = LoggerFactory.getLogger(NodeCommand.class);
    log.info("effective configuration of {}:\n{}", config, cfg.effectiveConfig());
    cfg.warnings().forEach(w -> log.warn("{}: {}", config, w));
    NodeControlPlane node;
    try {
      node = NodeControlPlane.start(cfg);
    } catch (EmbeddedControlPlane.StartupException e) {
      log.error("could not start: {}", e.getMessage());
      out.println("error: " + e.getMessage());
      return 1;
    }
    out.printf("bulwark node %s is up: ledger peer %s, API http://%s:%d/api/v1%n", cfg.az(),
        cfg.cluster().peers().get(cfg.az()), cfg.api().bind().getHostAddress(), node.api().port());
    Lifecycle.runUntilShutdown(node, log);
    return 0;
  }
}
