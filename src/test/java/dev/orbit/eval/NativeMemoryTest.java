package dev.orbit.eval;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.util.Map;

import org.junit.jupiter.api.Test;

import dev.orbit.Fixtures;
import dev.orbit.graph.Model;
import dev.orbit.tensor.NdArray;

/**
 * Native tensors are scoped: 10,000 evaluations must leave the process's resident memory flat. A leak of
 * even one 64×64 intermediate per run would add 160 MB here.
 */
class NativeMemoryTest {
    @Test
    void tenThousandEvaluationsKeepResidentMemoryFlat() throws IOException {
        Model m = Fixtures.get("mlp_relu").load();
        Evaluator ev = new Evaluator(m);
        NdArray x = dev.orbit.ops.OpCheck.randn(7, 64, 784);
        Map<String, NdArray> feeds = Map.of(m.graph().inputs().getFirst().name(), x);
        for (int i = 0; i < 2_000; i++) ev.run(feeds);
        long before = dev.orbit.ResidentMemory.nativeKb();
        double checksum = 0;
        for (int i = 0; i < 10_000; i++) checksum += ev.run(feeds).values().iterator().next().getFloat(0);
        long after = dev.orbit.ResidentMemory.nativeKb();
        System.out.printf("native memory (RSS − heap) before %d MB, after 10,000 evaluations %d MB (growth %+d KB), checksum %.3f%n",
                before / 1024, after / 1024, after - before, checksum);
        assertTrue(after - before < 32 * 1024, "resident memory grew by " + (after - before) / 1024 + " MB");
    }
}
