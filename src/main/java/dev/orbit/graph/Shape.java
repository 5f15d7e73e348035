package dev.orbit.graph;

import java.util.ArrayList;
import java.util.List;
import java.util.stream.Collectors;

/** The shape of a value, possibly with symbolic or unknown dimensions. */
public record Shape(List<Dim> dims) {
    public Shape {
        dims = List.copyOf(dims);
    }

    public static Shape of(long... sizes) {
        List<Dim> d = new ArrayList<>(sizes.length);
        for (long s : sizes) d.add(Dim.of(s));
        return new Shape(d);
    }

    public static Shape of(Dim... dims) { return new Shape(List.of(dims)); }

    public int rank() { return dims.size(); }

    public Dim dim(int axis) { return dims.get(axis < 0 ? axis + dims.size() : axis); }

    public boolean isFullyKnown() { return dims.stream().allMatch(Dim::isKnown); }

    public long[] sizes() {
        long[] s = new long[dims.size()];
        for (int i = 0; i < s.length; i++) s[i] = dims.get(i).size();
        return s;
    }

    /** Product of the known dimensions; -1 if any is not known. */
    public long knownCount() {
        long n = 1;
        for (Dim d : dims) {
            if (!(d instanceof Dim.Known(long s))) return -1;
            n *= s;
        }
        return n;
    }

    public Shape with(int axis, Dim d) {
        List<Dim> copy = new ArrayList<>(dims);
        copy.set(axis < 0 ? axis + dims.size() : axis, d);
        return new Shape(copy);
    }

    @Override
    public String toString() {
        return dims.stream().map(Dim::toString).collect(Collectors.joining(",", "[", "]"));
    }
}
