package org.convene.pdf;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.apache.fontbox.ttf.CmapLookup;
import org.apache.fontbox.ttf.model.GsubData;
import org.apache.fontbox.ttf.model.ScriptFeature;

/**
 * A font's Devanagari GSUB features applied to one word's glyphs, with the same result as
 * PDFBox's {@code GsubWorkerForDevanagari} (checked word by word in DevanagariGsubTest) but in
 * linear time. PDFBox builds and compiles a regular expression of every substitution for every
 * feature of every word, about half a millisecond a word: a list of 100,000 signers would take
 * minutes. Here each feature becomes a map from glyph sequences to their replacement, built once.
 *
 * <p>The steps, in PDFBox's order: the reph (ra + virama) moves after the consonant it precedes,
 * the short i matra moves before its consonant cluster, then the features apply in the order
 * Microsoft's Devanagari shaping specification lists them, each replacing the longest matching
 * glyph sequence at each position, left to right.
 */
final class DevanagariGsub {
    private static final List<String> FEATURES = List.of("locl", "nukt", "akhn", "rphf", "rkrf", "blwf", "half",
            "vatu", "cjct", "pres", "abvs", "blws", "psts", "haln", "calt");

    /** One feature: replacement per glyph sequence, and the longest sequence it replaces. */
    private record Feature(Map<List<Integer>, Integer> replacements, int longest) {}

    /** Features in application order; a null entry stands for "rkrf made from vatu". */
    private final List<Feature> features = new ArrayList<>();
    private final int ra;
    private final int virama;
    private final int iMatra;
    private final Set<Integer> beforeReph;
    private final int rkrfFromVatu;

    DevanagariGsub(GsubData data, CmapLookup cmap) {
        this.ra = cmap.getGlyphId('\u0930');
        this.virama = cmap.getGlyphId('\u094D');
        this.iMatra = cmap.getGlyphId('\u093F');
        this.beforeReph = Set.of(cmap.getGlyphId('\u093E'), cmap.getGlyphId('\u0940'));
        int fromVatu = 0;
        for (String name : FEATURES) {
            if (data.isFeatureSupported(name)) {
                Feature feature = feature(data.getFeature(name));
                if (feature != null) {
                    features.add(feature);
                }
            } else if (name.equals("rkrf") && data.isFeatureSupported("vatu")) {
                // Without rkrf, PDFBox makes ra + virama at a word's end into vatu's second glyph.
                for (List<Integer> sequence : data.getFeature("vatu").getAllGlyphIdsForSubstitution()) {
                    if (sequence.size() > 1) {
                        fromVatu = sequence.get(1);
                        break;
                    }
                }
                if (fromVatu != 0) {
                    features.add(null);
                }
            }
        }
        this.rkrfFromVatu = fromVatu;
    }

    private static Feature feature(ScriptFeature feature) {
        Map<List<Integer>, Integer> replacements = new HashMap<>();
        int longest = 0;
        for (List<Integer> sequence : feature.getAllGlyphIdsForSubstitution()) {
            replacements.put(List.copyOf(sequence), feature.getReplacementForGlyphs(sequence));
            longest = Math.max(longest, sequence.size());
        }
        return replacements.isEmpty() ? null : new Feature(replacements, longest);
    }

    /**
     * The characters each glyph the features can make stands for, from the characters of the
     * sequence it replaces ({@code base}: the glyphs the cmap reaches). A glyph that several
     * sequences make gets the shortest text (then the first in code order): the ToUnicode map
     * has one entry per glyph, and the same conjunct nearly always comes from the same letters.
     */
    Map<Integer, String> glyphTexts(Map<Integer, String> base) {
        Map<Integer, String> texts = new HashMap<>(base);
        for (int pass = 0; pass < 3; pass++) { // a later feature may build on an earlier one's glyph
            for (Feature feature : features) {
                if (feature == null) {
                    Map<Integer, String> vatu = Map.of(rkrfFromVatu, "\u094D\u0930");
                    vatu.forEach((g, t) -> texts.merge(g, t, DevanagariGsub::preferred));
                    continue;
                }
                for (Map.Entry<List<Integer>, Integer> e : feature.replacements().entrySet()) {
                    if (base.containsKey(e.getValue())) {
                        continue; // a glyph with a character of its own keeps it
                    }
                    StringBuilder text = new StringBuilder();
                    for (int glyph : e.getKey()) {
                        String part = texts.get(glyph);
                        if (part == null) {
                            text = null;
                            break;
                        }
                        text.append(part);
                    }
                    if (text != null) {
                        texts.merge(e.getValue(), text.toString(), DevanagariGsub::preferred);
                    }
                }
            }
        }
        texts.keySet().removeAll(base.keySet());
        return texts;
    }

    private static String preferred(String a, String b) {
        if (a.length() != b.length()) {
            return a.length() < b.length() ? a : b;
        }
        return a.compareTo(b) <= 0 ? a : b;
    }

    List<Integer> apply(List<Integer> word) {
        List<Integer> glyphs = moveIMatra(moveReph(word));
        for (Feature feature : features) {
            glyphs = feature == null ? rkrfFromVatu(glyphs) : substitute(feature, glyphs);
        }
        return glyphs;
    }

    private static List<Integer> substitute(Feature feature, List<Integer> glyphs) {
        List<Integer> out = new ArrayList<>(glyphs.size());
        int i = 0;
        while (i < glyphs.size()) {
            int length = Math.min(feature.longest(), glyphs.size() - i);
            Integer replacement = null;
            for (; length > 0; length--) {
                replacement = feature.replacements().get(glyphs.subList(i, i + length));
                if (replacement != null) {
                    break;
                }
            }
            if (replacement != null) {
                out.add(replacement);
                i += length;
            } else {
                out.add(glyphs.get(i++));
            }
        }
        return out;
    }

    /** Ra + virama before a consonant: the consonant first (and a following aa or ii matra). */
    private List<Integer> moveReph(List<Integer> in) {
        List<Integer> out = new ArrayList<>(in);
        for (int i = 0; i < in.size() - 2; i++) {
            if (in.get(i) == ra && in.get(i + 1) == virama) {
                out.set(i, in.get(i + 2));
                out.set(i + 1, ra);
                out.set(i + 2, virama);
                if (i + 3 < in.size() && beforeReph.contains(in.get(i + 3))) {
                    out.set(i + 1, in.get(i + 3));
                    out.set(i + 2, ra);
                    out.set(i + 3, virama);
                }
            }
        }
        return out;
    }

    /**
     * The short i matra is typed after its consonant but drawn before it: walking from the end,
     * each i matra (or one right after a virama) moves one place to the left, as PDFBox does.
     */
    private List<Integer> moveIMatra(List<Integer> in) {
        List<Integer> out = new ArrayList<>(in);
        int size = out.size();
        int found = size - 1;
        int next = size - 2;
        while (next > -1) {
            int glyph = out.get(found);
            int after = found + 1;
            if (glyph == iMatra) {
                out.remove(found);
                out.add(next--, glyph);
            } else if (glyph == virama && after < size && out.get(after) == iMatra) {
                int matra = out.remove(after);
                out.add(next--, matra);
            }
            found = next--;
        }
        return out;
    }

    private List<Integer> rkrfFromVatu(List<Integer> in) {
        List<Integer> out = new ArrayList<>(in);
        for (int i = in.size() - 1; i > 1; i--) {
            if (in.get(i) == ra && in.get(i - 1) == virama) {
                out.set(i - 1, rkrfFromVatu);
                out.remove(i);
            }
        }
        return out;
    }
}
