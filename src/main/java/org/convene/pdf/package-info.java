/**
 * The PDF editions of a manifesto version (issue 4): print, reading and bilingual, tagged
 * PDF/A-2a and PDF/UA-1, captions in the manifesto's language (message catalogs, {@link
 * org.convene.pdf.Labels}).
 *
 * <p>For the endpoint {@code GET /api/manifestos/{id}/versions/{n}/pdf}: build a
 * {@link org.convene.pdf.PdfRequest} from the version (number, name, creation time, SHA-256 of
 * its text, the text parsed with {@link org.convene.pdf.ManifestoText#parse}), the manifesto's
 * title and language, credits, the signing page's public URL, and for {@code lang2} the
 * translation's text; then call {@link org.convene.pdf.PdfRenderer#render} on a worker thread
 * (it is blocking and CPU-bound, about 2 s for a 760-page file) and send the bytes.
 *
 * <p>With {@code with=signatures}, pass a {@link org.convene.pdf.SignatureSource}: counts per
 * country and of hidden signers from aggregate queries, and the named signers as a cursor read on
 * that worker thread. Hidden signers must not be in {@code named()}: the renderer prints what it
 * is given.
 *
 * <p>Nothing here depends on Vert.x or the database (PdfPurityTest).
 */
package org.convene.pdf;
