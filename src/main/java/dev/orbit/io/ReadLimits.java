package dev.orbit.io;

/**
 * What one hostile file may make Orbit spend. Every reader checks these before it allocates, so a 1 KB file
 * that declares a 4 TB tensor, a million nodes or a 100 MB name is refused with a typed error instead of
 * exhausting memory or time. Defaults are in docs/RELIABILITY.md; each is raised with a system property
 * ({@code -Dorbit.maxBytes=...}) and, for the first two, with the command-line options {@code --max-bytes}
 * and {@code --max-nodes}.
 *
 * @param maxBytes       bytes Orbit allocates for the tensors one file declares (inline and decoded data,
 *                       data files, generated inputs, one evaluated value); memory-mapped external data is
 *                       bounded by the files that exist and does not count
 * @param maxNodes       nodes in one model, subgraphs and local functions included
 * @param maxElements    protobuf messages plus repeated string entries in one model (each costs the JVM
 *                       tens of bytes whatever its size on disk)
 * @param maxStringBytes one name, doc string, attribute string or JSON string
 * @param maxDepth       nesting depth: protobuf's recursion limit, and JSON nesting
 */
public record ReadLimits(long maxBytes, long maxNodes, long maxElements, long maxStringBytes, int maxDepth) {
    public static final long DEFAULT_MAX_BYTES = 4L << 30;
    public static final long DEFAULT_MAX_NODES = 100_000;
    public static final long DEFAULT_MAX_ELEMENTS = 5_000_000;
    public static final long DEFAULT_MAX_STRING_BYTES = 1L << 20;
    /** protobuf-java's own default recursion limit; one ONNX subgraph level costs three. */
    public static final int DEFAULT_MAX_DEPTH = 100;

    /** The limits of the command that is running; a command line binds it with {@link #runWith}. */
    private static final ScopedValue<ReadLimits> CURRENT = ScopedValue.newInstance();

    public ReadLimits {
        if (maxBytes <= 0 || maxNodes <= 0 || maxElements <= 0 || maxStringBytes <= 0 || maxDepth <= 0) {
            throw new IllegalArgumentException("read limits must be positive");
        }
    }

    /** The defaults, each overridable with a system property (orbit.maxBytes, orbit.maxNodes, ...). */
    public static ReadLimits defaults() {
        return new ReadLimits(property("orbit.maxBytes", DEFAULT_MAX_BYTES), property("orbit.maxNodes", DEFAULT_MAX_NODES),
                property("orbit.maxElements", DEFAULT_MAX_ELEMENTS), property("orbit.maxStringBytes", DEFAULT_MAX_STRING_BYTES),
                (int) Math.min(Integer.MAX_VALUE, property("orbit.maxDepth", DEFAULT_MAX_DEPTH)));
    }

    /** The limits bound by the running command, or the defaults. */
    public static ReadLimits current() {
        return CURRENT.isBound() ? CURRENT.get() : defaults();
    }

    /** Runs {@code body} with these limits as {@link #current()} (on this thread). */
    public <T, X extends Throwable> T runWith(ScopedValue.CallableOp<T, X> body) throws X {
        return ScopedValue.where(CURRENT, this).call(body);
    }

    public ReadLimits withMaxBytes(long bytes) { return new ReadLimits(bytes, maxNodes, maxElements, maxStringBytes, maxDepth); }

    public ReadLimits withMaxNodes(long nodes) { return new ReadLimits(maxBytes, nodes, maxElements, maxStringBytes, maxDepth); }

    /** Refuses a declared size beyond {@link #maxBytes}; {@code what} names the thing that declared it. */
    public void checkBytes(long bytes, String what) {
        if (bytes < 0 || bytes > maxBytes) {
            throw new LimitExceededException(what + " would take " + (bytes < 0 ? "more than 2^63" : Long.toString(bytes))
                    + " bytes, more than the limit of " + maxBytes + " (raise it with --max-bytes)");
        }
    }

    private static long property(String name, long fallback) {
        String v = System.getProperty(name);
        if (v == null || v.isBlank()) return fallback;
        try {
            return Sizes.parse(v);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("system property " + name + ": " + e.getMessage());
        }
    }
}
