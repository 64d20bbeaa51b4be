package dev.bulwark.agents;

import dev.bulwark.core.ledger.Command;
import dev.bulwark.core.ledger.LedgerQuery;
import dev.bulwark.core.ledger.RejectCode;
import dev.bulwark.core.ledger.Result;
import dev.bulwark.core.port.Ledger;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * Blocking ledger calls for agent rounds, bounded by {@link #TIMEOUT_MILLIS}. A transport failure
 * throws, which fails the round and makes the agent back off; a business rejection is returned.
 */
final class LedgerCalls {
  /** Longest an agent waits for one ledger call. */
  static final long TIMEOUT_MILLIS = 15_000;

  private final Ledger ledger;
  private final Authority authority;
  private final java.util.function.Supplier<dev.bulwark.core.port.Metrics> metrics;

  LedgerCalls(Ledger ledger, Authority authority, java.util.function.Supplier<dev.bulwark.core.port.Metrics> metrics) {
    this.ledger = ledger;
    this.authority = authority;
    this.metrics = metrics;
  }

  <T> T read(LedgerQuery<T> q) throws InterruptedException, ExecutionException, TimeoutException {
    return ledger.read(q).get(TIMEOUT_MILLIS, TimeUnit.MILLISECONDS);
  }

  /** Records an observation in the audit chain, cutting the detail to the ledger's bound. */
  Result observe(dev.bulwark.core.ServiceId service, java.util.Optional<dev.bulwark.core.EndpointName> endpoint,
      Command.Observation kind, String detail, dev.bulwark.core.AzId az, dev.bulwark.core.ActorId actor, long nowMillis)
      throws InterruptedException, ExecutionException, TimeoutException {
    String d = detail.length() <= dev.bulwark.core.ledger.Codec.MAX_REASON_CHARS ? detail
        : detail.substring(0, dev.bulwark.core.ledger.Codec.MAX_REASON_CHARS);
    return submit(new Command.Observe(service, endpoint, kind, d, az, actor, nowMillis));
  }

  /** Submits; a STALE_TOKEN rejection tells the authority that its token is superseded. */
  Result submit(Command c) throws InterruptedException, ExecutionException, TimeoutException {
    Result r = ledger.submit(c).get(TIMEOUT_MILLIS, TimeUnit.MILLISECONDS);
    if (r instanceof Result.Rejected rej) {
      metrics.get().count("bulwark_ledger_rejections_total", "action", c.action(), "code", rej.code().name());
      if (rej.code() == RejectCode.STALE_TOKEN && c instanceof Command.Fenced f) {
        authority.fenced(f.token());
      }
    }
    return r;
  }
}
