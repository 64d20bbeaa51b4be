package dev.bulwark.ledger;

import dev.bulwark.core.Check;

/**
 * Tuning of one ledger peer. Every option has a documented default; none weakens durability (the
 * log is always fsynced before an acknowledgement).
 *
 * @param electionTimeoutMinMillis lower bound of the randomized Raft election timeout. Default
 *     {@value #DEFAULT_ELECTION_TIMEOUT_MIN_MILLIS}; a leader is elected 1-2 s after start.
 * @param electionTimeoutMaxMillis upper bound. Default {@value #DEFAULT_ELECTION_TIMEOUT_MAX_MILLIS}.
 * @param snapshotThresholdEntries take a snapshot after this many log entries since the last one,
 *     so a restart replays at most about this many commands. Default {@value
 *     #DEFAULT_SNAPSHOT_THRESHOLD_ENTRIES}.
 * @param readTimeoutMillis bound of a linearizable read's wait for the read index. Default {@value
 *     #DEFAULT_READ_TIMEOUT_MILLIS}.
 */
public record PeerOptions(
    long electionTimeoutMinMillis, long electionTimeoutMaxMillis, long snapshotThresholdEntries, long readTimeoutMillis) {
  public static final long DEFAULT_ELECTION_TIMEOUT_MIN_MILLIS = 400;
  public static final long DEFAULT_ELECTION_TIMEOUT_MAX_MILLIS = 800;
  public static final long DEFAULT_SNAPSHOT_THRESHOLD_ENTRIES = 10_000;
  public static final long DEFAULT_READ_TIMEOUT_MILLIS = 5_000;

  public static final PeerOptions DEFAULT = new PeerOptions(DEFAULT_ELECTION_TIMEOUT_MIN_MILLIS,
      DEFAULT_ELECTION_TIMEOUT_MAX_MILLIS, DEFAULT_SNAPSHOT_THRESHOLD_ENTRIES, DEFAULT_READ_TIMEOUT_MILLIS);

  public PeerOptions {
    Check.arg(electionTimeoutMinMillis >= 50 && electionTimeoutMinMillis <= 60_000,
        "electionTimeoutMinMillis must be 50..60000, but was %d", electionTimeoutMinMillis);
    Check.arg(electionTimeoutMaxMillis > electionTimeoutMinMillis && electionTimeoutMaxMillis <= 120_000,
        "electionTimeoutMaxMillis must be greater than electionTimeoutMinMillis (%d) and at most 120000, but was %d",
        electionTimeoutMinMillis, electionTimeoutMaxMillis);
    Check.arg(snapshotThresholdEntries >= 10 && snapshotThresholdEntries <= 100_000_000,
        "snapshotThresholdEntries must be 10..100000000, but was %d", snapshotThresholdEntries);
    Check.arg(readTimeoutMillis >= 100 && readTimeoutMillis <= 600_000,
        "readTimeoutMillis must be 100..600000, but was %d", readTimeoutMillis);
  }

  public PeerOptions withSnapshotThresholdEntries(long n) {
    return new PeerOptions(electionTimeoutMinMillis, electionTimeoutMaxMillis, n, readTimeoutMillis);
  }
}
