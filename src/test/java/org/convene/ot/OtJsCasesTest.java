package org.convene.ot;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Replays the table that tools/otjs-cases/generate.js computed with ot.js 0.0.15 itself, so the
 * port must agree with the reference component for component, not just satisfy the same laws.
 */
class OtJsCasesTest {

    private static final ObjectMapper MAPPER = new ObjectMapper();

    @Test
    void javaPortMatchesOtJs() throws Exception {
        JsonNode cases;
        try (InputStream in = getClass().getResourceAsStream("/ot/otjs-cases.json")) {
            assertNotNull(in, "ot/otjs-cases.json missing from test resources");
            cases = MAPPER.readTree(in).get("cases");
        }
        assertTrue(cases.size() >= 1000, "expected at least 1000 cases, got " + cases.size());
        for (int i = 0; i < cases.size(); i++) {
            check(i, cases.get(i));
        }
    }

    private static void check(int index, JsonNode c) throws Exception {
        String at = "case " + index + ": ";
        String doc = c.get("doc").asText();
        TextOperation a = parse(c.get("a"));
        TextOperation b = parse(c.get("b"));
        TextOperation third = parse(c.get("c"));
        assertSameOp(at + "a normalised", c.get("a"), a);
        assertSameOp(at + "b normalised", c.get("b"), b);

        String applyA = c.get("applyA").asText();
        assertEquals(applyA, a.apply(doc), at + "apply(doc, a)");
        assertEquals(c.get("applyB").asText(), b.apply(doc), at + "apply(doc, b)");

        TextOperation composed = a.compose(third);
        assertSameOp(at + "compose(a, c)", c.get("composeAB"), composed);
        assertEquals(c.get("composeResult").asText(), composed.apply(doc), at + "apply(doc, compose(a, c))");
        assertEquals(c.get("composeResult").asText(), third.apply(applyA), at + "apply(applyA, c)");

        TextOperation.Transformed t = TextOperation.transform(a, b);
        assertSameOp(at + "a'", c.get("aPrime"), t.a());
        assertSameOp(at + "b'", c.get("bPrime"), t.b());
        String result = c.get("transformedResult").asText();
        assertEquals(result, t.b().apply(applyA), at + "apply(apply(doc, a), b')");
        assertEquals(result, t.a().apply(b.apply(doc)), at + "apply(apply(doc, b), a')");
    }

    private static TextOperation parse(JsonNode node) throws Exception {
        return TextOperation.fromComponents(MAPPER.treeToValue(node, List.class));
    }

    /** Compares components and checks that toString is JSON that reads back to the same array. */
    private static void assertSameOp(String what, JsonNode expected, TextOperation actual) throws Exception {
        List<Object> want = new ArrayList<>();
        for (JsonNode n : expected) {
            want.add(n.isTextual() ? n.asText() : (Object) n.intValue());
        }
        assertEquals(want, actual.toComponents(), what);
        assertEquals(expected, MAPPER.readTree(actual.toString()), what + " toString " + actual);
    }
}
