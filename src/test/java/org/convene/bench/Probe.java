package org.convene.bench;

import java.io.IOException;
import java.io.RandomAccessFile;
import java.lang.management.ManagementFactory;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * What the machine spent during a measured window: CPU of the server JVM (from /proc/PID/stat utime +
 * stime), of every PostgreSQL process (all backends on the machine, ours and anybody else's), of this
 * generator (its own process CPU time) and of the whole machine (/proc/stat), plus the server's GC
 * pauses (from its -Xlog:gc file) and heap (jcmd GC.heap_info, run after the window).
 */
final class Probe {
  private static final long CLK_TCK = clockTicks();
  private static final Pattern GC_LINE = Pattern.compile("Pause.*?(\\d+)M->(\\d+)M\\((\\d+)M\\) ([\\d.]+)ms");
  private static final Pattern HEAP_USED = Pattern.compile("total (\\d+)K, used (\\d+)K");

  private final long serverPid;
  private final Path gcLog;
  private final String postgresMatch;

  /** postgresMatch: count only PostgreSQL processes whose command line contains it (e.g. the cluster name). */
  Probe(long serverPid, Path gcLog, String postgresMatch) {
    this.serverPid = serverPid;
    this.gcLog = gcLog;
    this.postgresMatch = postgresMatch == null ? "" : postgresMatch;
  }

  record Mark(long wallNanos, long serverTicks, long pgTicks, long machineBusy, long machineTotal,
              long generatorCpuNanos, long gcOffset) {}

  /**
   * CPU in cores (1.0 = one core busy for the whole window). other = machine busy minus the three we
   * can name: other tenants of this shared machine, and kernel work not charged to a process.
   */
  record Usage(double seconds, double server, double postgres, double generator, double machine, double other,
               int cores, int gcPauses, double gcPauseMs, double gcMaxPauseMs, long heapAfterGcMaxMb) {}

  Mark mark() {
    long[] machine = machineTicks();
    return new Mark(System.nanoTime(), serverPid > 0 ? processTicks(serverPid) : 0, postgresTicks(),
        machine[0], machine[1], generatorCpuNanos(), gcLogSize());
  }

  Usage since(Mark a) {
    Mark b = mark();
    double secs = (b.wallNanos - a.wallNanos) / 1e9;
    int cores = Runtime.getRuntime().availableProcessors();
    double server = (b.serverTicks - a.serverTicks) / (double) CLK_TCK / secs;
    double pg = (b.pgTicks - a.pgTicks) / (double) CLK_TCK / secs;
    double gen = (b.generatorCpuNanos - a.generatorCpuNanos) / 1e9 / secs;
    double totalTicks = b.machineTotal - a.machineTotal;
    double machine = totalTicks <= 0 ? Double.NaN : (b.machineBusy - a.machineBusy) / totalTicks * cores;
    int pauses = 0;
    double pauseMs = 0;
    double maxPause = 0;
    long afterMax = 0;
    for (String line : gcLines(a.gcOffset, b.gcOffset)) {
      Matcher m = GC_LINE.matcher(line);
      if (m.find()) {
        pauses++;
        double ms = Double.parseDouble(m.group(4));
        pauseMs += ms;
        maxPause = Math.max(maxPause, ms);
        afterMax = Math.max(afterMax, Long.parseLong(m.group(2)));
      }
    }
    return new Usage(secs, server, pg, gen, machine, machine - server - pg - gen, cores, pauses, pauseMs, maxPause, afterMax);
  }

  /** {used, committed} heap in MiB from jcmd GC.heap_info; {-1, -1} when jcmd is not there. */
  long[] heapMb() {
    if (serverPid <= 0) {
      return new long[] {-1, -1};
    }
    try {
      Process p = new ProcessBuilder("jcmd", Long.toString(serverPid), "GC.heap_info").redirectErrorStream(true).start();
      String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
      p.waitFor(30, TimeUnit.SECONDS);
      Matcher m = HEAP_USED.matcher(out);
      if (m.find()) {
        return new long[] {Long.parseLong(m.group(2)) / 1024, Long.parseLong(m.group(1)) / 1024};
      }
    } catch (IOException e) {
      // fall through
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    return new long[] {-1, -1};
  }

  static long generatorCpuNanos() {
    return ((com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean()).getProcessCpuTime();
  }

  /** utime + stime of one process, in clock ticks (fields 14 and 15, counted after the ')' of comm). */
  /** Seconds since the server process started (/proc/<pid>/stat starttime, at 100 ticks a second); NaN if unknown. */
  double serverAgeSeconds() {
    if (serverPid <= 0) {
      return Double.NaN;
    }
    try {
      String stat = Files.readString(Path.of("/proc/" + serverPid + "/stat"));
      long startTicks = Long.parseLong(stat.substring(stat.lastIndexOf(')') + 2).split(" ")[19]);
      double uptime = Double.parseDouble(Files.readString(Path.of("/proc/uptime")).split(" ")[0]);
      return uptime - startTicks / 100.0;
    } catch (IOException | RuntimeException e) {
      return Double.NaN;
    }
  }

  static long processTicks(long pid) {
    try {
      String stat = Files.readString(Path.of("/proc/" + pid + "/stat"));
      String[] f = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
      return Long.parseLong(f[11]) + Long.parseLong(f[12]);
    } catch (IOException | RuntimeException e) {
      return 0;
    }
  }

  private long postgresTicks() {
    long sum = 0;
    try (DirectoryStream<Path> dir = Files.newDirectoryStream(Path.of("/proc"), p -> p.getFileName().toString().matches("\\d+"))) {
      for (Path p : dir) {
        try {
          String stat = Files.readString(p.resolve("stat"));
          int open = stat.indexOf('(');
          int close = stat.lastIndexOf(')');
          if (stat.substring(open + 1, close).startsWith("postgres")
              && (postgresMatch.isEmpty() || Files.readString(p.resolve("cmdline")).contains(postgresMatch))) {
            String[] f = stat.substring(close + 2).split(" ");
            sum += Long.parseLong(f[11]) + Long.parseLong(f[12]);
          }
        } catch (IOException | RuntimeException e) {
          // the process went away
        }
      }
    } catch (IOException e) {
      return 0;
    }
    return sum;
  }

  /** {busy, total} jiffies of all CPUs; busy excludes idle and iowait. */
  private static long[] machineTicks() {
    try {
      String line = Files.readAllLines(Path.of("/proc/stat")).get(0);
      String[] f = line.trim().split("\\s+");
      long total = 0;
      for (int i = 1; i < Math.min(f.length, 9); i++) {
        total += Long.parseLong(f[i]);
      }
      long idle = Long.parseLong(f[4]) + Long.parseLong(f[5]);
      return new long[] {total - idle, total};
    } catch (IOException | RuntimeException e) {
      return new long[] {0, 0};
    }
  }

  private long gcLogSize() {
    try {
      return gcLog == null ? 0 : Files.size(gcLog);
    } catch (IOException e) {
      return 0;
    }
  }

  private java.util.List<String> gcLines(long from, long to) {
    if (gcLog == null || to <= from) {
      return java.util.List.of();
    }
    try (RandomAccessFile f = new RandomAccessFile(gcLog.toFile(), "r")) {
      byte[] bytes = new byte[(int) (to - from)];
      f.seek(from);
      f.readFully(bytes);
      return java.util.List.of(new String(bytes, StandardCharsets.UTF_8).split("\n"));
    } catch (IOException e) {
      return java.util.List.of();
    }
  }

  private static long clockTicks() {
    try {
      Process p = new ProcessBuilder("getconf", "CLK_TCK").start();
      String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.US_ASCII).trim();
      p.waitFor();
      return Long.parseLong(out);
    } catch (IOException | RuntimeException e) {
      return 100;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return 100;
    }
  }
}
