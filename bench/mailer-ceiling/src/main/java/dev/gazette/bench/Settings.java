package dev.gazette.bench;

import java.util.List;

/** What to send: {@code ceiling.*} system properties, set from the arguments by {@link Main}. */
record Settings(int count, int size, int concurrency, String host, int port, int warmup) {

    static final String PREFIX = "ceiling.";
    static final List<String> KEYS = List.of("count", "size", "concurrency", "host", "port", "warmup");

    static Settings fromSystemProperties() {
        int count = intProperty("count", 20_000);
        return new Settings(count, intProperty("size", 6144), intProperty("concurrency", 16),
                System.getProperty(PREFIX + "host", "127.0.0.1"), intProperty("port", 25),
                intProperty("warmup", Math.min(1000, Math.max(1, count / 10))));
    }

    private static int intProperty(String key, int fallback) {
        String value = System.getProperty(PREFIX + key);
        return value == null || value.isBlank() ? fallback : Integer.parseInt(value.trim());
    }
}
