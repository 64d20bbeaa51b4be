package dev.bulwark.core.ledger;

import dev.bulwark.core.Check;
import dev.bulwark.core.ContentHash;
import dev.bulwark.core.internal.BinaryWriter;
import java.util.List;

/**
 * One link of the audit chain (I5): one per command, accepted or rejected, written in the same
 * apply step that made the decision.
 *
 * @param id position in the chain, 0, 1, 2, ...
 * @param logIndex the Raft log index of the command
 * @param timeMillis ledger time after the command (the largest time seen so far)
 * @param commandTimeMillis the sender's own clock reading; the gap to {@code timeMillis} shows
 *     clock divergence across AZs
 * @param action the command, e.g. {@code AdvancePointer}
 * @param subject what it acted on, e.g. {@code dynamodb/g7}
 * @param code the outcome code if accepted, the {@link RejectCode} name if rejected
 * @param detail a human-readable account
 * @param parents ids of the events this decision rests on (the causal event graph): an advance
 *     names its plan's proposal and votes, an apply names its advance, a purge its mark
 * @param hash SHA-256 over {@code prevHash} and every field above
 */
public record AuditEvent(
    long id,
    long logIndex,
    long timeMillis,
    long commandTimeMillis,
    String actor,
    String action,
    String subject,
    boolean accepted,
    String code,
    String detail,
    List<Long> parents,
    ContentHash prevHash,
    ContentHash hash) {

  public AuditEvent {
    Check.notNull(actor, "actor");
    Check.notNull(action, "action");
    Check.notNull(subject, "subject");
    Check.notNull(code, "code");
    Check.notNull(detail, "detail");
    parents = List.copyOf(Check.notNull(parents, "parents"));
    Check.notNull(prevHash, "prevHash");
    Check.notNull(hash, "hash");
  }

  /** The hash this event must carry, computed from its other fields. */
  public ContentHash computeHash() {
    BinaryWriter w = new BinaryWriter(128 + detail.length());
    w.raw(prevHash.bytes()).i64(id).i64(logIndex).i64(timeMillis).i64(commandTimeMillis);
    w.str(actor).str(action).str(subject).bool(accepted).str(code).str(detail);
    w.i32(parents.size());
    for (long p : parents) {
      w.i64(p);
    }
    return ContentHash.sha256(w.toByteArray());
  }

  /** This event sealed with its computed hash. */
  AuditEvent sealed() {
    return new AuditEvent(id, logIndex, timeMillis, commandTimeMillis, actor, action, subject, accepted, code, detail,
        parents, prevHash, computeHash());
  }
}
