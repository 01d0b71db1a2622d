package org.convene.bench;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Figures as they are measured: printed, and appended to a TSV file (scenario, param, metric, value,
 * unit) so that repeated runs can be summarised by their medians ({@link #summarize}).
 */
final class Results {
  private final Path file;
  private final String scenario;

  Results(Path file, String scenario) {
    this.file = file;
    this.scenario = scenario;
  }

  void add(String param, String metric, double value, String unit) {
    String line = String.join("\t", scenario, param, metric, format(value), unit);
    System.out.printf(Locale.ROOT, "  %-16s %-8s %-34s %14s %s%n", scenario, param, metric, format(value), unit);
    if (file != null) {
      try {
        Files.writeString(file, line + "\n", StandardCharsets.UTF_8, StandardOpenOption.CREATE, StandardOpenOption.APPEND);
      } catch (IOException e) {
        throw new IllegalStateException("cannot write " + file, e);
      }
    }
  }

  /** CPU and memory of a window, under one param. */
  void usage(String param, Probe.Usage u, long[] heap) {
    add(param, "window", u.seconds(), "s");
    add(param, "cpu.server", u.server(), "cores");
    add(param, "cpu.postgres", u.postgres(), "cores");
    add(param, "cpu.generator", u.generator(), "cores");
    add(param, "cpu.machine", u.machine(), "cores of " + u.cores());
    add(param, "cpu.other_tenants", u.other(), "cores");
    add(param, "server.gc_pauses", u.gcPauses(), "count");
    add(param, "server.gc_pause_total", u.gcPauseMs(), "ms");
    add(param, "server.gc_pause_max", u.gcMaxPauseMs(), "ms");
    add(param, "server.heap_after_gc_max", u.heapAfterGcMaxMb(), "MiB");
    add(param, "server.heap_used_end", heap[0], "MiB");
    add(param, "server.heap_committed_end", heap[1], "MiB");
  }

  static String format(double v) {
    if (Double.isNaN(v)) {
      return "NaN";
    }
    if (v == Math.rint(v) && Math.abs(v) < 1e15) {
      return Long.toString((long) v);
    }
    return String.format(Locale.ROOT, Math.abs(v) >= 100 ? "%.1f" : Math.abs(v) >= 1 ? "%.2f" : "%.3f", v);
  }

  /** Median (and n, min, max) of every (scenario, param, metric) in a results file, in first-seen order. */
  static void summarize(Path file) throws IOException {
    Map<String, List<Double>> values = new LinkedHashMap<>();
    Map<String, String> units = new LinkedHashMap<>();
    for (String line : Files.readAllLines(file, StandardCharsets.UTF_8)) {
      String[] f = line.split("\t");
      if (f.length < 5) {
        continue;
      }
      String key = f[0] + "\t" + f[1] + "\t" + f[2];
      values.computeIfAbsent(key, k -> new ArrayList<>()).add(Double.parseDouble(f[3]));
      units.put(key, f[4]);
    }
    System.out.printf(Locale.ROOT, "%-16s %-8s %-34s %12s %3s %12s %12s  %s%n", "scenario", "param", "metric", "median", "n", "min", "max", "unit");
    for (Map.Entry<String, List<Double>> e : values.entrySet()) {
      String[] k = e.getKey().split("\t");
      List<Double> v = new ArrayList<>(e.getValue());
      v.removeIf(d -> d.isNaN());
      v.sort(Double::compare);
      double median = v.isEmpty() ? Double.NaN
          : v.size() % 2 == 1 ? v.get(v.size() / 2) : (v.get(v.size() / 2 - 1) + v.get(v.size() / 2)) / 2;
      System.out.printf(Locale.ROOT, "%-16s %-8s %-34s %12s %3d %12s %12s  %s%n", k[0], k[1], k[2], format(median), v.size(),
          v.isEmpty() ? "-" : format(v.get(0)), v.isEmpty() ? "-" : format(v.get(v.size() - 1)), units.get(e.getKey()));
    }
  }
}
