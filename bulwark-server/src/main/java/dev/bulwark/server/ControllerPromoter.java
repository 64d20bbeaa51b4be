package dev.bulwark.server;

import dev.bulwark.agents.Controller;
import dev.bulwark.core.ActorId;
import dev.bulwark.server.api.Promoter;

/** Adapts a controller's {@link Controller#promote} to the API's {@link Promoter}. */
final class ControllerPromoter {
  private ControllerPromoter() {}

  static Promoter.Outcome promote(Controller c, String operator, String reason) throws InterruptedException {
    Controller.Promotion p = c.promote(ActorId.of(operator), reason);
    return new Promoter.Outcome(Promoter.Status.valueOf(p.status().name()), c.identity().value(), p.message());
  }
}
