package dev.orbit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.lang.module.ModuleDescriptor;
import java.util.Set;
import java.util.TreeSet;

import org.junit.jupiter.api.Test;

/**
 * Orbit runs as the named module {@code dev.orbit} (the tests too: surefire patches them into it), and exports exactly
 * the API packages listed in docs/ARCHITECTURE.md ("Public and internal"); everything else stays internal.
 */
class ModuleTest {
    static final Set<String> API = Set.of("dev.orbit", "dev.orbit.experiment", "dev.orbit.ops", "dev.orbit.ops.standard", "dev.orbit.ops.length",
            "dev.orbit.graph", "dev.orbit.graph.build",
            "dev.orbit.tensor", "dev.orbit.geometry", "dev.orbit.verify", "dev.orbit.symmetry", "dev.orbit.report", "dev.orbit.io",
            "dev.orbit.io.idx", "dev.orbit.train", "dev.orbit.landscape", "dev.orbit.spectra", "dev.orbit.ode", "dev.orbit.hyperbolic", "dev.orbit.identity", "dev.orbit.sweep",
            "dev.orbit.quant");
    static final Set<String> INTERNAL = Set.of("dev.orbit.cli", "dev.orbit.eval", "dev.orbit.io.onnx", "dev.orbit.io.safetensors",
            "dev.orbit.numeric", "dev.orbit.checkpoint", "dev.orbit.ops.activation", "dev.orbit.ops.linear");

    @Test
    void orbitIsANamedModuleThatExportsOnlyItsApi() {
        Module m = Orbit.class.getModule();
        assertTrue(m.isNamed(), "Orbit runs on the module path");
        assertEquals("dev.orbit", m.getName());
        Set<String> exported = new TreeSet<>();
        for (ModuleDescriptor.Exports e : m.getDescriptor().exports()) {
            assertTrue(e.targets().isEmpty(), "exports are unqualified: " + e);
            exported.add(e.source());
        }
        assertEquals(new TreeSet<>(API), exported);
        for (String p : INTERNAL) assertTrue(m.getPackages().contains(p) && !m.isExported(p), p + " is internal");
    }
}
