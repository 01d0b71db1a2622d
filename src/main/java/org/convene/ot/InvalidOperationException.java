package org.convene.ot;

/** Thrown for any invalid operation or misuse; message is a human-readable reason. */
public final class InvalidOperationException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    public InvalidOperationException(String message) {
        super(message);
    }
}
