package org.convene.versions;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Who inserted each character of a text, as runs: {@code lengths[i]} UTF-16 units written by
 * {@code names.get(authors[i])}. Immutable. The author "" stands for the text a manifesto was created
 * with: a kind of author no participant can be (every name entering the server goes through
 * common.Text.name, which needs a visible character and refuses what reads as "Initial text").
 */
final class Attribution {
  static final String INITIAL = "";

  final List<String> names;
  private final int[] lengths;
  private final int[] authors;
  private final int runs;
  private final int length;

  Attribution(List<String> names, int[] lengths, int[] authors, int runs) {
    this.names = names;
    this.lengths = lengths;
    this.authors = authors;
    this.runs = runs;
    int total = 0;
    for (int i = 0; i < runs; i++) {
      total = Math.addExact(total, lengths[i]);
    }
    this.length = total;
  }

  /** A text of the given length, all by one author. */
  static Attribution of(Names names, int length, String author) {
    Builder b = new Builder(names);
    b.add(length, names.id(author));
    return b.build();
  }

  int length() {
    return length;
  }

  int runs() {
    return runs;
  }

  int lengthAt(int run) {
    return lengths[run];
  }

  String authorAt(int run) {
    return names.get(authors[run]);
  }

  int authorIdAt(int run) {
    return authors[run];
  }

  /** Characters per author, most first (ties by name, so the order is stable). */
  Map<String, Integer> counts() {
    Map<String, Integer> counts = new HashMap<>();
    for (int i = 0; i < runs; i++) {
      counts.merge(names.get(authors[i]), lengths[i], Integer::sum);
    }
    Map<String, Integer> sorted = new LinkedHashMap<>();
    counts.entrySet().stream()
        .sorted(Map.Entry.<String, Integer>comparingByValue().reversed().thenComparing(Map.Entry.comparingByKey()))
        .forEach(e -> sorted.put(e.getKey(), e.getValue()));
    return sorted;
  }

  /** Compact bytes for a checkpoint: the names once, then (length, author) pairs as varints. */
  byte[] encode() {
    Map<Integer, Integer> local = new HashMap<>();
    List<String> used = new ArrayList<>();
    int[] ids = new int[runs];
    for (int i = 0; i < runs; i++) {
      ids[i] = local.computeIfAbsent(authors[i], id -> {
        used.add(names.get(id));
        return used.size() - 1;
      });
    }
    ByteArrayOutputStream out = new ByteArrayOutputStream(16 + runs * 4);
    out.write(1); // format
    varint(out, used.size());
    for (String name : used) {
      byte[] utf8 = name.getBytes(StandardCharsets.UTF_8);
      varint(out, utf8.length);
      out.write(utf8, 0, utf8.length);
    }
    varint(out, runs);
    for (int i = 0; i < runs; i++) {
      varint(out, lengths[i]);
      varint(out, ids[i]);
    }
    return out.toByteArray();
  }

  static Attribution decode(byte[] bytes, Names names) {
    int[] at = {0};
    if (bytes.length == 0 || bytes[at[0]++] != 1) {
      throw new IllegalArgumentException("unknown attribution format");
    }
    int[] map = new int[readVarint(bytes, at)];
    for (int i = 0; i < map.length; i++) {
      int n = readVarint(bytes, at);
      map[i] = names.id(new String(bytes, at[0], n, StandardCharsets.UTF_8));
      at[0] += n;
    }
    Builder b = new Builder(names);
    for (int runs = readVarint(bytes, at); runs > 0; runs--) {
      int length = readVarint(bytes, at);
      b.add(length, map[readVarint(bytes, at)]);
    }
    return b.build();
  }

  private static void varint(ByteArrayOutputStream out, int v) {
    while ((v & ~0x7F) != 0) {
      out.write((v & 0x7F) | 0x80);
      v >>>= 7;
    }
    out.write(v);
  }

  private static int readVarint(byte[] in, int[] at) {
    int v = 0;
    for (int shift = 0; ; shift += 7) {
      byte b = in[at[0]++];
      v |= (b & 0x7F) << shift;
      if (b >= 0) {
        return v;
      }
    }
  }

  /** Author names interned to small ids, shared by everything one computation builds. */
  static final class Names {
    private final List<String> list = new ArrayList<>();
    private final Map<String, Integer> ids = new HashMap<>();

    int id(String name) {
      return ids.computeIfAbsent(name, n -> {
        list.add(n);
        return list.size() - 1;
      });
    }

    List<String> list() {
      return list;
    }
  }

  /** Appends runs, merging neighbours by the same author. */
  static final class Builder {
    private final Names names;
    private int[] lengths = new int[16];
    private int[] authors = new int[16];
    private int runs;

    Builder(Names names) {
      this.names = names;
    }

    void add(int length, int author) {
      if (length <= 0) {
        return;
      }
      if (runs > 0 && authors[runs - 1] == author) {
        lengths[runs - 1] += length;
        return;
      }
      if (runs == lengths.length) {
        lengths = Arrays.copyOf(lengths, runs * 2);
        authors = Arrays.copyOf(authors, runs * 2);
      }
      lengths[runs] = length;
      authors[runs++] = author;
    }

    Attribution build() {
      return new Attribution(names.list(), lengths, authors, runs);
    }
  }
}
