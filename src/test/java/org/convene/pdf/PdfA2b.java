package org.convene.pdf;

import java.io.ByteArrayInputStream;
import java.util.List;
import java.util.stream.Collectors;
import org.verapdf.gf.foundry.VeraGreenfieldFoundryProvider;
import org.verapdf.pdfa.Foundries;
import org.verapdf.pdfa.PDFAParser;
import org.verapdf.pdfa.PDFAValidator;
import org.verapdf.pdfa.flavours.PDFAFlavour;
import org.verapdf.pdfa.results.TestAssertion;
import org.verapdf.pdfa.results.ValidationResult;

/**
 * veraPDF, the reference PDF/A and PDF/UA validator, initialised once per test JVM (it takes
 * seconds): {@link #violations} checks PDF/A-2b, {@link #uaViolations} PDF/UA-1.
 */
final class PdfA2b {
    private static final PDFAFlavour FLAVOUR = PDFAFlavour.fromString("2b");
    private static final PDFAFlavour UA1 = PDFAFlavour.fromString("ua1");
    private static final PDFAFlavour A2A = PDFAFlavour.fromString("2a");
    private static boolean initialised;

    private PdfA2b() {}

    private static synchronized void init() {
        if (!initialised) {
            VeraGreenfieldFoundryProvider.initialise();
            initialised = true;
        }
    }

    /** The failed rules, described; empty when the file is PDF/A-2b. */
    static List<String> violations(byte[] pdf) throws Exception {
        return violations(pdf, FLAVOUR);
    }

    /** The failed rules of PDF/UA-1 (ISO 14289-1, the machine-checkable part), described. */
    static List<String> uaViolations(byte[] pdf) throws Exception {
        return violations(pdf, UA1);
    }

    /** The failed rules of PDF/A-2a (2b plus tagging and Unicode for every glyph), described. */
    static List<String> level2aViolations(byte[] pdf) throws Exception {
        return violations(pdf, A2A);
    }

    private static List<String> violations(byte[] pdf, PDFAFlavour flavour) throws Exception {
        init();
        try (PDFAParser parser = Foundries.defaultInstance().createParser(new ByteArrayInputStream(pdf), flavour);
                PDFAValidator validator = Foundries.defaultInstance().createValidator(flavour, false)) {
            ValidationResult result = validator.validate(parser);
            if (result.isCompliant()) {
                return List.of();
            }
            return result.getTestAssertions().stream()
                    .filter(a -> a.getStatus() == TestAssertion.Status.FAILED)
                    .map(a -> a.getRuleId().getClause() + "-" + a.getRuleId().getTestNumber() + ": " + a.getMessage())
                    .distinct()
                    .collect(Collectors.toList());
        }
    }
}
