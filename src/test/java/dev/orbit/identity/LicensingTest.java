package dev.orbit.identity;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;

import org.junit.jupiter.api.Test;

import dev.orbit.Inputs;
import dev.orbit.Orbit;
import dev.orbit.graph.Model;
import dev.orbit.graph.Node;

class LicensingTest {
    static final byte[] KEY = "0123456789abcdef0123456789abcdef".getBytes(java.nio.charset.StandardCharsets.US_ASCII);

    @Test
    void copiesComputeTheSameFunctionWithTheSameGraphAndAreTraced() {
        var original = Orbit.bundledModel();
        List<String> ids = List.of("ann", "ben", "cat", "dan", "eve");
        var copies = Licensing.copies(original.ir(), KEY, ids);
        for (String id : ids) {
            var copy = original.license(KEY, id);
            assertEquals(original.ir().graph().nodes().size(), copy.ir().graph().nodes().size());
            assertTrue(copy.ir().graph().nodes().stream().noneMatch(Node::isRewrite));
            Licensing.Trace t = Licensing.trace(copy.ir(), original.ir(), copies);
            assertEquals(id, t.best());
            assertTrue(t.margin() > 0.9, "margin " + t.margin());
        }
        assertTrue(original.compareWith(original.license(KEY, "ann"), Inputs.random(8), dev.orbit.verify.Tolerance.MOVE).passedAndFinite());
    }

    @Test
    void theKeyAndTheIdBothChangeTheElement() {
        byte[] other = KEY.clone();
        other[0] ^= 1;
        assertTrue(Licensing.seed(KEY, "a") != Licensing.seed(KEY, "b"));
        assertTrue(Licensing.seed(KEY, "a") != Licensing.seed(other, "a"));
        assertThrows(IllegalArgumentException.class, () -> Licensing.seed(new byte[0], "a"));
    }

    @Test
    void canonicalisingTheLeakErasesTheKey() {
        Model original = Orbit.bundledModel().ir();
        List<String> ids = List.of("ann", "ben", "cat");
        Model leaked = CanonicalForm.of(Licensing.license(original, KEY, "ben")).model();
        Licensing.Trace t = Licensing.trace(leaked, original, KEY, ids);
        // every licensee's copy is as far from the canonical model: the margin is noise
        assertTrue(t.margin() < 0.05, "margin " + t.margin());
    }
}
