package dev.bulwark.core.ledger;

import dev.bulwark.core.ActorId;
import dev.bulwark.core.AzId;
import dev.bulwark.core.Check;
import dev.bulwark.core.ContentHash;
import dev.bulwark.core.Generation;
import dev.bulwark.core.Plan;
import java.util.Collections;
import java.util.Optional;
import java.util.SortedMap;
import java.util.TreeMap;

/**
 * A plan as the ledger keeps it: its content (until purged), its generation and state, who
 * proposed it and when, the AZs' votes and, once quarantined, when it was marked. Immutable; the
 * ledger replaces the whole value on every change.
 *
 * @param markedAtMillis ledger time the plan entered PENDING_DELETION, or -1
 * @param purgeableAtMillis ledger time from which it may be purged (its quarantine as promised
 *     when it was marked), or -1
 */
public record StoredPlan(
    Generation generation,
    ContentHash contentHash,
    Optional<Plan> content,
    PlanState state,
    Provenance provenance,
    ActorId proposedBy,
    long proposedAtMillis,
    long proposalEventId,
    SortedMap<AzId, Ballot> votes,
    long markedAtMillis,
    long purgeableAtMillis) {

  public StoredPlan {
    Check.notNull(generation, "generation");
    Check.notNull(contentHash, "contentHash");
    Check.notNull(content, "content");
    Check.notNull(state, "state");
    Check.notNull(provenance, "provenance");
    Check.notNull(proposedBy, "proposedBy");
    votes = Collections.unmodifiableSortedMap(new TreeMap<>(Check.notNull(votes, "votes")));
    Check.arg(content.isPresent() == state.hasContent(), "a plan has content unless it is PURGED");
    content.ifPresent(
        p -> Check.arg(p.contentHash().equals(contentHash), "plan content does not match its hash"));
  }

  /** Distinct AZs that approved. */
  public int approvals() {
    return (int) votes.values().stream().filter(Ballot::approve).count();
  }

  /** Distinct AZs that rejected. */
  public int rejections() {
    return votes.size() - approvals();
  }

  /** The content; a bug to call on a purged plan (callers check the state first). */
  public Plan plan() {
    return content.orElseThrow(() -> new IllegalStateException("invariant broken: plan " + generation + " is purged"));
  }

  StoredPlan withState(PlanState next) {
    return new StoredPlan(
        generation, contentHash, next.hasContent() ? content : Optional.empty(), state.moveTo(next), provenance,
        proposedBy, proposedAtMillis, proposalEventId, votes, markedAtMillis, purgeableAtMillis);
  }

  StoredPlan withVote(Ballot ballot, PlanState next) {
    SortedMap<AzId, Ballot> v = new TreeMap<>(votes);
    v.put(ballot.az(), ballot);
    PlanState s = next == state ? state : state.moveTo(next);
    return new StoredPlan(
        generation, contentHash, content, s, provenance, proposedBy, proposedAtMillis, proposalEventId, v,
        markedAtMillis, purgeableAtMillis);
  }

  StoredPlan markedAt(long nowMillis, long purgeableAt) {
    return new StoredPlan(
        generation, contentHash, content, state.moveTo(PlanState.PENDING_DELETION), provenance, proposedBy,
        proposedAtMillis, proposalEventId, votes, nowMillis, purgeableAt);
  }
}
