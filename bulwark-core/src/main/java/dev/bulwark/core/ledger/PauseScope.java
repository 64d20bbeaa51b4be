package dev.bulwark.core.ledger;

import dev.bulwark.core.AzId;
import dev.bulwark.core.Check;
import dev.bulwark.core.ServiceId;

/**
 * What an operator pause covers: everything, one AZ's agents, or one service. A pause stops
 * automation (proposals, votes from a paused AZ, pointer advances); operators' own explicit actions
 * still work, which is the point of a Human Override Protocol that needs no shutdown.
 */
public record PauseScope(Kind kind, String name) implements Comparable<PauseScope> {
  /** Scope kinds. */
  public enum Kind {
    GLOBAL,
    AZ,
    SERVICE
  }

  public static final PauseScope GLOBAL = new PauseScope(Kind.GLOBAL, "*");

  public PauseScope {
    Check.notNull(kind, "pause scope kind");
    Check.notNull(name, "pause scope name");
    switch (kind) {
      case GLOBAL -> Check.arg(name.equals("*"), "a global pause scope is named '*', but was '%s'", name);
      case AZ -> new AzId(name);
      case SERVICE -> new ServiceId(name);
    }
  }

  public static PauseScope az(AzId az) {
    return new PauseScope(Kind.AZ, az.value());
  }

  public static PauseScope service(ServiceId service) {
    return new PauseScope(Kind.SERVICE, service.value());
  }

  @Override
  public int compareTo(PauseScope o) {
    int c = kind.compareTo(o.kind);
    return c != 0 ? c : name.compareTo(o.name);
  }

  @Override
  public String toString() {
    return kind == Kind.GLOBAL ? "global" : kind.name().toLowerCase(java.util.Locale.ROOT) + ":" + name;
  }
}
