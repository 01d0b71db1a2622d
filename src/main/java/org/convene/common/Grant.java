package org.convene.common;

/** What a capability token lets its holder do: a role on one manifesto. */
public record Grant(String manifestoId, Role role) {}
