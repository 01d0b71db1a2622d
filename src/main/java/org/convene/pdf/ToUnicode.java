package org.convene.pdf;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.HexFormat;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import org.apache.pdfbox.Loader;
import org.apache.pdfbox.cos.COSBase;
import org.apache.pdfbox.cos.COSDictionary;
import org.apache.pdfbox.cos.COSName;
import org.apache.pdfbox.cos.COSStream;
import org.apache.pdfbox.pdmodel.PDDocument;
import org.apache.pdfbox.pdmodel.PDPage;
import org.apache.pdfbox.pdmodel.PDResources;
import org.apache.pdfbox.pdmodel.font.PDFont;

/**
 * Completes the ToUnicode maps of fonts that drew GSUB glyphs (Devanagari conjuncts): PDFBox
 * maps only glyphs its cmap reaches, and PDF/UA (7.21.7) wants every code drawn mapped. The map
 * is written while PDFBox saves (subsetting), so the saved file is read back, the missing
 * entries added, and the new maps appended as an incremental update; only files that drew such
 * glyphs pay for it.
 */
final class ToUnicode {
    private ToUnicode() {}

    /** Missing entries per font name in the file; empty when nothing needs completing. */
    static Map<String, Map<Integer, String>> missing(Fonts fonts) {
        Map<String, Map<Integer, String>> out = new TreeMap<>();
        for (Face face : fonts.faces()) {
            if (!face.unmapped().isEmpty() && face.embeddedName() != null) {
                out.put(face.embeddedName(), face.unmapped());
            }
        }
        return out;
    }

    /** Writes {@code saved} to {@code out} with the entries of {@code missing} added. */
    static void complete(byte[] saved, Map<String, Map<Integer, String>> missing, OutputStream out) throws IOException {
        try (PDDocument doc = Loader.loadPDF(saved)) {
            Set<COSDictionary> done = new HashSet<>();
            for (PDPage page : doc.getPages()) {
                if (done.size() == missing.size()) {
                    break;
                }
                PDResources resources = page.getResources();
                for (COSName name : resources.getFontNames()) {
                    PDFont font = resources.getFont(name);
                    COSDictionary dict = font.getCOSObject();
                    Map<Integer, String> entries = missing.get(dict.getNameAsString(COSName.BASE_FONT));
                    if (entries != null && done.add(dict)) {
                        add(dict, entries);
                    }
                }
            }
            // Appended as an incremental update (allowed by PDF/A): only the maps are written
            // again, so a long appendix is not parsed and held a second time.
            ByteArrayOutputStream updated = new ByteArrayOutputStream(saved.length + 8192);
            doc.saveIncremental(updated);
            out.write(keepId(saved, updated.toByteArray()));
        }
    }

    /**
     * PDFBox gives an incremental update a new second file ID drawn from the clock. It is
     * replaced, in place and at the same length, by a digest of the file before the update, so
     * the same request still gives the same bytes.
     */
    private static byte[] keepId(byte[] original, byte[] updated) throws IOException {
        String after = new String(updated, StandardCharsets.ISO_8859_1);
        int at = after.lastIndexOf("/ID");
        int first = at < 0 ? -1 : after.indexOf('>', at);
        int open = first < 0 ? -1 : after.indexOf('<', first);
        int close = open < 0 ? -1 : after.indexOf('>', open);
        if (close < 0 || close - open - 1 > 64) {
            throw new IOException("cannot find the file ID of the update");
        }
        String digest = HexFormat.of().withUpperCase().formatHex(PdfA.sha256(original));
        byte[] id = digest.substring(0, close - open - 1).getBytes(StandardCharsets.US_ASCII);
        System.arraycopy(id, 0, updated, open + 1, id.length);
        return updated;
    }

    private static void add(COSDictionary font, Map<Integer, String> entries) throws IOException {
        COSBase base = font.getDictionaryObject(COSName.TO_UNICODE);
        if (!(base instanceof COSStream stream)) {
            throw new IOException("no ToUnicode map in " + font.getNameAsString(COSName.BASE_FONT));
        }
        String cmap;
        try (InputStream in = stream.createInputStream()) {
            cmap = new String(in.readAllBytes(), StandardCharsets.US_ASCII);
        }
        int end = cmap.lastIndexOf("endcmap");
        if (end < 0) {
            throw new IOException("a ToUnicode map without endcmap");
        }
        StringBuilder block = new StringBuilder();
        int inBlock = 0;
        for (Map.Entry<Integer, String> e : entries.entrySet()) {
            if (inBlock == 0) {
                block.append(Math.min(100, entries.size() - countBefore(entries, e.getKey()))).append(" beginbfchar\n");
            }
            block.append(String.format("<%04X> <", e.getKey()));
            for (byte b : e.getValue().getBytes(StandardCharsets.UTF_16BE)) {
                block.append(String.format("%02X", b & 0xFF));
            }
            block.append(">\n");
            if (++inBlock == 100) { // at most 100 entries a block (PDF reference, 5.9.2)
                block.append("endbfchar\n");
                inBlock = 0;
            }
        }
        if (inBlock > 0) {
            block.append("endbfchar\n");
        }
        String completed = cmap.substring(0, end) + block + cmap.substring(end);
        try (OutputStream os = stream.createOutputStream(COSName.FLATE_DECODE)) {
            os.write(completed.getBytes(StandardCharsets.US_ASCII));
        }
        stream.setNeedToBeUpdated(true);
        font.setNeedToBeUpdated(true);
    }

    private static int countBefore(Map<Integer, String> entries, int key) {
        return ((TreeMap<Integer, String>) entries).headMap(key).size();
    }
}
