package dev.bulwark.ledger;

/** A wait on a local ledger peer that was stopped; the read is retried through the cluster. */
final class PeerStoppedException extends IllegalStateException {
  private static final long serialVersionUID = 1L;

  PeerStoppedException(String message) {
    super(message);
  }
}
