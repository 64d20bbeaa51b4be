package dev.bulwark.agents;

import dev.bulwark.core.ActorId;
import dev.bulwark.core.Check;
import dev.bulwark.core.FencingToken;
import dev.bulwark.core.Generation;
import dev.bulwark.core.Pointer;
import dev.bulwark.core.ServiceId;
import dev.bulwark.core.ledger.Command;
import dev.bulwark.core.ledger.LedgerQuery;
import dev.bulwark.core.ledger.ServiceDefinition;
import dev.bulwark.core.ledger.StoredPlan;
import dev.bulwark.core.port.Ledger;
import dev.bulwark.core.port.Scheduler;
import java.time.Duration;
import java.util.List;
import java.util.Optional;

/**
 * Staged deletion (I4): marks plans more than {@code keepGenerations} behind the active one, and
 * purges marked plans once their quarantine TTL is over. It asks; the ledger decides: a plan that
 * is referenced (active, last-known-good, pending, live in DNS, in flight) is refused, whatever
 * this agent believes. Runs only while its controller holds the authority.
 */
public final class Janitor extends LoopAgent {
  /**
   * Janitor options.
   *
   * @param intervalMillis time between rounds. Default {@value #DEFAULT_INTERVAL_MILLIS}.
   * @param keepGenerations generations behind the active one that are never even marked. Default
   *     {@value #DEFAULT_KEEP_GENERATIONS}.
   */
  public record Options(long intervalMillis, int keepGenerations) {
    public static final long DEFAULT_INTERVAL_MILLIS = 10_000;
    public static final int DEFAULT_KEEP_GENERATIONS = 10;
    public static final Options DEFAULT = new Options(DEFAULT_INTERVAL_MILLIS, DEFAULT_KEEP_GENERATIONS);

    public Options {
      Check.arg(intervalMillis >= 10 && intervalMillis <= 86_400_000L, "intervalMillis must be 10..86400000, but was %d",
          intervalMillis);
      Check.arg(keepGenerations >= 1 && keepGenerations <= 100_000, "keepGenerations must be 1..100000, but was %d",
          keepGenerations);
    }
  }

  /** Most plans one round looks at per service. */
  static final int MAX_PLANS_PER_ROUND = LedgerQuery.Plans.MAX_PAGE;

  private final ActorId actor;
  private final List<ServiceId> services;
  private final LedgerCalls ledger;
  private final Authority authority;
  private final Options options;

  /** A Janitor that acts as {@code janitor}; for one controller per process. */
  public Janitor(List<ServiceId> services, Ledger ledger, Authority authority, Scheduler scheduler,
      Options options) {
    this(ActorId.of("janitor"), services, ledger, authority, scheduler, options);
  }

  /** A Janitor that acts as {@code actor}, so that two controllers' Janitors can be told apart in the audit chain. */
  public Janitor(ActorId actor, List<ServiceId> services, Ledger ledger, Authority authority, Scheduler scheduler,
      Options options) {
    super(actor.value(), scheduler, Duration.ofMillis(options.intervalMillis()));
    this.actor = actor;
    this.services = List.copyOf(services);
    this.ledger = new LedgerCalls(ledger, authority, this::metrics);
    this.authority = Check.notNull(authority, "authority");
    this.options = Check.notNull(options, "options");
  }

  @Override
  protected void runRound() throws Exception {
    Optional<FencingToken> token = authority.token();
    if (token.isEmpty()) {
      return;
    }
    for (ServiceId service : services) {
      Optional<ServiceDefinition> def = ledger.read(new LedgerQuery.ServiceOf(service));
      Pointer pointer = ledger.read(new LedgerQuery.PointerOf(service));
      if (def.isEmpty() || pointer.version() == 0) {
        continue;
      }
      long ttl = def.get().policy().quarantineTtlMillis();
      long keepFrom = pointer.generation().value() - options.keepGenerations();
      for (StoredPlan p : ledger.read(new LedgerQuery.Plans(service, Generation.of(1), MAX_PLANS_PER_ROUND))) {
        if (p.generation().value() >= keepFrom) {
          break;
        }
        switch (p.state()) {
          case PROPOSED, APPROVED, REJECTED, RETIRED ->
              ledger.submit(new Command.MarkForDeletion(service, p.generation(), token.get(), actor,
                  scheduler.nowMillis()));
          case PENDING_DELETION -> {
            if (scheduler.nowMillis() >= p.markedAtMillis() + ttl) {
              ledger.submit(new Command.Purge(service, p.generation(), token.get(), actor, scheduler.nowMillis()));
            }
          }
          default -> { }
        }
      }
    }
  }
}
