package org.convene.testing;

/**
 * The seed of a randomised test: a new one each run, so runs explore, and the one given as a system
 * property when a failure is replayed ({@code -Dtest.seed=...}, or the test's own property). Printed
 * either way, so a failing run's output says how to repeat it.
 */
public final class Seed {
  private Seed() {}

  /** The seed for {@code property} (e.g. "diff.seed"), falling back to {@code test.seed}, then to a fresh one. */
  public static long of(String property) {
    Long given = Long.getLong(property, Long.getLong("test.seed"));
    long seed = given != null ? given : System.nanoTime();
    System.out.println("seed " + seed + " (replay with -D" + property + "=" + seed + ")");
    return seed;
  }

  /** How a failure message names the seed. */
  public static String replay(String property, long seed) {
    return "seed " + seed + ", replay with -D" + property + "=" + seed;
  }
}
