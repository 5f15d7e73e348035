package dev.orbit.train;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;

import org.junit.jupiter.api.Test;

import dev.orbit.bench.EvaluatorBench;
import dev.orbit.ResidentMemory;
import dev.orbit.io.idx.MnistData;

/**
 * Every training step runs in its own PointerScope: over 4,000 steps (forward, autograd, SGD with momentum)
 * the resident memory must stay flat. A leaked 64×256 activation per step alone would add 260 MB.
 */
class TrainingMemoryTest {
    @Test
    void longTrainingKeepsResidentMemoryFlat() throws IOException {
        try (var model = new TrainableModel(EvaluatorBench.mlp(new long[] {784, 256, 10}, 1));
             var train = Batches.of(MnistData.bundled(MnistData.Split.TRAIN));
             var opt = new Optimizer.Sgd(0.9, true, 1e-4)) {
            var warm = new Trainer.Config(2, 64, 0.01, new Schedule.Constant(), 1, new Loss.CrossEntropy(), true);
            Trainer.fit(model, opt, train, null, warm, null);
                long before = ResidentMemory.nativeKb();
            var run = new Trainer.Config(32, 64, 0.01, new Schedule.Constant(), 2, new Loss.CrossEntropy(), true);
            Trainer.fit(model, opt, train, null, run, null); // 32 epochs × 125 steps = 4,000 steps
                long after = ResidentMemory.nativeKb();
            System.out.printf("training native memory (RSS − heap) before %d MB, after 4,000 steps %d MB (%+d KB)%n", before / 1024, after / 1024, after - before);
            assertTrue(after - before < 48 * 1024, "resident memory grew by " + (after - before) / 1024 + " MB");
        }
    }
}
