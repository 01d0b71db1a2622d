package org.convene.pdf;

import org.apache.pdfbox.pdmodel.documentinterchange.logicalstructure.PDStructureElement;
import org.apache.pdfbox.pdmodel.documentinterchange.logicalstructure.PDStructureNode;

/**
 * The structure element each block of the text becomes: a heading H1 to H3 (never skipping a
 * level below the one before, the title being H1), a P, or an LI of an L holding its marker
 * (Lbl) and its text (LBody); consecutive items of one kind share their L. One per column.
 */
final class BlockTags {
    /** Where a block's lines go, and its marker's (null unless a list item). */
    record Tagged(PDStructureElement body, PDStructureElement label) {}

    private final Tags tags;
    private final PDStructureNode parent;
    private final String language;
    private int lastHeading = 1;
    private PDStructureElement list;
    private Block.Kind listKind;

    BlockTags(Tags tags, PDStructureNode parent, String language) {
        this.tags = tags;
        this.parent = parent;
        this.language = language;
    }

    Tagged open(Block block) {
        switch (block.kind()) {
            case HEADING -> {
                list = null;
                int level = Math.min(block.number(), lastHeading + 1);
                lastHeading = level;
                return new Tagged(tags.add(parent, "H" + level, language), null);
            }
            case BULLET, NUMBERED -> {
                if (list == null || listKind != block.kind()) {
                    list = tags.add(parent, "L", language);
                    listKind = block.kind();
                }
                PDStructureElement item = tags.add(list, "LI", language);
                PDStructureElement label = tags.add(item, "Lbl", language);
                return new Tagged(tags.add(item, "LBody", language), label);
            }
            default -> {
                list = null;
                return new Tagged(tags.add(parent, "P", language), null);
            }
        }
    }
}
