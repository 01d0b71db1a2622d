package org.convene.ot;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * org.convene.ot must stay a pure library: no I/O, no Vert.x, no JSON library, so it can be used
 * (and reasoned about) anywhere. Checked both on the sources and on the compiled class files.
 */
class PurityTest {

    private static final List<String> FORBIDDEN_SOURCE = List.of(
            "import io.vertx", "import com.fasterxml", "io.vertx.", "com.fasterxml.",
            "java.io", "java.nio", "java.net", "System.out", "System.err");

    // Internal (slash-separated) names as they appear in the class files' constant pools.
    private static final List<String> FORBIDDEN_BYTECODE = List.of(
            "io/vertx/", "com/fasterxml/", "java/io/File", "java/io/InputStream", "java/io/OutputStream",
            "java/io/Reader", "java/io/Writer", "java/io/PrintStream", "java/nio/", "java/net/");

    @Test
    void sourcesImportNoIoVertxOrJson() throws Exception {
        Path dir = Path.of("src", "main", "java", "org", "convene", "ot");
        assertTrue(Files.isDirectory(dir), "run from the project root; missing " + dir.toAbsolutePath());
        List<Path> sources = list(dir, ".java");
        assertTrue(sources.size() >= 2, "expected the ot sources, found " + sources);
        List<String> violations = new ArrayList<>();
        for (Path source : sources) {
            String text = Files.readString(source, StandardCharsets.UTF_8);
            for (String bad : FORBIDDEN_SOURCE) {
                if (text.contains(bad)) {
                    violations.add(source.getFileName() + " contains '" + bad + "'");
                }
            }
        }
        assertEquals(List.of(), violations);
    }

    @Test
    void classFilesReferenceNoIoVertxOrJson() throws Exception {
        Path dir = classesDir().resolve(Path.of("org", "convene", "ot"));
        List<Path> classes = list(dir, ".class");
        assertFalse(classes.isEmpty(), "no class files under " + dir);
        List<String> violations = new ArrayList<>();
        for (Path cls : classes) {
            // Constant pool UTF-8 entries of ASCII names are plain bytes, so a Latin-1 view finds them.
            String bytes = new String(Files.readAllBytes(cls), StandardCharsets.ISO_8859_1);
            for (String bad : FORBIDDEN_BYTECODE) {
                if (bytes.contains(bad)) {
                    violations.add(cls.getFileName() + " references " + bad);
                }
            }
        }
        assertEquals(List.of(), violations);
    }

    private static Path classesDir() throws URISyntaxException {
        return Path.of(TextOperation.class.getProtectionDomain().getCodeSource().getLocation().toURI());
    }

    private static List<Path> list(Path dir, String suffix) throws Exception {
        try (Stream<Path> files = Files.list(dir)) {
            return files.filter(p -> p.toString().endsWith(suffix)).sorted().toList();
        }
    }
}
