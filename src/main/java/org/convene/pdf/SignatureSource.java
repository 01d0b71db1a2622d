package org.convene.pdf;

import java.util.Iterator;
import java.util.Map;

/**
 * The confirmed signatures of a version, for the appendix. There may be hundreds of thousands,
 * so the names are streamed: the renderer takes each line once, draws it and lets it go.
 *
 * <p>Signers who chose to stay hidden never reach the renderer by name: they are in
 * {@link #countsByCountry()} and {@link #hiddenCount()}, never in {@link #named()}.
 */
public interface SignatureSource {
    /** Confirmed signers per country (ISO 3166 code), hidden signers included. */
    Map<String, Long> countsByCountry();

    /** How many of them chose not to be named. */
    long hiddenCount();

    /** The named signers in the order to print them; called once, consumed lazily. */
    Iterator<SignerLine> named();
}
