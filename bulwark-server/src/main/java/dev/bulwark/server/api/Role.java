package dev.bulwark.server.api;

import java.util.Locale;

/**
 * What an API token may do. Roles are ordered: each one may do everything the roles before it may
 * (viewer &lt; operator &lt; approver &lt; admin).
 */
public enum Role {
  /** Reads everything: cluster, services, plans, endpoints, approvals, audit. */
  VIEWER,
  /** Also pauses, resumes, pins, unpins and rolls back. */
  OPERATOR,
  /** Also approves and rejects pending over-budget steps (never its own: two-person rule). */
  APPROVER,
  /** Everything; reserved for administrative routes. */
  ADMIN;

  /** True if this role may do what {@code needed} may. */
  public boolean covers(Role needed) {
    return compareTo(needed) >= 0;
  }

  /** The lower-case name used in documents and messages, e.g. {@code operator}. */
  public String label() {
    return name().toLowerCase(Locale.ROOT);
  }
}
