package org.convene.common;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class TextTest {
  @Test
  void controlsOtherThanTabAndLineBreaksAreRefused() {
    for (int cp = 0; cp < 0x20; cp++) {
      assertEquals(cp == 9 || cp == 10 || cp == 13, Text.allowed(cp), Text.codePoint(cp));
    }
    for (int cp = 0x7F; cp <= 0x9F; cp++) {
      assertFalse(Text.allowed(cp), Text.codePoint(cp));
    }
    assertTrue(Text.allowed(' '));
    assertTrue(Text.allowed(0xA0));
    assertEquals(3, Text.firstRefused("abc\0"));
    assertEquals("contains U+0000 at position 1", Text.problem("x\0y").substring(0, 29));
  }

  @Test
  void noncharactersAndLoneSurrogatesAreRefusedButPairsAndFormatCharactersAreText() {
    int refused = 0;
    for (int cp = 0; cp <= Character.MAX_CODE_POINT; cp++) {
      if (!Text.allowed(cp) && cp >= 0xA0 && (cp < 0xD800 || cp > 0xDFFF)) {
        refused++;
      }
    }
    assertEquals(66, refused, "the 66 noncharacters");
    assertEquals(0, Text.firstRefused("\uD800"));
    assertEquals(1, Text.firstRefused("a\uDC00b"));
    assertEquals(2, Text.firstRefused("😀\uFFFE"));
    assertEquals(0, Text.firstRefused("\uDBFF\uDFFF"), "U+10FFFF");
    assertEquals(-1, Text.firstRefused("\t😀\u200C\u202Eمی‌خواهیم\uFEFF\uE000\r\n"));
  }

  @Test
  void storableTextReplacesNulOnly() {
    assertEquals("a\uFFFDb\uFFFD", Text.storable("a\0b\0"));
    String clean = "abc";
    assertTrue(clean == Text.storable(clean));
  }

  @Test
  void namesLoseBidiControlsAndNeedAVisibleCharacter() {
    assertEquals("Amal", Text.name("\u202EAmal\u202C", 60).value());
    assertEquals("Amal Yusuf", Text.name("  Amal\t\n \u2066Yusuf\u2069 ", 60).value());
    assertEquals("مریم", Text.name("\u200Fمریم\u061C", 60).value());
    assertEquals("Ali\u200Dx", Text.name("Ali\u200Dx", 60).value(), "joiners inside a name stay");
    for (String invisible : new String[] {"\u200B", "\u2066\u2069", "\u200B\u200C\u200D\u2060\uFEFF", "\u3164",
        "\u2800", " \u00A0\u3000", "\u0301", "\uDB40\uDC20", "\u202E\u202D"}) {
      Text.Name n = Text.name(invisible, 60);
      assertNull(n.value(), invisible.codePoints().mapToObj(Text::codePoint).toList().toString());
      assertNotNull(n.problem());
    }
    assertNull(Text.name("a\0b", 60).value());
    assertNull(Text.name("a\u0085b", 60).value());
    assertNull(Text.name("x".repeat(61), 60).value());
    assertEquals("x".repeat(60), Text.name("x".repeat(60), 60).value());
  }

  @Test
  void nobodyMayBeNamedAsTheInitialTextIsCredited() {
    for (String taken : new String[] {"Initial text", "initial TEXT", " Initial\u00A0 text ", "Initial\u200B text",
        "Ｉｎｉｔｉａｌ ｔｅｘｔ", "\u0406nitial text", "Initial\u202E text",
        "InitialText", "initial-text", "Initial text."}) {
      assertNull(Text.name(taken, 60).value(), taken);
    }
    assertEquals("Initial texts", Text.name("Initial texts", 60).value());
    assertEquals("Initial", Text.name("Initial", 60).value());
  }
}
