package dev.orbit.identity;

import java.nio.file.Files;
import java.nio.file.Path;

import org.junit.jupiter.api.Test;

import dev.orbit.Moves;
import dev.orbit.Orbit;
import dev.orbit.symmetry.MatrixSampling;
import dev.orbit.symmetry.Sampling;

class ZooProbeTest {
    @Test
    void probe() throws Exception {
        try (var files = Files.list(Path.of("src/test/resources/zoo"))) {
            for (Path p : files.filter(x -> x.toString().endsWith(".onnx")).sorted().toList()) {
                var n = Orbit.load(p);
                var s = n.symmetries().analysis();
                for (int kind = 0; kind < 3; kind++) {
                    var t = Moves.teleport(Sampling.Kind.INTER, 0.9).permute().seed(7);
                    if (kind == 1) { if (s.pairs().isEmpty()) continue; t = t.attention(10); }
                    if (kind == 2) t = t.rotateResidual(MatrixSampling.Rotation.HAAR);
                    dev.orbit.Moved m;
                    try { m = n.move(t); } catch (RuntimeException e) { continue; }
                    try {
                        var r = Membership.compare(n.ir(), m.network().ir());
                        System.out.printf("ZOO %-28s kind %d %-9s max %.3g dist %.3g folded %s %.2fs %s%n", p.getFileName(), kind, r.verdict(), r.maxResidual(), r.distance(), r.folded(), r.seconds(), r.notes());
                    } catch (RuntimeException e) {
                        System.out.printf("ZOO %-28s kind %d ERROR %s%n", p.getFileName(), kind, e);
                    }
                }
            }
        }
    }
}
