package dev.bulwark.chaos;

import dev.bulwark.chaos.kpi.Timeline.ProbeSample;

/** Small predicates over recorded timelines, for assertions. */
final class Timelines {
  private Timelines() {}

  static boolean emptyAnswer(ProbeSample s) {
    return s.isEmpty();
  }
}
