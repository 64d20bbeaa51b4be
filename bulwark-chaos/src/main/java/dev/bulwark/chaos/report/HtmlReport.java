package dev.bulwark.chaos.report;

import dev.bulwark.chaos.GameDayResult;
import dev.bulwark.chaos.Kpi;
import dev.bulwark.chaos.RunResult;
import dev.bulwark.chaos.kpi.Kpis;
import dev.bulwark.chaos.kpi.Stats;
import dev.bulwark.chaos.kpi.Timeline;
import dev.bulwark.chaos.kpi.Timeline.ProbeSample;
import java.util.List;
import java.util.Locale;
import java.util.OptionalDouble;

/**
 * The game day as one self-contained HTML page: the verdict, the KPI table (p50/p90/max over runs,
 * nearest rank), and for each run an inline SVG timeline with the faults as bands, each probed
 * endpoint's published record count and marker version over time, and the detecting, mitigating and
 * paging events as ticks. No scripts, fonts or images from anywhere: it works offline.
 */
public final class HtmlReport {
  private static final int WIDTH = 960;
  private static final int LEFT = 150;
  private static final int PLOT = WIDTH - LEFT - 20;
  private static final int LANE = 18;
  private static final int CHART = 70;

  private HtmlReport() {}

  /** The report of {@code result} as HTML text. */
  public static String render(GameDayResult result) {
    StringBuilder b = new StringBuilder(64 * 1024);
    String title = "Game day: " + result.scenario().title();
    b.append("<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\"><title>").append(esc(title))
        .append("</title>\n<style>body{font:14px system-ui,sans-serif;margin:24px;color:#222}"
            + "table{border-collapse:collapse;margin:8px 0}td,th{border:1px solid #ccc;padding:3px 8px;text-align:right}"
            + "th:first-child,td:first-child{text-align:left}.HELD{color:#1a7f37}.DEVIATED{color:#b35900}"
            + ".ABORTED{color:#c00}svg text{font:11px sans-serif}code{background:#f4f4f4;padding:1px 3px}</style>"
            + "</head><body>\n");
    b.append("<h1>").append(esc(title)).append("</h1>\n");
    b.append("<p class=\"").append(result.verdict()).append("\"><b>").append(esc(result.oneLine())).append("</b></p>\n");
    b.append("<p>Scenario <code>").append(esc(result.scenario().source())).append("</code>, mode <b>")
        .append(result.scenario().mode().yamlName()).append("</b>, exit code ").append(result.exitCode())
        .append(".</p>\n<p>").append(esc(result.scenario().description())).append("</p>\n");
    kpiTable(b, result);
    for (RunResult r : result.runs()) {
      run(b, r);
    }
    b.append("<p>KPI definitions and event codes: docs/kpis.md. Time zero is the start of the method.</p>\n");
    b.append("</body></html>\n");
    return b.toString();
  }

  private static void kpiTable(StringBuilder b, GameDayResult result) {
    b.append("<h2>KPIs over ").append(result.runs().size()).append(" run(s)</h2>\n<table><tr><th>KPI</th><th>unit</th>"
        + "<th>p50</th><th>p90</th><th>max</th><th>absent</th>");
    for (RunResult r : result.runs()) {
      b.append("<th>run ").append(r.repetition()).append("</th>");
    }
    b.append("</tr>\n");
    for (Stats s : result.stats()) {
      b.append("<tr><td>").append(s.kpi().yamlName()).append("</td><td>").append(s.kpi().unit()).append("</td><td>")
          .append(Stats.show(s.p50())).append("</td><td>").append(Stats.show(s.p90())).append("</td><td>")
          .append(Stats.show(s.max())).append("</td><td>").append(s.absent()).append("</td>");
      for (RunResult r : result.runs()) {
        OptionalDouble v = r.kpis().get(s.kpi());
        b.append("<td>").append(v.isPresent() ? Kpi.format(v.getAsDouble()) : s.kpi() == Kpi.CFI ? "n/a" : "∞")
            .append("</td>");
      }
      b.append("</tr>\n");
    }
    b.append("</table>\n");
  }

  private static void run(StringBuilder b, RunResult r) {
    Timeline t = r.timeline();
    b.append("<h2>Run ").append(r.repetition()).append(": <span class=\"").append(r.verdict()).append("\">")
        .append(r.verdict()).append("</span></h2>\n");
    if (!r.findings().isEmpty()) {
      b.append("<ul>");
      r.findings().forEach(f -> b.append("<li>").append(esc(f)).append("</li>"));
      b.append("</ul>\n");
    }
    if (!r.checks().isEmpty()) {
      b.append("<p>Checks: ").append(esc(String.join("; ", r.checks()))).append("</p>\n");
    }
    if (!r.kpis().affectedDependents().isEmpty()) {
      b.append("<p>Blast radius: ").append(esc(String.join(", ", r.kpis().impairedServices()))).append(" impaired; ")
          .append("dependents affected: ").append(esc(String.join(", ", r.kpis().affectedDependents()))).append("</p>\n");
    }
    svg(b, t);
  }

  private static void svg(StringBuilder b, Timeline t) {
    long end = Math.max(1, t.endMillis());
    List<String> endpoints = List.copyOf(t.probes().keySet());
    int height = 30 + t.faults().size() * LANE + endpoints.size() * 2 * (CHART + 20) + 40;
    b.append("<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"").append(WIDTH).append("\" height=\"")
        .append(height).append("\" role=\"img\" aria-label=\"timeline\">\n");
    int y = 10;
    // Time axis with a tick per tenth of the run.
    for (int i = 0; i <= 10; i++) {
      double x = LEFT + PLOT * i / 10.0;
      b.append(String.format(Locale.ROOT, "<line x1=\"%.1f\" y1=\"%d\" x2=\"%.1f\" y2=\"%d\" stroke=\"#eee\"/>"
          + "<text x=\"%.1f\" y=\"%d\" text-anchor=\"middle\">%.1f s</text>\n", x, y + 10, x, height - 20, x,
          height - 6, end * i / 10.0 / 1000));
    }
    y += 14;
    for (Timeline.FaultWindow f : t.faults()) {
      double x1 = x(f.injectedAtMillis(), end);
      double x2 = x(f.removedAtMillis().orElse(end), end);
      b.append(String.format(Locale.ROOT, "<rect x=\"%.1f\" y=\"%d\" width=\"%.1f\" height=\"%d\" fill=\"#f5b7b1\">"
          + "<title>%s</title></rect><text x=\"4\" y=\"%d\">%s %s</text>\n", x1, y, Math.max(1, x2 - x1), LANE - 4,
          esc(f.id() + ": " + f.description()), y + 11, esc(f.id()), esc(f.kind())));
      y += LANE;
    }
    for (String endpoint : endpoints) {
      List<ProbeSample> s = t.samples().stream().filter(p -> p.endpoint().equals(endpoint)).toList();
      int maxRecords = Math.max(1, s.stream().mapToInt(ProbeSample::records).max().orElse(1));
      long maxVersion = Math.max(1, s.stream().mapToLong(p -> p.version().orElse(0)).max().orElse(1));
      y += 6;
      chart(b, s, end, y, "records " + endpoint, maxRecords, p -> p.records(), true);
      y += CHART + 20;
      chart(b, s, end, y, "marker version", maxVersion, p -> p.version().orElse(0), false);
      y += CHART + 20;
    }
    for (Timeline.ActionRecord a : t.actions()) {
      double x = x(a.atMillis(), end);
      b.append(String.format(Locale.ROOT, "<path d=\"M%.1f 14 l-5 -8 h10 z\" fill=\"#2980b9\"><title>%s</title></path>\n",
          x, esc(a.atMillis() + " ms " + a.id() + " " + a.kind() + ": " + a.result())));
    }
    for (Timeline.RunEvent e : t.events()) {
      String code = e.event().code();
      String color = Kpis.PAGE.contains(code) ? "#8e44ad" : Kpis.DETECT.contains(code) ? "#e67e22"
          : Kpis.MITIGATE.contains(code) ? "#27ae60" : Kpis.FAILED_CHANGE.contains(code) ? "#c0392b" : null;
      if (color == null || e.atMillis() < 0) {
        continue;
      }
      double x = x(e.atMillis(), end);
      b.append(String.format(Locale.ROOT, "<line x1=\"%.1f\" y1=\"14\" x2=\"%.1f\" y2=\"%d\" stroke=\"%s\" "
          + "stroke-width=\"1.5\" opacity=\"0.7\"><title>%s</title></line>\n", x, x, height - 20, color,
          esc(e.atMillis() + " ms " + code + " " + e.event().actor() + ": " + e.event().detail())));
    }
    b.append("</svg>\n<p><small>Bands: faults. Blue triangles: actions. Lines: orange detect, green mitigate, purple page, red failed change."
        + " Red shading: empty answers (I1); grey: no answer.</small></p>\n");
  }

  private interface Value {
    long of(ProbeSample s);
  }

  private static void chart(StringBuilder b, List<ProbeSample> s, long end, int top, String label, long max,
      Value value, boolean shadeEmpty) {
    b.append(String.format(Locale.ROOT, "<text x=\"4\" y=\"%d\">%s</text><text x=\"4\" y=\"%d\">max %d</text>"
        + "<rect x=\"%d\" y=\"%d\" width=\"%d\" height=\"%d\" fill=\"none\" stroke=\"#ccc\"/>\n", top + 12,
        esc(shorten(label)), top + 26, max, LEFT, top, PLOT, CHART));
    StringBuilder path = new StringBuilder();
    for (int i = 0; i < s.size(); i++) {
      ProbeSample p = s.get(i);
      double x1 = x(p.atMillis(), end);
      double x2 = x(i + 1 < s.size() ? s.get(i + 1).atMillis() : end, end);
      if (shadeEmpty && (p.isEmpty() || !p.answered())) {
        b.append(String.format(Locale.ROOT, "<rect x=\"%.1f\" y=\"%d\" width=\"%.1f\" height=\"%d\" fill=\"%s\"/>",
            x1, top, Math.max(0.5, x2 - x1), CHART, p.isEmpty() ? "#e74c3c" : "#bbb"));
      }
      double y = top + CHART - (double) value.of(p) / max * (CHART - 4);
      path.append(path.length() == 0 ? "M" : "L").append(String.format(Locale.ROOT, "%.1f %.1f", x1, y))
          .append(String.format(Locale.ROOT, "L%.1f %.1f", x2, y));
    }
    if (path.length() > 0) {
      b.append("<path d=\"").append(path).append("\" fill=\"none\" stroke=\"#2c3e50\" stroke-width=\"1.5\"/>\n");
    }
  }

  private static double x(long atMillis, long end) {
    return LEFT + PLOT * Math.max(0, Math.min(atMillis, end)) / (double) end;
  }

  private static String shorten(String s) {
    return s.length() <= 24 ? s : s.substring(0, 23) + "…";
  }

  /** Escapes text for HTML and SVG. */
  static String esc(String s) {
    return s.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace("\"", "&quot;");
  }
}
