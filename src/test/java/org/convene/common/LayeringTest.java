package org.convene.common;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * The layers of docs/ARCHITECTURE.md: {@code common} (what every feature uses) below the features,
 * the wiring ({@code app}, {@code web}) above them. A feature never names the package that wires it,
 * and {@code common} names no feature.
 */
class LayeringTest {
  private static final Path ROOT = Path.of("src", "main", "java", "org", "convene");
  private static final Set<String> WIRING = Set.of("app", "web");
  private static final Pattern REFERENCE = Pattern.compile("org\\.convene\\.([a-z]+)\\.");

  @Test
  void featuresNeverNameTheWiringAndCommonNamesNoFeature() throws Exception {
    assertTrue(Files.isDirectory(ROOT), "run from the project root; missing " + ROOT.toAbsolutePath());
    List<String> violations = new ArrayList<>();
    int files = 0;
    try (Stream<Path> sources = Files.walk(ROOT)) {
      for (Path source : sources.filter(p -> p.toString().endsWith(".java")).toList()) {
        files++;
        String pkg = ROOT.relativize(source).getName(0).toString();
        if (WIRING.contains(pkg)) {
          continue;
        }
        Matcher m = REFERENCE.matcher(Files.readString(source, StandardCharsets.UTF_8));
        while (m.find()) {
          String target = m.group(1);
          boolean wrong = WIRING.contains(target) || (pkg.equals("common") && !target.equals("common"));
          if (wrong) {
            violations.add(ROOT.relativize(source) + " names org.convene." + target);
          }
        }
      }
    }
    assertTrue(files > 20, "expected the project's sources under " + ROOT);
    assertEquals(List.of(), violations);
  }
}
