package dev.bulwark.server.cli;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.io.PrintWriter;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.jspecify.annotations.Nullable;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * The client commands of {@code bulwark}, each one request to the HTTP API. Register them as
 * subcommands with {@code ClientCommands.all().forEach(commandLine::addSubcommand)}.
 *
 * <p>Exit codes, for every command: 0 success; 1 the server refused (4xx, the problem's title and
 * detail are printed); 2 usage error; 3 the server can't be reached or failed (5xx).
 */
public final class ClientCommands {
  private ClientCommands() {}

  static final String EXIT_HEADING = "%nExit codes:%n";
  static final String EXIT_0 = "0:success";
  static final String EXIT_1 = "1:the server refused (4xx); its problem title and detail are printed";
  static final String EXIT_2 = "2:usage error";
  static final String EXIT_3 = "3:cannot reach the server, or it failed (5xx)";

  /** Every client command class, for {@code CommandLine.addSubcommand}. */
  public static List<Class<?>> all() {
    return List.of(Status.class, Services.class, Plans.class, Approvals.class, Audit.class, Pause.class, Resume.class,
        Approve.class, Reject.class, Pin.class, Unpin.class, Rollback.class, Promote.class);
  }

  private static Map<String, Object> body(String reason) {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("reason", reason);
    return m;
  }

  /** {@code bulwark status}: ledger peers, leader, authority lease and pauses. */
  @Command(name = "status", mixinStandardHelpOptions = true, description = "Shows the ledger peers, the leader, the"
      + " authority lease and the pauses in force.", exitCodeListHeading = EXIT_HEADING,
      exitCodeList = {EXIT_0, EXIT_1, EXIT_2, EXIT_3})
  public static final class Status extends ClientCommand {
    @Override
    ApiClient.Response send(ApiClient client) throws IOException, InterruptedException {
      return client.get("/api/v1/cluster");
    }

    @Override
    void render(JsonNode c, PrintWriter out) {
      TextTable t = new TextTable("PEER", "ADDRESS", "REACHABLE", "LEADER", "APPLIED");
      for (JsonNode p : c.path("peers")) {
        t.row(text(p, "az"), text(p, "address"), yesNo(p.get("reachable")), p.path("leader").asBoolean() ? "*" : "",
            text(p, "appliedIndex"));
      }
      t.print(out);
      JsonNode l = c.path("ledger");
      if (l.path("available").asBoolean()) {
        out.println("ledger: log index " + text(l, "lastLogIndex") + ", " + text(l, "services") + " services, "
            + text(l, "pendingApprovals") + " pending approvals, " + text(l, "auditEvents") + " audit events");
      } else {
        out.println("ledger: UNAVAILABLE (" + text(l, "error") + ")");
      }
      JsonNode a = c.path("authority");
      out.println(a.isObject() ? "authority: " + text(a, "holder") + ", epoch " + text(a, "epoch") + ", token "
          + text(a, "token") + ", expires " + time(a.get("expiresAtMillis")) + (a.path("expired").asBoolean()
              ? " (EXPIRED)" : "") : "authority: none");
      StringBuilder pauses = new StringBuilder();
      for (JsonNode p : c.path("pauses")) {
        pauses.append(pauses.length() == 0 ? "" : "; ").append(text(p, "scope"))
            .append(p.path("name").isNull() ? "" : " " + text(p, "name")).append(" (").append(text(p, "reason"))
            .append(')');
      }
      out.println("pauses: " + (pauses.length() == 0 ? "none" : pauses));
    }
  }

  /** {@code bulwark services}: every service with its pointer and controls. */
  @Command(name = "services", mixinStandardHelpOptions = true, description = "Lists the services with their"
      + " pointer, newest generation, last-known-good and controls.", exitCodeListHeading = EXIT_HEADING,
      exitCodeList = {EXIT_0, EXIT_1, EXIT_2, EXIT_3})
  public static final class Services extends ClientCommand {
    @Override
    ApiClient.Response send(ApiClient client) throws IOException, InterruptedException {
      return client.get("/api/v1/services");
    }

    @Override
    void render(JsonNode body, PrintWriter out) {
      TextTable t = new TextTable("SERVICE", "POINTER", "LATEST", "LAST-GOOD", "PAUSED", "PINNED", "ENDPOINTS");
      for (JsonNode s : body.path("services")) {
        t.row(text(s, "id"), pointer(s.path("pointer")), "g" + text(s, "latestGeneration"),
            s.path("lastKnownGood").isNull() ? "-" : "g" + text(s, "lastKnownGood"), yesNo(s.get("paused")),
            yesNo(s.get("pinned")), s.path("endpoints").size());
      }
      t.print(out);
    }
  }

  /** {@code bulwark plans <service> [--diff A B]}: stored plans, or what changed between two. */
  @Command(name = "plans", mixinStandardHelpOptions = true, description = "Lists a service's plans, oldest first;"
      + " with --diff, the targets added, removed and changed from plan A to plan B.",
      exitCodeListHeading = EXIT_HEADING, exitCodeList = {EXIT_0, EXIT_1, EXIT_2, EXIT_3})
  public static final class Plans extends ClientCommand {
    @Parameters(index = "0", paramLabel = "SERVICE", description = "The service, e.g. dynamodb.")
    String service = "";

    @Option(names = "--diff", arity = "2", paramLabel = "GEN", description = "Compare two generations, e.g. --diff 4 7.")
    long @Nullable [] diff;

    @Option(names = "--from", paramLabel = "GEN", description = "First generation to list (default: 1).")
    long from = 1;

    @Option(names = "--limit", paramLabel = "N", description = "Plans per page, 1..1000 (default: 50).")
    int limit = 50;

    @Override
    ApiClient.Response send(ApiClient client) throws IOException, InterruptedException {
      String base = "/api/v1/services/" + ApiClient.seg(service) + "/plans";
      if (diff != null) {
        return client.get(base + "/" + diff[0] + "/diff/" + diff[1]);
      }
      return client.get(base + "?from=" + from + "&limit=" + limit);
    }

    @Override
    void render(JsonNode body, PrintWriter out) {
      if (diff != null) {
        renderDiff(body, out);
        return;
      }
      TextTable t = new TextTable("GEN", "STATE", "VOTES", "TARGETS", "PROPOSED-BY", "PROPOSED-AT", "NOTE");
      for (JsonNode p : body.path("plans")) {
        JsonNode rb = p.path("rollback");
        t.row("g" + text(p, "generation"), text(p, "state"), "+" + text(p, "approvals") + "/-" + text(p, "rejections"),
            text(p, "targetCount"), text(p, "proposedBy"), time(p.get("proposedAtMillis")),
            rb.isObject() ? "rollback to g" + text(rb, "source") : "");
      }
      t.print(out);
      if (!body.path("next").isNull()) {
        out.println("more: --from " + text(body, "next"));
      }
    }

    private static void renderDiff(JsonNode d, PrintWriter out) {
      out.println("g" + text(d, "from") + " -> g" + text(d, "to") + " of " + text(d, "service"));
      if (d.path("endpoints").isEmpty()) {
        out.println("no differences");
      }
      for (JsonNode e : d.path("endpoints")) {
        out.println(text(e, "endpoint") + ":");
        for (JsonNode t : e.path("removed")) {
          out.println("  - " + target(t));
        }
        for (JsonNode t : e.path("added")) {
          out.println("  + " + target(t));
        }
        for (JsonNode c : e.path("changed")) {
          out.println("  ~ " + text(c, "address") + " w=" + c.at("/from/weight").asInt() + " " + c.at("/from/az")
              .asText() + " -> w=" + c.at("/to/weight").asInt() + " " + c.at("/to/az").asText());
        }
      }
    }

    private static String target(JsonNode t) {
      return text(t, "address") + " (w=" + text(t, "weight") + ", " + text(t, "az") + ")";
    }
  }

  /** {@code bulwark approvals}: the pending over-budget steps, with the ids approve and reject take. */
  @Command(name = "approvals", mixinStandardHelpOptions = true, description = "Lists the pending over-budget steps"
      + " waiting for an approver.", exitCodeListHeading = EXIT_HEADING, exitCodeList = {EXIT_0, EXIT_1, EXIT_2, EXIT_3})
  public static final class Approvals extends ClientCommand {
    @Override
    ApiClient.Response send(ApiClient client) throws IOException, InterruptedException {
      return client.get("/api/v1/approvals");
    }

    @Override
    void render(JsonNode body, PrintWriter out) {
      TextTable t = new TextTable("ID", "SERVICE", "TO", "AT-VERSION", "REQUESTED-BY", "REQUESTED-AT", "WHY");
      for (JsonNode p : body.path("approvals")) {
        t.row(text(p, "id"), text(p, "service"), "g" + text(p, "generation"), "v" + text(p, "expectedVersion"),
            text(p, "requestedBy"), time(p.get("requestedAtMillis")), text(p, "reason"));
      }
      t.print(out);
    }
  }

  /** {@code bulwark audit}: the audit chain, filtered and paged. */
  @Command(name = "audit", mixinStandardHelpOptions = true, description = "Shows audit events, oldest first,"
      + " filtered by service, actor and code.", exitCodeListHeading = EXIT_HEADING,
      exitCodeList = {EXIT_0, EXIT_1, EXIT_2, EXIT_3})
  public static final class Audit extends ClientCommand {
    @Option(names = "--service", paramLabel = "SERVICE", description = "Only events about this service.")
    @Nullable String service;

    @Option(names = "--actor", paramLabel = "ACTOR", description = "Only events by this actor, e.g. api:alice.")
    @Nullable String actor;

    @Option(names = "--code", paramLabel = "CODE", description = "Only events with this code, e.g. POINTER_ADVANCED.")
    @Nullable String code;

    @Option(names = "--from", paramLabel = "ID", description = "First event id (default: 0).")
    long from;

    @Option(names = "--limit", paramLabel = "N", description = "Events per page, 1..1000 (default: 100).")
    int limit = 100;

    @Override
    ApiClient.Response send(ApiClient client) throws IOException, InterruptedException {
      StringBuilder q = new StringBuilder("/api/v1/audit?from=").append(from).append("&limit=").append(limit);
      if (service != null) {
        q.append("&service=").append(ApiClient.seg(service));
      }
      if (actor != null) {
        q.append("&actor=").append(ApiClient.seg(actor));
      }
      if (code != null) {
        q.append("&code=").append(ApiClient.seg(code));
      }
      return client.get(q.toString());
    }

    @Override
    void render(JsonNode body, PrintWriter out) {
      TextTable t = new TextTable("ID", "TIME", "ACTOR", "ACTION", "SUBJECT", "CODE", "DETAIL");
      for (JsonNode e : body.path("events")) {
        t.row(text(e, "id"), time(e.get("timeMillis")), text(e, "actor"), text(e, "action"), text(e, "subject"),
            text(e, "code"), text(e, "detail"));
      }
      t.print(out);
      if (!body.path("next").isNull()) {
        out.println("more: --from " + text(body, "next"));
      }
    }
  }

  /** Which scope a pause or resume covers: exactly one of these. */
  static final class Scope {
    @Option(names = "--global", required = true, description = "Everything.")
    boolean global;

    @Option(names = "--az", required = true, paramLabel = "AZ", description = "One AZ's automation, e.g. az-b.")
    @Nullable String az;

    @Option(names = "--service", required = true, paramLabel = "SERVICE", description = "One service.")
    @Nullable String service;

    Map<String, Object> into(Map<String, Object> body) {
      if (global) {
        body.put("scope", "global");
      } else if (az != null) {
        body.put("scope", "az");
        body.put("name", az);
      } else if (service != null) {
        body.put("scope", "service");
        body.put("name", service);
      }
      return body;
    }
  }

  /** Shared by pause and resume. */
  abstract static class ScopedAction extends ClientCommand {
    @ArgGroup(exclusive = true, multiplicity = "1")
    Scope scope = new Scope();

    @Option(names = "--reason", required = true, paramLabel = "TEXT", description = "Why; kept in the audit chain.")
    String reason = "";

    abstract String path();

    @Override
    ApiClient.Response send(ApiClient client) throws IOException, InterruptedException {
      return client.post(path(), scope.into(body(reason)));
    }

    @Override
    void render(JsonNode body, PrintWriter out) {
      renderAction(body, out);
    }
  }

  /** {@code bulwark pause}: stops automation in a scope (operator). */
  @Command(name = "pause", mixinStandardHelpOptions = true, description = "Pauses automation (proposals, votes,"
      + " advances) globally, in one AZ or for one service. Needs role operator.",
      exitCodeListHeading = EXIT_HEADING, exitCodeList = {EXIT_0, EXIT_1, EXIT_2, EXIT_3})
  public static final class Pause extends ScopedAction {
    @Override
    String path() {
      return "/api/v1/pause";
    }
  }

  /** {@code bulwark resume}: lifts a pause (operator). */
  @Command(name = "resume", mixinStandardHelpOptions = true, description = "Lifts a pause. Needs role operator.",
      exitCodeListHeading = EXIT_HEADING, exitCodeList = {EXIT_0, EXIT_1, EXIT_2, EXIT_3})
  public static final class Resume extends ScopedAction {
    @Override
    String path() {
      return "/api/v1/resume";
    }
  }

  /** Shared by the commands that act on one named thing with a reason. */
  abstract static class NamedAction extends ClientCommand {
    @Option(names = "--reason", required = true, paramLabel = "TEXT", description = "Why; kept in the audit chain.")
    String reason = "";

    abstract String path();

    Map<String, Object> requestBody() {
      return body(reason);
    }

    @Override
    ApiClient.Response send(ApiClient client) throws IOException, InterruptedException {
      return client.post(path(), requestBody());
    }

    @Override
    void render(JsonNode body, PrintWriter out) {
      renderAction(body, out);
    }
  }

  /** Shared by approve and reject: the path ends in the command's name. */
  abstract static class PendingDecision extends NamedAction {
    @Parameters(index = "0", paramLabel = "ID", description = "The pending approval's id (see 'bulwark approvals').")
    long id;

    @Override
    String path() {
      return "/api/v1/approvals/" + id + "/" + commandName();
    }
  }

  /** Shared by pin, unpin and rollback: the path ends in the command's name. */
  abstract static class ServiceAction extends NamedAction {
    @Parameters(index = "0", paramLabel = "SERVICE", description = "The service, e.g. dynamodb.")
    String service = "";

    @Override
    String path() {
      return "/api/v1/services/" + ApiClient.seg(service) + "/" + commandName();
    }
  }

  /** {@code bulwark approve <id>}: releases a pending over-budget step (approver; never your own). */
  @Command(name = "approve", mixinStandardHelpOptions = true, description = "Approves a pending over-budget step."
      + " Needs role approver; nobody may approve their own request (two-person rule).",
      exitCodeListHeading = EXIT_HEADING, exitCodeList = {EXIT_0, EXIT_1, EXIT_2, EXIT_3})
  public static final class Approve extends PendingDecision {}

  /** {@code bulwark reject <id>}: discards a pending step (approver). */
  @Command(name = "reject", mixinStandardHelpOptions = true, description = "Rejects a pending over-budget step."
      + " Needs role approver.", exitCodeListHeading = EXIT_HEADING, exitCodeList = {EXIT_0, EXIT_1, EXIT_2, EXIT_3})
  public static final class Reject extends PendingDecision {}

  /** {@code bulwark pin <service>}: holds the pointer (operator). */
  @Command(name = "pin", mixinStandardHelpOptions = true, description = "Pins a service: its pointer neither"
      + " advances nor rolls back until unpinned. Needs role operator.", exitCodeListHeading = EXIT_HEADING,
      exitCodeList = {EXIT_0, EXIT_1, EXIT_2, EXIT_3})
  public static final class Pin extends ServiceAction {}

  /** {@code bulwark unpin <service>}: lifts a pin (operator). */
  @Command(name = "unpin", mixinStandardHelpOptions = true, description = "Lifts a pin. Needs role operator.",
      exitCodeListHeading = EXIT_HEADING, exitCodeList = {EXIT_0, EXIT_1, EXIT_2, EXIT_3})
  public static final class Unpin extends ServiceAction {}

  /** {@code bulwark rollback <service> [--to N]}: re-publishes an older plan as a new generation (operator). */
  @Command(name = "rollback", mixinStandardHelpOptions = true, description = "Re-publishes a stored plan's content"
      + " as a new generation under a higher version (default: last-known-good). Needs role operator.",
      exitCodeListHeading = EXIT_HEADING, exitCodeList = {EXIT_0, EXIT_1, EXIT_2, EXIT_3})
  public static final class Rollback extends ServiceAction {
    @Option(names = "--to", paramLabel = "GEN", description = "The generation whose content to re-publish"
        + " (default: last-known-good).")
    @Nullable Long to;

    @Override
    Map<String, Object> requestBody() {
      Map<String, Object> b = super.requestBody();
      if (to != null) {
        b.put("toGeneration", to);
      }
      return b;
    }
  }

  /**
   * {@code bulwark promote --reason TEXT}: makes the server's shadow controller the primary
   * (approver); the acting primary's epoch is fenced from that log index on.
   */
  @Command(name = "promote", mixinStandardHelpOptions = true, description = "Promotes the shadow controller of the"
      + " server at --url to primary: a forced authority grant that fences the acting primary. Needs role approver.",
      exitCodeListHeading = EXIT_HEADING, exitCodeList = {EXIT_0, EXIT_1, EXIT_2, EXIT_3})
  public static final class Promote extends NamedAction {
    @Override
    String path() {
      return "/api/v1/authority/promote";
    }

    @Override
    void render(JsonNode body, PrintWriter out) {
      out.println(body.path("status").asText() + ": " + body.path("message").asText());
    }
  }
}
