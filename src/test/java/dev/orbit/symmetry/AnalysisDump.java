package dev.orbit.symmetry;

import dev.orbit.Fixtures;

/** Prints the analysis of every fixture (a development aid: `./run-tests -Dtest=AnalysisDump`). */
class AnalysisDump {
    @org.junit.jupiter.api.Test
    void dump() {
        for (var f : Fixtures.all()) {
            var a = SpaceAnalyzer.analyze(f.load());
            System.out.println("== " + f.name());
            for (var s : a.spaces()) {
                System.out.printf("  space %d size %d from %s perm=%s%s scale=%s%s touches=%d regions=%s%n", s.id(), s.size(), s.origin(),
                        s.permutable() ? "class" + s.permClass() : "no", s.permutable() ? "" : " (" + s.permReason() + ")",
                        s.scaling(), s.scaleReason().isEmpty() ? "" : " (" + s.scaleReason() + ")", s.touches().size(), s.regions());
            }
            for (var r : a.regions()) System.out.println("  region " + r.id() + " " + r.nodes() + " in " + r.entries() + " out " + r.exits() + " hom=" + r.positivelyHomogeneous());
            org.junit.jupiter.api.Assertions.assertNotNull(a);
        }
    }
}
