package dev.bulwark.chaos.kpi;

import dev.bulwark.chaos.Kpi;
import dev.bulwark.core.Check;
import java.util.ArrayList;
import java.util.List;
import java.util.OptionalDouble;

/**
 * p50, p90 and max of one KPI over repetitions, by the nearest-rank method: the p-th percentile of
 * n sorted values is the value at rank ceil(p/100 * n), 1-based. No interpolation, so every value
 * reported is one that was measured.
 *
 * <p>Absent time KPIs (never detected, never recovered) sort as +∞ and are reported as ∞: hiding
 * them would flatter the result. An absent CFI (no change at all) is undefined rather than
 * infinite, and is left out.
 *
 * @param runs how many runs contributed a value (absent times included)
 * @param absent how many of those were absent
 */
public record Stats(Kpi kpi, int runs, int absent, OptionalDouble p50, OptionalDouble p90, OptionalDouble max) {
  public Stats {
    Check.notNull(kpi, "kpi");
    Check.arg(runs >= 0 && absent >= 0 && absent <= runs, "0 <= absent <= runs, but were %d and %d", absent, runs);
  }

  /** The statistics of {@code values} (one per run) for {@code kpi}. */
  public static Stats of(Kpi kpi, List<OptionalDouble> values) {
    boolean infinite = kpi != Kpi.CFI;
    List<Double> v = new ArrayList<>();
    int absent = 0;
    for (OptionalDouble d : values) {
      if (d.isPresent()) {
        v.add(d.getAsDouble());
      } else if (infinite) {
        v.add(Double.POSITIVE_INFINITY);
        absent++;
      }
    }
    v.sort(Double::compare);
    return new Stats(kpi, v.size(), absent, rank(v, 50), rank(v, 90), v.isEmpty() ? OptionalDouble.empty()
        : OptionalDouble.of(v.get(v.size() - 1)));
  }

  /** The nearest-rank {@code p}-th percentile of sorted {@code v}; empty for no values. */
  public static OptionalDouble rank(List<Double> v, int p) {
    Check.arg(p > 0 && p <= 100, "p must be 1..100, but was %d", p);
    if (v.isEmpty()) {
      return OptionalDouble.empty();
    }
    int r = (int) Math.ceil(p / 100.0 * v.size());
    return OptionalDouble.of(v.get(Math.max(1, r) - 1));
  }

  /** A statistic as reports show it: {@code ∞} for absent times, {@code n/a} when nothing was measured. */
  public static String show(OptionalDouble d) {
    return d.isPresent() ? Kpi.format(d.getAsDouble()) : "n/a";
  }
}
