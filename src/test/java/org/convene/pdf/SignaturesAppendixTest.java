package org.convene.pdf;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The appendix: names as each signer chose, per-country counts, hidden signers counted only. */
class SignaturesAppendixTest {

    enum Display { FULL, INITIALS, HIDDEN }

    /** A confirmed signature as the signing feature stores it. */
    record Signature(String name, String city, String country, Display display) {
        String shown() {
            if (display == Display.INITIALS) {
                StringBuilder initials = new StringBuilder();
                for (String part : name.split(" ")) {
                    initials.appendCodePoint(part.codePointAt(0)).append(". ");
                }
                return initials.toString().strip();
            }
            return name;
        }
    }

    /** What the endpoint will do with its query results: hidden signers are counted, not handed over. */
    static SignatureSource source(List<Signature> all) {
        Map<String, Long> counts = new LinkedHashMap<>();
        all.forEach(s -> counts.merge(s.country(), 1L, Long::sum));
        long hidden = all.stream().filter(s -> s.display() == Display.HIDDEN).count();
        return new SignatureSource() {
            @Override
            public Map<String, Long> countsByCountry() {
                return counts;
            }

            @Override
            public long hiddenCount() {
                return hidden;
            }

            @Override
            public Iterator<SignerLine> named() {
                return all.stream().filter(s -> s.display() != Display.HIDDEN)
                        .map(s -> new SignerLine(s.shown(), s.city(), s.country())).iterator();
            }
        };
    }

    private static final List<Signature> SIGNATURES = List.of(
            new Signature("Amina Haddad", "Marseille", "FR", Display.FULL),
            new Signature("Oksana Petrenko", "Lviv", "UA", Display.HIDDEN),
            new Signature("Jean-Baptiste Mukendi", "Bruxelles", "BE", Display.INITIALS),
            new Signature("مريم الحسيني", "بيروت", "LB", Display.FULL),
            new Signature("Samir Benali", "Lyon", "FR", Display.HIDDEN),
            new Signature("李娜", "上海", "CN", Display.FULL),
            new Signature("Kwame Mensah", "", "GH", Display.FULL),
            new Signature("Farid Rahimi", "Kabul", "AF", Display.HIDDEN));

    /**
     * The renderer's part: the summary counts every signer and the hidden ones, and each line the source
     * names is printed as given (initials included). That hidden signers never reach {@code named()} is
     * the source's promise, not the renderer's: the database-backed source is tested with the signing
     * feature, against real rows.
     */
    @Test
    void printsTheTotalAndHiddenCountsAndEachNamedLineAsGiven() throws Exception {
        String text = Rendered.text(render(source(SIGNATURES)));
        assertTrue(text.contains("8 signatories · 3 chose not to be named"), text);
        for (Signature s : SIGNATURES) {
            if (s.display() != Display.HIDDEN) {
                assertTrue(text.contains(s.shown()), s.shown() + " missing");
            }
        }
        assertTrue(text.contains("J. M."), "initials as the source gives them");
    }

    @Test
    void countriesAreNamedAndCounted() throws Exception {
        String text = Rendered.text(render(source(SIGNATURES)));
        // France: one named, one hidden; Afghanistan: only a hidden signer, still counted.
        assertTrue(text.matches("(?s).*France\\s+2.*"), text);
        assertTrue(text.matches("(?s).*Afghanistan\\s+1.*"), text);
        assertTrue(text.contains("Marseille, France"), text);
        assertTrue(text.contains("Kwame Mensah — Ghana"), text);
    }

    @Test
    void namesArePulledOneByOne() throws Exception {
        // The renderer asks for the names once and walks them, so a database cursor can feed it.
        List<String> events = new ArrayList<>();
        SignatureSource counting = new SignatureSource() {
            @Override
            public Map<String, Long> countsByCountry() {
                return Map.of("FR", 3L);
            }

            @Override
            public long hiddenCount() {
                return 0;
            }

            @Override
            public Iterator<SignerLine> named() {
                events.add("named");
                Iterator<SignerLine> lines = List.of(new SignerLine("A", "", "FR"), new SignerLine("B", "", "FR"),
                        new SignerLine("C", "", "FR")).iterator();
                return new Iterator<>() {
                    @Override
                    public boolean hasNext() {
                        return lines.hasNext();
                    }

                    @Override
                    public SignerLine next() {
                        events.add("next");
                        return lines.next();
                    }
                };
            }
        };
        render(counting);
        assertEquals(List.of("named", "next", "next", "next"), events);
    }

    private static byte[] render(SignatureSource source) {
        return Rendered.render(Samples.request(Samples.LATIN, Edition.PRINT).withSignatures(source));
    }
}
