package dev.orbit.graph;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

import dev.orbit.tensor.NdArray;

/** The attributes of one node, in file order, with typed look-ups and defaults. */
public record Attributes(Map<String, Attr> map) {
    public static final Attributes NONE = new Attributes(Map.of());

    public Attributes {
        map = Collections.unmodifiableMap(new LinkedHashMap<>(map));
    }

    public boolean has(String name) { return map.containsKey(name); }

    public Optional<Attr> get(String name) { return Optional.ofNullable(map.get(name)); }

    public long getInt(String name, long dflt) {
        return switch (map.get(name)) {
            case null -> dflt;
            case Attr.Int(long v) -> v;
            case Attr a -> throw wrongKind(name, a, "int");
        };
    }

    public float getFloat(String name, float dflt) {
        return switch (map.get(name)) {
            case null -> dflt;
            case Attr.Float(float v) -> v;
            case Attr.Int(long v) -> v;
            case Attr a -> throw wrongKind(name, a, "float");
        };
    }

    public String getString(String name, String dflt) {
        return switch (map.get(name)) {
            case null -> dflt;
            case Attr.Str(String v) -> v;
            case Attr a -> throw wrongKind(name, a, "string");
        };
    }

    /** Integer list; null (or dflt) when absent. */
    public long[] getInts(String name, long[] dflt) {
        return switch (map.get(name)) {
            case null -> dflt;
            case Attr.Ints(long[] v) -> v.clone();
            case Attr.Int(long v) -> new long[] {v};
            case Attr a -> throw wrongKind(name, a, "ints");
        };
    }

    public float[] getFloats(String name, float[] dflt) {
        return switch (map.get(name)) {
            case null -> dflt;
            case Attr.Floats(float[] v) -> v.clone();
            case Attr a -> throw wrongKind(name, a, "floats");
        };
    }

    public NdArray getTensor(String name) {
        return switch (map.get(name)) {
            case null -> null;
            case Attr.TensorValue(NdArray v) -> v;
            case Attr a -> throw wrongKind(name, a, "tensor");
        };
    }

    public Attributes with(String name, Attr value) {
        Map<String, Attr> m = new LinkedHashMap<>(map);
        m.put(name, value);
        return new Attributes(m);
    }

    private static ModelFormatException wrongKind(String name, Attr a, String want) {
        return new ModelFormatException("attribute '" + name + "' should be " + want + " but is "
                + a.getClass().getSimpleName());
    }
}
