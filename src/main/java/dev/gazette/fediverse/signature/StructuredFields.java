package dev.gazette.fediverse.signature;

import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The part of RFC 8941 (Structured Field Values) that message signatures use: dictionaries whose members are items or
 * inner lists, with parameters. Decimals are not needed by any field read here and are refused.
 */
final class StructuredFields {

    /** A token (an unquoted name such as {@code sha-256}). */
    record Token(String name) {
    }

    /** An item of an inner list, with its parameters. */
    record Item(Object value, Map<String, Object> params) {
    }

    /**
     * A dictionary member: a bare item (String, Long, byte[], Boolean or {@link Token}) or an inner list of
     * {@link Item}s, its parameters, and its text as received (after {@code key=}), which RFC 9421 signs.
     */
    record Member(Object value, Map<String, Object> params, String raw) {
    }

    private final String in;
    private int pos;

    private StructuredFields(String in) {
        this.in = in;
    }

    /** Parses a dictionary; a malformed field throws {@link IllegalArgumentException}. */
    static Map<String, Member> dictionary(String field) {
        StructuredFields p = new StructuredFields(field);
        Map<String, Member> members = new LinkedHashMap<>();
        p.skip(' ');
        while (!p.end()) {
            String key = p.key();
            Object value = Boolean.TRUE;
            int start = p.pos;
            if (p.peek() == '=') {
                p.pos++;
                start = p.pos;
                value = p.peek() == '(' ? p.innerList() : p.bareItem();
            }
            Map<String, Object> params = p.params();
            members.put(key, new Member(value, params, p.in.substring(start, p.pos)));
            p.skipOws();
            if (p.end()) {
                break;
            }
            p.expect(',');
            p.skipOws();
            if (p.end()) {
                throw new IllegalArgumentException("A dictionary must not end with a comma");
            }
        }
        return members;
    }

    private List<Item> innerList() {
        expect('(');
        List<Item> items = new ArrayList<>();
        while (true) {
            skip(' ');
            if (peek() == ')') {
                pos++;
                return items;
            }
            Object value = bareItem();
            items.add(new Item(value, params()));
            char next = peek();
            if (next != ' ' && next != ')') {
                throw new IllegalArgumentException("Malformed inner list at " + pos);
            }
        }
    }

    private Map<String, Object> params() {
        Map<String, Object> params = new LinkedHashMap<>();
        while (peek() == ';') {
            pos++;
            skip(' ');
            String key = key();
            Object value = Boolean.TRUE;
            if (peek() == '=') {
                pos++;
                value = bareItem();
            }
            params.put(key, value);
        }
        return params;
    }

    private String key() {
        int start = pos;
        char first = peek();
        if (!(first >= 'a' && first <= 'z') && first != '*') {
            throw new IllegalArgumentException("A key must start with a lower-case letter at " + pos);
        }
        while (!end() && (Character.isLowerCase(peek()) && peek() <= 'z' || Character.isDigit(peek())
                || "_-.*".indexOf(peek()) >= 0)) {
            pos++;
        }
        return in.substring(start, pos);
    }

    private Object bareItem() {
        char c = peek();
        if (c == '-' || (c >= '0' && c <= '9')) {
            return integer();
        }
        if (c == '"') {
            return string();
        }
        if (c == ':') {
            return bytes();
        }
        if (c == '?') {
            pos++;
            char b = peek();
            pos++;
            if (b != '0' && b != '1') {
                throw new IllegalArgumentException("Malformed boolean at " + pos);
            }
            return b == '1';
        }
        if ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c == '*') {
            int start = pos;
            while (!end() && (isTchar(peek()) || peek() == ':' || peek() == '/')) {
                pos++;
            }
            return new Token(in.substring(start, pos));
        }
        throw new IllegalArgumentException("Unexpected character at " + pos);
    }

    private Long integer() {
        int start = pos;
        if (peek() == '-') {
            pos++;
        }
        while (!end() && Character.isDigit(peek()) && peek() <= '9') {
            pos++;
        }
        if (peek() == '.') {
            throw new IllegalArgumentException("Decimals are not supported here");
        }
        String digits = in.substring(start, pos);
        if (digits.isEmpty() || digits.equals("-") || digits.replace("-", "").length() > 15) {
            throw new IllegalArgumentException("Malformed integer at " + start);
        }
        return Long.parseLong(digits);
    }

    private String string() {
        expect('"');
        StringBuilder value = new StringBuilder();
        while (!end()) {
            char c = in.charAt(pos++);
            if (c == '\\') {
                char escaped = end() ? 0 : in.charAt(pos++);
                if (escaped != '"' && escaped != '\\') {
                    throw new IllegalArgumentException("Malformed escape in a string at " + pos);
                }
                value.append(escaped);
            } else if (c == '"') {
                return value.toString();
            } else if (c < 0x20 || c > 0x7e) {
                throw new IllegalArgumentException("Invalid character in a string at " + pos);
            } else {
                value.append(c);
            }
        }
        throw new IllegalArgumentException("Unterminated string");
    }

    private byte[] bytes() {
        expect(':');
        int close = in.indexOf(':', pos);
        if (close < 0) {
            throw new IllegalArgumentException("Unterminated byte sequence");
        }
        String base64 = in.substring(pos, close);
        pos = close + 1;
        return Base64.getDecoder().decode(base64);
    }

    private static boolean isTchar(char c) {
        return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || "!#$%&'*+-.^_`|~".indexOf(c) >= 0;
    }

    private char peek() {
        return end() ? 0 : in.charAt(pos);
    }

    private boolean end() {
        return pos >= in.length();
    }

    private void expect(char c) {
        if (peek() != c) {
            throw new IllegalArgumentException("Expected '" + c + "' at " + pos);
        }
        pos++;
    }

    private void skip(char c) {
        while (peek() == c) {
            pos++;
        }
    }

    private void skipOws() {
        while (peek() == ' ' || peek() == '\t') {
            pos++;
        }
    }
}
