package org.convene.pdf;

import java.util.Objects;

/** Someone to thank on the last page: a name and what they did, in the words of the caller. */
public record Credit(String name, String role) {
    public Credit {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(role, "role");
    }
}
