package dev.orbit.identity;

import org.junit.jupiter.api.Test;

import dev.orbit.Fixtures;
import dev.orbit.Moves;
import dev.orbit.Orbit;
import dev.orbit.symmetry.MatrixSampling;
import dev.orbit.symmetry.Sampling;

class MembershipProbeTest {
    @Test
    void probe() {
        for (var f : Fixtures.all()) {
            var n = Orbit.load(f.onnx());
            var s = n.symmetries().analysis();
            for (int kind = 0; kind < 3; kind++) {
                var t = Moves.teleport(Sampling.Kind.INTER, 0.9).permute().seed(7);
                if (kind == 1) { if (s.pairs().isEmpty()) continue; t = t.attention(10); }
                if (kind == 2) t = t.rotateResidual(MatrixSampling.Rotation.HAAR);
                dev.orbit.Moved m;
                try { m = n.move(t); } catch (RuntimeException e) { continue; }
                try {
                    var r = Membership.compare(n.ir(), m.network().ir());
                    System.out.printf("PROBE %-24s kind %d %-9s max %.3g dist %.3g folded %s %.2fs %s%n", f.name(), kind, r.verdict(), r.maxResidual(), r.distance(), r.folded(), r.seconds(), r.notes());
                    if (r.verdict() != Membership.Verdict.SAME) r.residuals().forEach((k, v) -> { if (v > 1e-6) System.out.println("PROBE    " + k + " " + v); });
                } catch (RuntimeException e) {
                    System.out.printf("PROBE %-24s kind %d ERROR %s%n", f.name(), kind, e);
                    e.printStackTrace();
                }
            }
        }
    }
}
