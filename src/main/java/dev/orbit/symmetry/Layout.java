package dev.orbit.symmetry;

import java.util.List;

/** Which neuron spaces a value's channel axis holds, in order (several after a Concat). */
public record Layout(int axis, List<Segment> segments) {
    public Layout {
        segments = List.copyOf(segments);
    }

    public long length() { return segments.stream().mapToLong(Segment::length).sum(); }

    public Layout withAxis(int a) { return new Layout(a, segments); }

    boolean sameSpaces(Layout o, UnionFind uf) {
        if (o.segments.size() != segments.size()) return false;
        for (int i = 0; i < segments.size(); i++) {
            Segment a = segments.get(i);
            Segment b = o.segments.get(i);
            if (uf.find(a.space()) != uf.find(b.space()) || a.size() != b.size() || a.repeat() != b.repeat()) return false;
        }
        return true;
    }
}
