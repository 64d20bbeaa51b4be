package dev.bulwark.server;

import dev.bulwark.core.Check;
import java.nio.file.Path;

/**
 * Where {@code bulwark up} keeps its state and which loopback ports it uses.
 *
 * @param dataDir ledger logs and snapshots, the DNS zone and the TSIG key; survives restarts.
 *     Default {@code ./data}.
 * @param dnsPort UDP and TCP port of the embedded DNS server. Default {@value #DEFAULT_DNS_PORT}.
 * @param ledgerPort first of three consecutive ports of the ledger peers (az-a, az-b, az-c).
 *     Default {@value #DEFAULT_LEDGER_PORT}.
 * @param backendPort port of the demo load balancers' health endpoint. Default {@value
 *     #DEFAULT_BACKEND_PORT}.
 * @param apiPort port of the HTTP API, the console and {@code /metrics} on 127.0.0.1. Default
 *     {@value #DEFAULT_API_PORT}.
 */
record UpOptions(Path dataDir, int dnsPort, int ledgerPort, int backendPort, int apiPort) {
  static final String DEFAULT_DATA_DIR = "data";
  static final int DEFAULT_DNS_PORT = 5300;
  static final int DEFAULT_LEDGER_PORT = 7101;
  static final int DEFAULT_BACKEND_PORT = 18080;
  static final int DEFAULT_API_PORT = 8080;

  UpOptions {
    Check.notNull(dataDir, "dataDir");
    Check.arg(dnsPort >= 1 && dnsPort <= 65_535, "--dns-port must be 1..65535, but was %d", dnsPort);
    Check.arg(ledgerPort >= 1 && ledgerPort <= 65_533, "--ledger-port must be 1..65533 (it uses three ports), but was %d",
        ledgerPort);
    Check.arg(backendPort >= 1 && backendPort <= 65_535, "--backend-port must be 1..65535, but was %d", backendPort);
    Check.arg(apiPort >= 1 && apiPort <= 65_535, "--api-port must be 1..65535, but was %d", apiPort);
  }
}
