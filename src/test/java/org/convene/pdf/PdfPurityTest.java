package org.convene.pdf;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * org.convene.pdf is a library the endpoint calls on a worker thread: PDFBox, ICU4J and the QR
 * code generator, nothing of Vert.x, the database or JSON. Checked on sources and class files.
 */
class PdfPurityTest {
    private static final List<String> ALLOWED_IMPORTS = List.of("java.", "javax.xml.transform.", "org.apache.pdfbox.",
            "org.apache.fontbox.", "org.apache.xmpbox.", "com.ibm.icu.", "io.nayuki.qrcodegen.", "org.convene.pdf.");
    private static final List<String> FORBIDDEN_BYTECODE = List.of("io/vertx/", "io/netty/", "com/fasterxml/",
            "org/postgresql/", "org/flywaydb/", "java/sql/");
    private static final Pattern IMPORT = Pattern.compile("^import (?:static )?([\\w.]+);", Pattern.MULTILINE);

    @Test
    void sourcesImportOnlyTheRenderingLibraries() throws Exception {
        List<String> violations = new ArrayList<>();
        for (Path source : list(Path.of("src", "main", "java", "org", "convene", "pdf"), ".java")) {
            Matcher m = IMPORT.matcher(Files.readString(source, StandardCharsets.UTF_8));
            while (m.find()) {
                String name = m.group(1);
                if (ALLOWED_IMPORTS.stream().noneMatch(name::startsWith)) {
                    violations.add(source.getFileName() + " imports " + name);
                }
            }
        }
        assertEquals(List.of(), violations);
    }

    @Test
    void classFilesReferenceNoServerLibrary() throws Exception {
        Path dir = Path.of(PdfRenderer.class.getProtectionDomain().getCodeSource().getLocation().toURI())
                .resolve(Path.of("org", "convene", "pdf"));
        List<Path> classes = list(dir, ".class");
        assertFalse(classes.isEmpty());
        List<String> violations = new ArrayList<>();
        for (Path cls : classes) {
            String bytes = new String(Files.readAllBytes(cls), StandardCharsets.ISO_8859_1);
            FORBIDDEN_BYTECODE.stream().filter(bytes::contains).forEach(bad -> violations.add(cls.getFileName() + " -> " + bad));
        }
        assertEquals(List.of(), violations);
    }

    private static List<Path> list(Path dir, String suffix) throws Exception {
        try (Stream<Path> files = Files.list(dir)) {
            return files.filter(p -> p.toString().endsWith(suffix)).sorted().toList();
        }
    }
}
