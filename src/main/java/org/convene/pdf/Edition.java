package org.convene.pdf;

/** The three editions of issue 4. */
public enum Edition {
    /** For paper and the archive: A4 or Letter, 11 pt, every detail of the version on page one. */
    PRINT,
    /** For reading aloud: 18 pt, generous spacing, a short paragraph never split across pages. */
    READING,
    /** Source and translation side by side, paragraph by paragraph. */
    BILINGUAL
}
