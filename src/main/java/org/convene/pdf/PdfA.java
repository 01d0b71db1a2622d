package org.convene.pdf;

import java.awt.color.ColorSpace;
import java.awt.color.ICC_Profile;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.temporal.ChronoUnit;
import java.util.Arrays;
import java.util.Calendar;
import java.util.Locale;
import java.util.TimeZone;
import java.util.TreeMap;
import javax.xml.transform.TransformerException;
import org.apache.pdfbox.cos.COSArray;
import org.apache.pdfbox.cos.COSName;
import org.apache.pdfbox.cos.COSString;
import org.apache.pdfbox.pdmodel.PDDocument;
import org.apache.pdfbox.pdmodel.PDDocumentCatalog;
import org.apache.pdfbox.pdmodel.PDDocumentInformation;
import org.apache.pdfbox.pdmodel.common.PDMetadata;
import org.apache.pdfbox.pdmodel.graphics.color.PDOutputIntent;
import org.apache.pdfbox.pdmodel.interactive.viewerpreferences.PDViewerPreferences;
import org.apache.xmpbox.XMPMetadata;
import org.apache.xmpbox.schema.AdobePDFSchema;
import org.apache.xmpbox.schema.DublinCoreSchema;
import org.apache.xmpbox.schema.PDFAIdentificationSchema;
import org.apache.xmpbox.schema.XMPBasicSchema;
import org.apache.xmpbox.schema.XMPMediaManagementSchema;
import org.apache.xmpbox.type.BadFieldValueException;
import org.apache.xmpbox.xml.XmpSerializer;

/**
 * What makes the file PDF/A-2b and reproducible: XMP metadata mirroring the info dictionary, an
 * sRGB output intent, the catalog's /Lang, and a document ID and dates derived from the request
 * (the version's date is the creation date), so the same request gives the same bytes.
 */
final class PdfA {
    static final String PRODUCER = "Convene (Apache PDFBox)";
    private static final String SRGB = "sRGB IEC61966-2.1";
    private static volatile byte[] srgb;

    private PdfA() {}

    static void finish(PDDocument doc, PdfRequest req) throws IOException {
        doc.setVersion(1.7f);
        Calendar date = Calendar.getInstance(TimeZone.getTimeZone("UTC"), Locale.ROOT);
        date.setTimeInMillis(req.version().date().truncatedTo(ChronoUnit.SECONDS).toEpochMilli());
        String title = req.title();
        String version = Integer.toString(req.version().number());
        String keywords = "version " + version + "; " + req.version().name() + "; sha256 " + req.version().sha256();

        PDDocumentInformation info = doc.getDocumentInformation();
        info.setTitle(title);
        info.setCreator("Convene");
        info.setProducer(PRODUCER);
        info.setKeywords(keywords);
        info.setCreationDate(date);
        info.setModificationDate(date);

        PDDocumentCatalog catalog = doc.getDocumentCatalog();
        catalog.setLanguage(req.language());
        catalog.setMetadata(metadata(doc, req, date, title, version, keywords));
        PDOutputIntent intent = new PDOutputIntent(doc, new ByteArrayInputStream(srgbProfile()));
        intent.setInfo(SRGB);
        intent.setOutputCondition(SRGB);
        intent.setOutputConditionIdentifier(SRGB);
        intent.setRegistryName("http://www.color.org");
        catalog.addOutputIntent(intent);
        PDViewerPreferences prefs = new PDViewerPreferences(new org.apache.pdfbox.cos.COSDictionary());
        prefs.setDisplayDocTitle(true);
        catalog.setViewerPreferences(prefs);

        // Without an ID PDFBox derives one from the clock; ours comes from what the file shows.
        byte[] id = Arrays.copyOf(sha256(identity(req)), 16);
        COSArray ids = new COSArray();
        ids.add(new COSString(id));
        ids.add(new COSString(id));
        doc.getDocument().getTrailer().setItem(COSName.ID, ids);
    }

    private static PDMetadata metadata(PDDocument doc, PdfRequest req, Calendar date, String title,
            String version, String keywords) throws IOException {
        XMPMetadata xmp = XMPMetadata.createXMPMetadata();
        DublinCoreSchema dc = xmp.createAndAddDublinCoreSchema();
        dc.setTitle(title);
        dc.addLanguage(req.language());
        if (req.translationLanguage() != null) {
            dc.addLanguage(req.translationLanguage());
        }
        dc.setFormat("application/pdf");
        dc.setIdentifier("sha256:" + req.version().sha256());
        XMPBasicSchema basic = xmp.createAndAddXMPBasicSchema();
        basic.setCreatorTool("Convene");
        basic.setCreateDate(date);
        basic.setModifyDate(date);
        basic.setMetadataDate(date);
        AdobePDFSchema pdf = xmp.createAndAddAdobePDFSchema();
        pdf.setProducer(PRODUCER);
        pdf.setKeywords(keywords);
        XMPMediaManagementSchema mm = xmp.createAndAddXMPMediaManagementSchema();
        mm.setVersionID(version);
        PDFAIdentificationSchema pdfa = xmp.createAndAddPDFAIdentificationSchema();
        try {
            pdfa.setPart(2);
            pdfa.setConformance("B");
        } catch (BadFieldValueException e) {
            throw new IllegalStateException(e);
        }
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try {
            new XmpSerializer().serialize(xmp, out, true);
        } catch (TransformerException e) {
            throw new IOException("cannot write the XMP metadata", e);
        }
        PDMetadata metadata = new PDMetadata(doc);
        metadata.importXMPMetadata(out.toByteArray());
        return metadata;
    }

    /** The request as text, for the document ID; records print their fields in order. */
    private static String identity(PdfRequest req) {
        SignatureSource s = req.signatures();
        String signatures = s == null ? "none" : new TreeMap<>(s.countsByCountry()) + "/" + s.hiddenCount();
        return String.join("\n", req.title(), req.language(), req.text().toString(),
                String.valueOf(req.translation()), String.valueOf(req.translationLanguage()),
                req.version().toString(), req.credits().toString(), String.valueOf(req.signUrl()),
                req.edition().name(), req.paper().name(), signatures, req.labels().toString());
    }

    static byte[] sha256(String text) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.UTF_8));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    /** The JDK's own sRGB profile: no file to ship, and the same bytes on every run. */
    private static byte[] srgbProfile() {
        byte[] bytes = srgb;
        if (bytes == null) {
            bytes = ICC_Profile.getInstance(ColorSpace.CS_sRGB).getData();
            srgb = bytes;
        }
        return bytes;
    }
}
