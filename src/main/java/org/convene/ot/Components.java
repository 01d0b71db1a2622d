package org.convene.ot;

import java.math.BigDecimal;
import java.math.BigInteger;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

/** Conversion between {@link TextOperation} and the ot.js JSON array form. */
final class Components {

    private Components() {}

    static TextOperation parse(List<?> components) {
        if (components == null) {
            throw new InvalidOperationException("operation is null");
        }
        TextOperation.Builder builder = TextOperation.builder();
        int index = 0;
        for (Object c : components) {
            if (c == null) {
                throw invalid(index, "is null");
            } else if (c instanceof String s) {
                if (s.isEmpty()) {
                    throw invalid(index, "is an empty insert string");
                }
                builder.insert(s);
            } else if (c instanceof Number n) {
                int count = toCount(index, n);
                if (count > 0) {
                    builder.retain(count);
                } else {
                    builder.delete(-count);
                }
            } else {
                throw invalid(index, "has unsupported type " + c.getClass().getSimpleName()
                        + " (expected a non-zero integer or a non-empty string)");
            }
            index++;
        }
        return builder.build();
    }

    /**
     * Non-zero integral value with magnitude at most Integer.MAX_VALUE, so that both a retain and
     * its negated delete are representable.
     */
    private static int toCount(int index, Number n) {
        if (n instanceof Integer i) {
            // What JSON parsers give for every count that fits: no need for the general path.
            if (i == 0) {
                throw invalid(index, "is zero");
            }
            if (i == Integer.MIN_VALUE) {
                throw invalid(index, "is outside the int range: " + n);
            }
            return i;
        }
        BigDecimal value;
        if (n instanceof Integer || n instanceof Long || n instanceof Short || n instanceof Byte
                || n instanceof AtomicInteger || n instanceof AtomicLong) {
            value = BigDecimal.valueOf(n.longValue());
        } else if (n instanceof Double || n instanceof Float) {
            double d = n.doubleValue();
            if (Double.isNaN(d) || Double.isInfinite(d)) {
                throw invalid(index, "is not a finite number: " + n);
            }
            value = new BigDecimal(d);
        } else if (n instanceof BigInteger bi) {
            value = new BigDecimal(bi);
        } else if (n instanceof BigDecimal bd) {
            value = bd;
        } else {
            try {
                value = new BigDecimal(n.toString());
            } catch (NumberFormatException e) {
                throw invalid(index, "is not a decimal number: " + n);
            }
        }
        if (value.signum() == 0) {
            throw invalid(index, "is zero");
        }
        BigInteger integral;
        try {
            integral = value.toBigIntegerExact();
        } catch (ArithmeticException e) {
            throw invalid(index, "is not an integer: " + n);
        }
        if (integral.abs().compareTo(BigInteger.valueOf(Integer.MAX_VALUE)) > 0) {
            throw invalid(index, "is outside the int range: " + n);
        }
        return integral.intValue();
    }

    private static InvalidOperationException invalid(int index, String reason) {
        return new InvalidOperationException("operation component " + index + " " + reason);
    }

    static boolean hasUnpairedSurrogate(String s) {
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (Character.isHighSurrogate(c)) {
                if (i + 1 < s.length() && Character.isLowSurrogate(s.charAt(i + 1))) {
                    i++;
                } else {
                    return true;
                }
            } else if (Character.isLowSurrogate(c)) {
                return true;
            }
        }
        return false;
    }

    /** Same text as JSON.stringify(op.toJSON()) in a current JavaScript engine. */
    static String toJson(Object[] ops) {
        StringBuilder out = new StringBuilder("[");
        for (int i = 0; i < ops.length; i++) {
            if (i > 0) {
                out.append(',');
            }
            if (ops[i] instanceof String s) {
                appendJsonString(out, s);
            } else {
                out.append(ops[i]);
            }
        }
        return out.append(']').toString();
    }

    private static void appendJsonString(StringBuilder out, String s) {
        out.append('"');
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            switch (c) {
                case '"' -> out.append("\\\"");
                case '\\' -> out.append("\\\\");
                case '\b' -> out.append("\\b");
                case '\f' -> out.append("\\f");
                case '\n' -> out.append("\\n");
                case '\r' -> out.append("\\r");
                case '\t' -> out.append("\\t");
                default -> {
                    boolean pairedHigh = Character.isHighSurrogate(c) && i + 1 < s.length()
                            && Character.isLowSurrogate(s.charAt(i + 1));
                    if (pairedHigh) {
                        out.append(c).append(s.charAt(++i));
                    } else if (c < 0x20 || Character.isSurrogate(c)) {
                        // Lone surrogates are escaped, as well-formed JSON.stringify does.
                        out.append(String.format("\\u%04x", (int) c));
                    } else {
                        out.append(c);
                    }
                }
            }
        }
        out.append('"');
    }
}
