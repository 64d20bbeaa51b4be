package dev.bulwark.dns;

import java.util.concurrent.ThreadLocalRandom;

/**
 * Chooses how long to wait before a retry, so that many Enactors retrying after one outage do not
 * all hit the server at the same instant. Injected so tests can make retries deterministic.
 */
@FunctionalInterface
public interface Jitter {
  /** A delay in 0..{@code boundMillis} milliseconds. */
  long delayMillis(long boundMillis);

  /** Uniformly random "full jitter", the default. */
  static Jitter uniform() {
    return bound -> bound <= 0 ? 0 : ThreadLocalRandom.current().nextLong(bound + 1);
  }
}
