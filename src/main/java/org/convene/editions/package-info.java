/**
 * The PDF editions over HTTP: {@code GET /api/manifestos/{id}/versions/{n}/pdf} and the latest
 * published one at {@code GET /api/manifestos/{id}/pdf} (docs/pdf.md). Builds a
 * {@link org.convene.pdf.PdfRequest} from a saved version, renders it on a small worker pool and
 * keeps the bytes in a bounded cache shared by every HTTP verticle.
 */
package org.convene.editions;
