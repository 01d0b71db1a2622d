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
 * What makes the file PDF/A-2a and PDF/UA-1 (with the structure from {@link Tags}) and
 * reproducible: XMP metadata mirroring the info dictionary, an sRGB output intent, the catalog's /Lang, and a document ID and dates derived from the request
 * (the version's date is the creation date), so the same request gives the same bytes.
 */
final class PdfA {
    static final String PRODUCER = "Convene (Apache PDFBox)";
    private static final String SRGB = "sRGB IEC61966-2.1";
    private static volatile byte[] srgb;
    /** ISO 14289-1, 5: pdfuaid:part in the XMP metadata, with the extension schema describing it. */
    private static final String PDF_UA = """
            <rdf:Description xmlns:pdfaExtension="http://www.aiim.org/pdfa/ns/extension/" \
            xmlns:pdfaSchema="http://www.aiim.org/pdfa/ns/schema#" \
            xmlns:pdfaProperty="http://www.aiim.org/pdfa/ns/property#" rdf:about="">
            <pdfaExtension:schemas><rdf:Bag><rdf:li rdf:parseType="Resource">
            <pdfaSchema:schema>PDF/UA Universal Accessibility Schema</pdfaSchema:schema>
            <pdfaSchema:namespaceURI>http://www.aiim.org/pdfua/ns/id/</pdfaSchema:namespaceURI>
            <pdfaSchema:prefix>pdfuaid</pdfaSchema:prefix>
            <pdfaSchema:property><rdf:Seq><rdf:li rdf:parseType="Resource">
            <pdfaProperty:name>part</pdfaProperty:name>
            <pdfaProperty:valueType>Integer</pdfaProperty:valueType>
            <pdfaProperty:category>internal</pdfaProperty:category>
            <pdfaProperty:description>Part of ISO 14289 the file conforms to</pdfaProperty:description>
            </rdf:li></rdf:Seq></pdfaSchema:property>
            </rdf:li></rdf:Bag></pdfaExtension:schemas>
            </rdf:Description>
            <rdf:Description xmlns:pdfuaid="http://www.aiim.org/pdfua/ns/id/" rdf:about="">
            <pdfuaid:part>1</pdfuaid:part>
            </rdf:Description>
            """;

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
            pdfa.setConformance("A");
        } catch (BadFieldValueException e) {
            throw new IllegalStateException(e);
        }
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try {
            new XmpSerializer().serialize(xmp, out, true);
        } catch (TransformerException e) {
            throw new IOException("cannot write the XMP metadata", e);
        }
        // xmpbox knows no PDF/UA schema: its identification goes in as text, declared as a
        // PDF/A extension schema, as PDF/A requires of any schema it does not predefine.
        String text = out.toString(StandardCharsets.UTF_8);
        int end = text.lastIndexOf("</rdf:RDF>");
        if (end < 0) {
            throw new IllegalStateException("no rdf:RDF in the XMP metadata");
        }
        text = text.substring(0, end) + PDF_UA + text.substring(end);
        PDMetadata metadata = new PDMetadata(doc);
        metadata.importXMPMetadata(text.getBytes(StandardCharsets.UTF_8));
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
        return sha256(text.getBytes(StandardCharsets.UTF_8));
    }

    static byte[] sha256(byte[] bytes) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(bytes);
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
