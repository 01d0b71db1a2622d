package org.convene.pdf;

import java.util.Map;
import java.util.TreeMap;
import org.apache.pdfbox.cos.COSArray;
import org.apache.pdfbox.cos.COSBase;
import org.apache.pdfbox.cos.COSName;
import org.apache.pdfbox.pdmodel.PDDocument;
import org.apache.pdfbox.pdmodel.PDPage;
import org.apache.pdfbox.pdmodel.common.PDNumberTreeNode;
import org.apache.pdfbox.pdmodel.common.PDRectangle;
import org.apache.pdfbox.pdmodel.documentinterchange.logicalstructure.PDMarkInfo;
import org.apache.pdfbox.pdmodel.documentinterchange.logicalstructure.PDMarkedContentReference;
import org.apache.pdfbox.pdmodel.documentinterchange.logicalstructure.PDObjectReference;
import org.apache.pdfbox.pdmodel.documentinterchange.logicalstructure.PDStructureElement;
import org.apache.pdfbox.pdmodel.documentinterchange.logicalstructure.PDStructureNode;
import org.apache.pdfbox.pdmodel.documentinterchange.logicalstructure.PDStructureTreeRoot;
import org.apache.pdfbox.pdmodel.documentinterchange.taggedpdf.PDLayoutAttributeObject;
import org.apache.pdfbox.pdmodel.interactive.annotation.PDAnnotation;

/**
 * The structure tree of a tagged PDF (PDF/UA-1): a Document element holding headings,
 * paragraphs, lists, figures and links in reading order, each pointing at the marked content
 * (MCIDs) that draws it, and the parent tree that leads back from content to element.
 *
 * <p>Elements are created as the text streams past; PDFBox keeps them, like the pages, until
 * the file is written, so the appendix gives one element to a page of names rather than one
 * to each signer.
 */
final class Tags {
    private final PDDocument doc;
    private final PDStructureTreeRoot root = new PDStructureTreeRoot();
    private final PDStructureElement document;
    private final String language;
    /** Parent tree: a page's StructParents key to the element of each of its MCIDs; a link's key to its element. */
    private final Map<Integer, COSBase> parents = new TreeMap<>();
    private int nextKey;
    private PDPage page;
    private COSArray pageParents;

    Tags(PDDocument doc, String language) {
        this.doc = doc;
        this.language = language;
        this.document = new PDStructureElement("Document", root);
        document.setLanguage(language);
        root.appendKid(document);
    }

    PDStructureElement document() {
        return document;
    }

    /** A new element of {@code type} (H1, P, L, LI, Lbl, LBody, Figure, Link...) at the end of {@code parent}. */
    PDStructureElement add(PDStructureNode parent, String type) {
        PDStructureElement element = new PDStructureElement(type, parent);
        if (page != null) {
            element.setPage(page);
        }
        if (parent instanceof PDStructureElement p) {
            p.appendKid(element);
        } else {
            ((PDStructureTreeRoot) parent).appendKid(element);
        }
        return element;
    }

    /** As {@link #add}, with /Lang when {@code language} is not the document's. */
    PDStructureElement add(PDStructureNode parent, String type, String language) {
        PDStructureElement element = add(parent, type);
        if (language != null && !language.equals(this.language)) {
            element.setLanguage(language);
        }
        return element;
    }

    /** Content drawn from now on is on {@code next}. */
    void page(PDPage next) {
        page = next;
        pageParents = new COSArray();
        next.setStructParents(nextKey);
        parents.put(nextKey++, pageParents);
        // Tab order follows the structure (PDF/UA: every page with annotations; harmless on others).
        next.getCOSObject().setName(COSName.getPDFName("Tabs"), "S");
    }

    /** The next MCID of the current page, belonging to {@code element}. */
    int mark(PDStructureElement element) {
        int mcid = pageParents.size();
        pageParents.add(element);
        COSBase pg = element.getCOSObject().getDictionaryObject(COSName.PG);
        if (pg == null) {
            element.setPage(page);
            pg = page.getCOSObject();
        }
        if (pg == page.getCOSObject()) {
            element.appendKid(mcid);
        } else {
            // An element begun on an earlier page: its /Pg does not say where this piece is.
            PDMarkedContentReference ref = new PDMarkedContentReference();
            ref.setPage(page);
            ref.setMCID(mcid);
            element.appendKid(ref);
        }
        return mcid;
    }

    /** Ties a link annotation of the current page to its Link element. */
    void link(PDStructureElement element, PDAnnotation annotation) {
        PDObjectReference ref = new PDObjectReference();
        ref.setReferencedObject(annotation);
        ref.setPage(page);
        element.appendKid(ref);
        annotation.setStructParent(nextKey);
        parents.put(nextKey++, element.getCOSObject());
    }

    /** The box a figure occupies, which assistive technology uses to point at it. */
    static void bbox(PDStructureElement figure, PDRectangle box) {
        PDLayoutAttributeObject layout = new PDLayoutAttributeObject();
        layout.setBBox(box);
        figure.addAttribute(layout);
    }

    /** Attaches the tree to the catalog: to be called once every page is drawn. */
    void finish() {
        PDNumberTreeNode tree = new PDNumberTreeNode(PDParentTreeEntry.class);
        Map<Integer, PDParentTreeEntry> numbers = new TreeMap<>();
        parents.forEach((k, v) -> numbers.put(k, new PDParentTreeEntry(v)));
        tree.setNumbers(numbers);
        root.setParentTree(tree);
        root.setParentTreeNextKey(nextKey);
        doc.getDocumentCatalog().setStructureTreeRoot(root);
        PDMarkInfo markInfo = new PDMarkInfo();
        markInfo.setMarked(true);
        doc.getDocumentCatalog().setMarkInfo(markInfo);
    }

    /** A parent tree value: an array of elements (a page) or one element (an annotation). */
    static final class PDParentTreeEntry implements org.apache.pdfbox.pdmodel.common.COSObjectable {
        private final COSBase value;

        PDParentTreeEntry(COSBase value) {
            this.value = value;
        }

        @Override
        public COSBase getCOSObject() {
            return value;
        }
    }
}
