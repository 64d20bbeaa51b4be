package dev.bulwark.server.config;

import dev.bulwark.core.AzId;
import dev.bulwark.core.Check;
import java.nio.file.Path;

/**
 * The {@code node} section: which AZ this node runs and where it keeps its state.
 *
 * @param az this node's AZ; must be one of {@code cluster.peers}
 * @param dataDir ledger log and snapshots (and the embedded DNS zone), resolved against the
 *     config file's directory. Default {@value #DEFAULT_DATA_DIR}.
 */
public record NodeConfig(AzId az, Path dataDir) {
  /** Default data directory, relative to the config file. */
  public static final String DEFAULT_DATA_DIR = "data";

  /** Validates that nothing is null. */
  public NodeConfig {
    Check.notNull(az, "node AZ");
    Check.notNull(dataDir, "data directory");
  }

  /** Where this node's ledger peer keeps its Raft log and snapshots: {@code <dataDir>/ledger}. */
  public Path ledgerDir() {
    return dataDir.resolve("ledger");
  }
}
