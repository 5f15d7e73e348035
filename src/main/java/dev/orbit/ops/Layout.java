package dev.orbit.ops;

import java.util.List;
import java.util.function.IntUnaryOperator;

/** Which neuron spaces a value's channel axis holds, in order (several after a Concat). */
public record Layout(int axis, List<Segment> segments) {
    public Layout {
        segments = List.copyOf(segments);
    }

    public long length() { return segments.stream().mapToLong(Segment::length).sum(); }

    public Layout withAxis(int a) { return new Layout(a, segments); }

    /** Same structure segment by segment, with spaces equal up to {@code representative} (the analysis' merges). */
    public boolean sameSpaces(Layout o, IntUnaryOperator representative) {
        if (o.segments.size() != segments.size()) return false;
        for (int i = 0; i < segments.size(); i++) {
            Segment a = segments.get(i);
            Segment b = o.segments.get(i);
            if (representative.applyAsInt(a.space()) != representative.applyAsInt(b.space()) || a.size() != b.size() || a.repeat() != b.repeat()) return false;
        }
        return true;
    }
}
