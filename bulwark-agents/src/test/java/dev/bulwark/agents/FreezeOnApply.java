package dev.bulwark.agents;

import dev.bulwark.core.EndpointName;
import dev.bulwark.core.port.ApplyOutcome;
import dev.bulwark.core.port.ApplyRequest;
import dev.bulwark.core.port.DnsTarget;
import dev.bulwark.core.port.ReadOutcome;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * Freezes a node at the worst moment, once armed: the next DNS update pauses the node's gate just
 * after its writer read the marker and before the update leaves. The update then waits at the
 * gate and is sent, with its stale precondition, when the node resumes.
 */
final class FreezeOnApply implements DnsTarget {
  private final PauseGate gate;
  private final DnsTarget gated;
  private final AtomicBoolean armed = new AtomicBoolean();
  private volatile CountDownLatch frozen = new CountDownLatch(1);

  /** {@code gated} must go through {@code gate}, so that the update waits there. */
  FreezeOnApply(PauseGate gate, DnsTarget gated) {
    this.gate = gate;
    this.gated = gated;
  }

  /** Freezes the node at the next update; {@link #frozen()} opens when that happened. */
  void arm() {
    frozen = new CountDownLatch(1);
    armed.set(true);
  }

  CountDownLatch frozen() {
    return frozen;
  }

  @Override
  public ReadOutcome read(EndpointName endpoint) {
    return gated.read(endpoint);
  }

  @Override
  public ApplyOutcome apply(ApplyRequest request) {
    if (armed.compareAndSet(true, false)) {
      gate.pause();
      frozen.countDown();
    }
    return gated.apply(request);
  }
}
