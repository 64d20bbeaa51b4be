package dev.bulwark.core.ledger;

import dev.bulwark.core.Check;
import dev.bulwark.core.ContentHash;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.OptionalLong;

/**
 * The hash-linked, append-only record of every ledger decision (I5, the playbook's audit plane).
 * Each event's hash covers the previous event's hash, so changing, dropping or reordering any
 * event breaks every later link, and {@link #verify} names the first broken one.
 *
 * <p>Memory: every event is kept (about 200 bytes plus its text). Archiving old events to cold
 * storage is future work; the ledger's limits bound the rate, not the total.
 */
public final class AuditChain {
  private final List<AuditEvent> events = new ArrayList<>();

  /** Appends a new event, computing its id, previous hash and hash. */
  AuditEvent append(
      long logIndex,
      long timeMillis,
      long commandTimeMillis,
      String actor,
      String action,
      String subject,
      boolean accepted,
      String code,
      String detail,
      List<Long> parents) {
    long id = events.size();
    for (long p : parents) {
      Check.state(p >= 0 && p < id, "audit parent %d of event %d does not precede it", p, id);
    }
    // Built with a placeholder hash, then sealed: the hash covers every other field.
    AuditEvent e = new AuditEvent(id, logIndex, timeMillis, commandTimeMillis, actor, action, subject, accepted, code,
        detail, parents, lastHash(), ContentHash.ZERO).sealed();
    events.add(e);
    return e;
  }

  /** Adds an event read from a snapshot, as is; {@link #verify} decides whether to trust it. */
  void restore(AuditEvent e) {
    events.add(e);
  }

  public ContentHash lastHash() {
    return events.isEmpty() ? ContentHash.ZERO : events.get(events.size() - 1).hash();
  }

  public long size() {
    return events.size();
  }

  /** The event with {@code id}. */
  public AuditEvent get(long id) {
    Check.arg(id >= 0 && id < events.size(), "audit event %d does not exist (chain has %d)", id, events.size());
    return events.get((int) id);
  }

  /** Up to {@code limit} events starting at id {@code from}. */
  public List<AuditEvent> range(long from, int limit) {
    Check.arg(from >= 0, "from must be >= 0, but was %d", from);
    Check.arg(limit >= 0, "limit must be >= 0, but was %d", limit);
    if (from >= events.size()) {
      return List.of();
    }
    int end = (int) Math.min(events.size(), from + (long) limit);
    return Collections.unmodifiableList(new ArrayList<>(events.subList((int) from, end)));
  }

  /** Recomputes this chain. */
  public ChainVerification verify() {
    return verify(events);
  }

  /** Recomputes any list of events that claims to be a chain from its start. */
  public static ChainVerification verify(List<AuditEvent> chain) {
    ContentHash prev = ContentHash.ZERO;
    for (int i = 0; i < chain.size(); i++) {
      AuditEvent e = chain.get(i);
      String problem = null;
      if (e.id() != i) {
        problem = "event at position " + i + " has id " + e.id();
      } else if (!e.prevHash().equals(prev)) {
        problem = "event " + i + " links to " + e.prevHash().shortHex() + " but the previous event's hash is "
            + prev.shortHex() + " (an event before it was changed, dropped or reordered)";
      } else if (!e.computeHash().equals(e.hash())) {
        problem = "event " + i + " (" + e.action() + " " + e.subject() + ") does not match its hash "
            + e.hash().shortHex() + " (its content was changed)";
      } else if (i > 0 && e.logIndex() <= chain.get(i - 1).logIndex()) {
        problem = "event " + i + " has log index " + e.logIndex() + ", not after " + chain.get(i - 1).logIndex();
      } else {
        for (long p : e.parents()) {
          if (p < 0 || p >= i) {
            problem = "event " + i + " names parent " + p + ", which does not precede it";
            break;
          }
        }
      }
      if (problem != null) {
        return new ChainVerification(false, i, OptionalLong.of(i), problem);
      }
      prev = e.hash();
    }
    return new ChainVerification(true, chain.size(), OptionalLong.empty(), "intact: " + chain.size() + " events");
  }
}
