package org.convene.ot;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.math.BigDecimal;
import java.math.BigInteger;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;

class TextOperationTest {

    private static TextOperation op(Object... components) {
        return TextOperation.fromComponents(Arrays.asList(components));
    }

    private static void assertRejected(String messagePart, Object... components) {
        InvalidOperationException e = assertThrows(InvalidOperationException.class, () -> op(components));
        assertTrue(e.getMessage().contains(messagePart), e.getMessage());
    }

    @Test
    void builderTracksLengthsAndComponents() {
        TextOperation o = TextOperation.builder().retain(3).insert("ab").delete(2).retain(1).build();
        assertEquals(List.of(3, "ab", -2, 1), o.toComponents());
        assertEquals(6, o.baseLength());
        assertEquals(6, o.targetLength());
        assertEquals(4, o.componentCount());
        assertEquals(2, o.insertedLength());
    }

    @Test
    void builderMergesAdjacentSameKind() {
        TextOperation o = TextOperation.builder()
                .retain(1).retain(2).insert("a").insert("b").delete(1).delete(3).build();
        assertEquals(List.of(3, "ab", -4), o.toComponents());
    }

    @Test
    void builderPutsInsertBeforeDelete() {
        assertEquals(List.of(1, "x", -2), TextOperation.builder().retain(1).delete(2).insert("x").build().toComponents());
        // an insert already in front of the delete absorbs the new one
        assertEquals(List.of("ab", -2),
                TextOperation.builder().insert("a").delete(2).insert("b").build().toComponents());
        assertEquals(List.of("ab", -3),
                TextOperation.builder().delete(1).insert("a").delete(2).insert("b").build().toComponents());
    }

    @Test
    void builderIgnoresZeroAndEmpty() {
        TextOperation o = TextOperation.builder().retain(0).insert("").delete(0).build();
        assertEquals(List.of(), o.toComponents());
        assertTrue(o.isNoop());
    }

    @Test
    void builderRejectsMisuse() {
        assertThrows(InvalidOperationException.class, () -> TextOperation.builder().retain(-1));
        assertThrows(InvalidOperationException.class, () -> TextOperation.builder().delete(-1));
        assertThrows(InvalidOperationException.class, () -> TextOperation.builder().insert(null));
        assertThrows(InvalidOperationException.class,
                () -> TextOperation.builder().retain(Integer.MAX_VALUE).delete(1));
        assertThrows(InvalidOperationException.class,
                () -> TextOperation.builder().retain(Integer.MAX_VALUE).insert("x"));
    }

    @Test
    void builderBuildIsASnapshot() {
        TextOperation.Builder b = TextOperation.builder().insert("a");
        TextOperation first = b.build();
        b.insert("b");
        assertEquals(List.of("a"), first.toComponents());
        assertEquals(List.of("ab"), b.build().toComponents());
    }

    @Test
    void fromComponentsNormalises() {
        assertEquals(List.of(3, "ab", -3, 1), op(1, 2, "a", -1, "b", -2, 1).toComponents());
        assertEquals(List.of("x", -1), op(-1, "x").toComponents());
        assertEquals(op(2, "xy", -1), TextOperation.builder().retain(2).insert("xy").delete(1).build());
    }

    @Test
    void fromComponentsAcceptsIntegralNumbersOfAnyType() {
        TextOperation o = op(2L, (short) 1, -3.0, new BigDecimal("4.00"), BigInteger.valueOf(-1),
                (long) Integer.MAX_VALUE - 20);
        assertEquals(List.of(3, -3, 4, -1, Integer.MAX_VALUE - 20), o.toComponents());
        assertEquals(List.of(-Integer.MAX_VALUE), op((long) -Integer.MAX_VALUE).toComponents());
    }

    @Test
    void fromComponentsRejectsInvalidComponents() {
        assertRejected("is zero", 1, 0, 2);
        assertRejected("is zero", 0.0);
        assertRejected("empty", 1, "");
        assertRejected("not an integer", 1.5);
        assertRejected("not an integer", new BigDecimal("-2.5"));
        assertRejected("int range", (long) Integer.MAX_VALUE + 1);
        assertRejected("int range", (long) Integer.MIN_VALUE);
        assertRejected("int range", 1e12);
        assertRejected("int range", new BigInteger("99999999999999999999"));
        assertRejected("finite", Double.NaN);
        assertRejected("finite", Double.POSITIVE_INFINITY);
        assertRejected("is null", 1, null);
        assertRejected("Boolean", true);
        assertRejected("unsupported type", 'c');
        assertRejected("unsupported type", List.of(1));
        assertRejected("component 2", 1, "a", false);
        InvalidOperationException e = assertThrows(InvalidOperationException.class,
                () -> TextOperation.fromComponents(null));
        assertTrue(e.getMessage().contains("null"));
    }

    @Test
    void fromComponentsRejectsTotalLengthOverflow() {
        assertRejected("exceeds", Integer.MAX_VALUE, 1);
        assertRejected("exceeds", Integer.MAX_VALUE, -1);
    }

    @Test
    void toComponentsIsUnmodifiable() {
        List<Object> c = op(1, "a").toComponents();
        assertThrows(UnsupportedOperationException.class, () -> c.add(2));
    }

    @Test
    void isNoop() {
        assertTrue(op().isNoop());
        assertTrue(op(5).isNoop());
        assertFalse(op("a").isNoop());
        assertFalse(op(-1).isNoop());
        assertFalse(op(1, "a", 1).isNoop());
    }

    @Test
    void applyBasics() {
        assertEquals("Hallo Welt!", op(1, "a", -1, 3, " Welt", -6, 1).apply("Hello world!"));
        assertEquals("", op().apply(""));
        assertEquals("new", op("new", -3).apply("old"));
        assertEquals("abc", op(3).apply("abc"));
    }

    @Test
    void applyRejectsLengthMismatchAndNull() {
        InvalidOperationException e = assertThrows(InvalidOperationException.class, () -> op(3).apply("ab"));
        assertTrue(e.getMessage().contains("base length 3"), e.getMessage());
        assertThrows(InvalidOperationException.class, () -> op(1).apply("ab"));
        assertThrows(InvalidOperationException.class, () -> op().apply(null));
    }

    @Test
    void applyRejectsSplittingSurrogatePairs() {
        String doc = "a\uD83D\uDE00b"; // a😀b, 4 code units
        assertEquals("a\uD83D\uDE00xb", op(3, "x", 1).apply(doc));
        assertEquals("ab", op(1, -2, 1).apply(doc));
        // retain boundary between the halves
        InvalidOperationException e = assertThrows(InvalidOperationException.class, () -> op(2, "x", 2).apply(doc));
        assertTrue(e.getMessage().contains("surrogate pair"), e.getMessage());
        assertThrows(InvalidOperationException.class, () -> op(2, -2).apply(doc));
        // delete boundaries between the halves, at its start and at its end
        assertThrows(InvalidOperationException.class, () -> op(1, -1, 2).apply(doc));
        assertThrows(InvalidOperationException.class, () -> op(2, -1, 1).apply(doc));
        assertThrows(InvalidOperationException.class, () -> op("x", -1, 3).apply("\uD83D\uDE00\uD83D\uDE00"));
        assertEquals("x\uD83D\uDE00", op("x", -2, 2).apply("\uD83D\uDE00\uD83D\uDE00"));
        // a lone surrogate in the document has no pair to split
        assertEquals("\uD83Dx", op(1, "x").apply("\uD83D"));
    }

    @Test
    void applyInPlaceRefusesWhatApplyRefusesAndChangesNothing() {
        String doc = "a\uD83D\uDE00b";
        List<TextOperation> refused = List.of(op(2, "x", 2), op(2, -2), op(1, -1, 2), op(2, -1, 1), op(3), op(5),
                // more components than the in-place path takes, splitting a pair at the end
                op("p", 1, "q", -1, "r", 1, "s", -1, "t"));
        for (TextOperation o : refused) {
            StringBuilder text = new StringBuilder(doc);
            assertThrows(InvalidOperationException.class, () -> o.applyTo(text), o.toString());
            assertEquals(doc, text.toString(), o.toString());
        }
        StringBuilder text = new StringBuilder(doc);
        op(3, "x", 1).applyTo(text);
        op("y", 1, -2, 2).applyTo(text);
        assertEquals("yaxb", text.toString());
    }

    @Test
    void detectsUnpairedSurrogates() {
        assertFalse(op("a\uD83D\uDE00b").hasUnpairedSurrogate());
        assertFalse(op(3).hasUnpairedSurrogate());
        assertTrue(op("a\uD83D").hasUnpairedSurrogate());
        assertTrue(op(1, "\uDE00b").hasUnpairedSurrogate());
        assertTrue(op("\uDE00\uD83D").hasUnpairedSurrogate());
        assertTrue(op(1, "ok", 1, "\uD83Dx").hasUnpairedSurrogate());
    }

    @Test
    void composeBasics() {
        TextOperation a = op(3, "X", -1);
        TextOperation b = op(-1, 3);
        TextOperation ab = a.compose(b);
        assertEquals(List.of(-1, 2, "X", -1), ab.toComponents());
        assertEquals(b.apply(a.apply("abcd")), ab.apply("abcd"));
        assertEquals(op(), op("a").compose(op(-1)));
        assertEquals(op(1, "a"), op(1, "a").compose(op(2)));
        assertEquals(op(-1), op("a", -1).compose(op(-1)));
    }

    @Test
    void composeRejectsLengthMismatch() {
        InvalidOperationException e = assertThrows(InvalidOperationException.class, () -> op(3).compose(op(4)));
        assertTrue(e.getMessage().contains("target length 3"), e.getMessage());
        assertThrows(InvalidOperationException.class, () -> op(3).compose(null));
    }

    @Test
    void transformPutsAsInsertFirstOnTie() {
        TextOperation a = op(1, "A", 1);
        TextOperation b = op(1, "B", 1);
        TextOperation.Transformed t = TextOperation.transform(a, b);
        assertEquals(op(1, "A", 2), t.a());
        assertEquals(op(2, "B", 1), t.b());
        assertEquals("xABy", t.b().apply(a.apply("xy")));
        assertEquals("xABy", t.a().apply(b.apply("xy")));
    }

    @Test
    void transformOverlappingDeletes() {
        TextOperation a = op(-3, 2);
        TextOperation b = op(1, -3, 1);
        TextOperation.Transformed t = TextOperation.transform(a, b);
        assertEquals(op(-1, 1), t.a());
        assertEquals(op(-1, 1), t.b());
        assertEquals("e", t.b().apply(a.apply("abcde")));
    }

    @Test
    void transformRejectsMismatchedBases() {
        InvalidOperationException e = assertThrows(InvalidOperationException.class,
                () -> TextOperation.transform(op(2), op(3)));
        assertTrue(e.getMessage().contains("base lengths"), e.getMessage());
        assertThrows(InvalidOperationException.class, () -> TextOperation.transform(op(2), null));
    }

    @Test
    void equalsHashCodeAndToString() {
        assertEquals(op(1, 2, "a"), op(3, "a"));
        assertEquals(op(1, 2, "a").hashCode(), op(3, "a").hashCode());
        assertNotEquals(op(3, "a"), op(3, "b"));
        assertNotEquals(op(3), op(-3));
        assertNotEquals(op(1), "[1]");
        assertEquals("[3,\"ab\",-2]", op(3, "ab", -2).toString());
        assertEquals("[]", op().toString());
        assertEquals("[\"q\\\"\\\\\\n\\t\\u0001é\uD83D\uDE00\\ud83d\"]",
                op("q\"\\\n\t\u0001é\uD83D\uDE00\uD83D").toString());
    }

    @Test
    void componentCountAndInsertedLength() {
        TextOperation o = op(2, "ab", -1, 1, "\uD83D\uDE00");
        assertEquals(5, o.componentCount());
        assertEquals(4, o.insertedLength());
        assertEquals(0, op().componentCount());
        List<Object> many = new ArrayList<>();
        for (int i = 0; i < 100; i++) {
            many.add("x");
        }
        assertEquals(1, TextOperation.fromComponents(many).componentCount());
    }
}
