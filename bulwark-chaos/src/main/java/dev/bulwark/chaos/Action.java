package dev.bulwark.chaos;

import dev.bulwark.core.Check;

/**
 * An instant step of a method: an automated actor attempts something, and the result is recorded.
 * Unlike a {@link Fault}, nothing is removed afterwards. Names in {@link #kind()} are the ones
 * used in scenario files (docs/gamedays.md).
 */
public sealed interface Action extends Activity {
  /**
   * An automated actor in {@code az} asks to delete every record of the service's first endpoint
   * (Appendix C's "Enactor-1 deletes record A"): in safe mode a plan with the endpoint empty goes to
   * the ledger and must be validated; the 2025 design just applies it.
   */
  record ProposeDelete(String service, String az) implements Action {
    public ProposeDelete {
      Check.notNull(service, "service");
      Check.notNull(az, "az");
    }

    @Override
    public String kind() {
      return "propose-delete";
    }

    @Override
    public String describe() {
      return "an actor in " + az + " asks to delete every record of " + service;
    }
  }

  /** An actor in {@code az} reads the service's first endpoint from DNS (Appendix C's "Enactor-3 reads"). */
  record ReadDns(String service, String az) implements Action {
    public ReadDns {
      Check.notNull(service, "service");
      Check.notNull(az, "az");
    }

    @Override
    public String kind() {
      return "read-dns";
    }

    @Override
    public String describe() {
      return "an actor in " + az + " reads " + service + " from DNS";
    }
  }
}
