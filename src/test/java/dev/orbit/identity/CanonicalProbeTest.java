package dev.orbit.identity;

import org.junit.jupiter.api.Test;

import dev.orbit.Fixtures;
import dev.orbit.Moves;
import dev.orbit.Orbit;
import dev.orbit.symmetry.MatrixSampling;
import dev.orbit.symmetry.Sampling;

class CanonicalProbeTest {
    @Test
    void probe() {
        for (var f : Fixtures.all()) {
            var n = Orbit.load(f.onnx());
            var s = n.symmetries().analysis();
            CanonicalForm.Result c0;
            try { c0 = CanonicalForm.of(n.ir()); } catch (RuntimeException e) { System.out.println("CANON " + f.name() + " ERROR " + e); e.printStackTrace(); continue; }
            for (int kind = 0; kind < 3; kind++) {
                var t = Moves.teleport(Sampling.Kind.INTER, 0.9).permute().seed(11);
                if (kind == 1) { if (s.pairs().isEmpty()) continue; t = t.attention(10); }
                if (kind == 2) t = t.rotateResidual(MatrixSampling.Rotation.HAAR);
                dev.orbit.Moved m;
                try { m = n.move(t); } catch (RuntimeException e) { continue; }
                try {
                    var c1 = CanonicalForm.of(m.network().ir());
                    double worst = 0; String where = "";
                    for (var e : c0.model().graph().parameters().entrySet()) {
                        var other = c1.model().graph().parameter(e.getKey());
                        if (other == null || !e.getValue().dtype().isFloating()) continue;
                        double[] x = e.getValue().toDoubleArray(), y = other.toDoubleArray();
                        if (x.length != y.length) { worst = Double.POSITIVE_INFINITY; where = e.getKey() + " shape"; continue; }
                        double d = 0, nn = 0;
                        for (int i = 0; i < x.length; i++) { d += (x[i] - y[i]) * (x[i] - y[i]); nn += x[i] * x[i]; }
                        double r = nn == 0 ? Math.sqrt(d) : Math.sqrt(d / nn);
                        if (r > worst) { worst = r; where = e.getKey(); }
                    }
                    System.out.printf("CANON %-24s kind %d worst %.3g at %s (undone %d, folded %s/%s, rotated %s, ties %d, dead %d, degenerate %d, balanced %s) %s%n", f.name(), kind, worst, where,
                            c1.undoneRewrites(), c0.folded(), c1.folded(), c1.streamsRotated(), c1.tiedUnits(), c1.deadUnits(), c1.degenerateBases(), c1.balanced(), c1.notes());
                } catch (RuntimeException e) {
                    System.out.println("CANON " + f.name() + " kind " + kind + " ERROR " + e);
                    e.printStackTrace();
                }
            }
        }
    }
}
