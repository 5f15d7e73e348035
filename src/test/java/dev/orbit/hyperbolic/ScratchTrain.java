package dev.orbit.hyperbolic;

import dev.orbit.io.idx.MnistData;
import dev.orbit.ops.HyperbolicLengthOps;

public class ScratchTrain {
    public static void main(String[] a) {
        var spec = new HyperbolicNet.Spec(HyperbolicNet.parseWidths(a[0]), HyperbolicNet.parseSpace(a[1]), HyperbolicLengthOps.Embedding.parse(a[2]));
        var train = MnistData.bundled(MnistData.Split.TRAIN);
        int n = Integer.parseInt(a[6]);
        train = HyperbolicTraining.slice(train, 0, n);
        var test = MnistData.bundled(MnistData.Split.TEST);
        var c = new HyperbolicTraining.Config(Integer.parseInt(a[3]), 64, Double.parseDouble(a[4]), a[5], 1, false);
        try (var tr = HyperbolicTraining.batches(train); var te = HyperbolicTraining.batches(test)) {
            var m = a[1].equals("mlp") ? HyperbolicTraining.mlpPeer(spec.widths(), 1) : HyperbolicNet.build(spec, 1);
            long t0 = System.nanoTime();
            var r = HyperbolicTraining.train(m, tr, te, c, (s, mm, o) -> System.out.printf("epoch %d loss %.4f train %.4f test %.4f %.1fs%n", s.epoch(), s.trainLoss(), s.trainAccuracy(), s.testAccuracy(), s.seconds()));
            System.out.println("total " + (System.nanoTime() - t0) / 1e9);
        }
    }
}
