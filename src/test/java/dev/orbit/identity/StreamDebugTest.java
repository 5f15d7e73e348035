package dev.orbit.identity;

import org.junit.jupiter.api.Test;

import dev.orbit.Fixtures;
import dev.orbit.symmetry.NormFolding;
import dev.orbit.symmetry.SpaceAnalyzer;

class StreamDebugTest {
    @Test
    void show() {
        for (String name : new String[] {"relu_attention", "decoder_rmsnorm"}) {
            var m = NormFolding.fold(Fixtures.get(name).load()).model();
            var a = SpaceAnalyzer.analyze(m);
            for (var st : a.streams()) System.out.println("DBG " + name + " " + st);
            for (var s : a.spaces()) if (s.isFree()) System.out.println("DBG space " + s.id() + " class " + s.permClass() + " " + s.scaling() + " " + s.touches());
            for (var p : a.pairs()) System.out.println("DBG pair " + p);
            m.graph().parameters().forEach((k, v) -> System.out.println("DBG param " + k + " " + java.util.Arrays.toString(v.shape())));
        }
    }
}
