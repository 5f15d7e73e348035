package dev.orbit.landscape;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import dev.orbit.graph.Model;
import dev.orbit.graph.build.ArchSpec;
import dev.orbit.graph.build.NetworkBuilder;
import dev.orbit.io.idx.MnistData;
import dev.orbit.symmetry.OrbitAction;
import dev.orbit.symmetry.Sampling;
import dev.orbit.symmetry.SpaceAnalyzer;
import dev.orbit.tensor.NdArray;
import dev.orbit.train.Batches;
import dev.orbit.train.Initializer;
import dev.orbit.train.Loss;
import dev.orbit.train.Optimizer;
import dev.orbit.train.Schedule;
import dev.orbit.train.TrainableModel;
import dev.orbit.train.Trainer;

/**
 * Neural teleportation's flatness experiment: two MLPs trained with a small (8) and a large (1024) batch; the
 * loss and accuracy along the straight line θ(α) = (1−α)·θ_small + α·θ_large, before and after teleporting both
 * models. Teleports are intra-landscape (positive factors), so the ReLU networks keep their graph and the two
 * weight vectors stay comparable coordinate by coordinate.
 */
public final class Flatness {
    public record Config(String arch, int trainSamples, int smallBatchEpochs, int largeBatchEpochs, double[] ranges,
                         int points, long seed) {}

    public record Curve(String label, double[] alpha, double[] loss, double[] accuracy) {}

    public record Result(Config config, double smallAccuracy, double largeAccuracy, List<Curve> curves) {}

    private Flatness() {}

    public static Result run(MnistData train, MnistData test, Config c) {
        MnistData tr = train.head(c.trainSamples());
        Model small = train(c.arch(), tr, 8, 0.01, c.smallBatchEpochs(), c.seed());
        Model large = train(c.arch(), tr, 1024, 0.1, c.largeBatchEpochs(), c.seed());
        Map<String, NdArray> feeds = Map.of(NetworkBuilder.INPUT, test.images());
        double[] sAcc = LevelCurves.lossAndAccuracy(small, feeds, test.labels());
        double[] lAcc = LevelCurves.lossAndAccuracy(large, feeds, test.labels());
        List<Curve> curves = new ArrayList<>();
        curves.add(interpolate("original", small, large, test, c.points()));
        var aSmall = SpaceAnalyzer.analyze(small);
        var aLarge = SpaceAnalyzer.analyze(large);
        for (double r : c.ranges()) {
            var cob = new Sampling.Cob(Sampling.Kind.INTRA, r, 0);
            Model ts = OrbitAction.apply(small, aSmall, Sampling.scales(aSmall, cob, c.seed() + 11));
            Model tl = OrbitAction.apply(large, aLarge, Sampling.scales(aLarge, cob, c.seed() + 13));
            curves.add(interpolate("teleported r = " + r, ts, tl, test, c.points()));
        }
        return new Result(c, sAcc[1], lAcc[1], curves);
    }

    private static Model train(String arch, MnistData data, int batch, double lr, int epochs, long seed) {
        Model init = NetworkBuilder.build(ArchSpec.parse(arch), Initializer.parse("kaiming"), seed);
        try (TrainableModel m = new TrainableModel(init); Batches b = Batches.of(data);
             Optimizer opt = new Optimizer.Sgd(0.9, false, 0)) {
            Trainer.fit(m, opt, b, null, new Trainer.Config(epochs, batch, lr, new Schedule.Constant(), seed,
                    new Loss.CrossEntropy(), true), null);
            return m.snapshot();
        }
    }

    /** Loss and accuracy at evenly spaced α in [0, 1] between two models of the same graph. */
    static Curve interpolate(String label, Model a, Model b, MnistData test, int points) {
        double[] alpha = new double[points];
        double[] loss = new double[points];
        double[] acc = new double[points];
        Map<String, NdArray> feeds = Map.of(NetworkBuilder.INPUT, test.images());
        for (int i = 0; i < points; i++) {
            alpha[i] = (double) i / (points - 1);
            Map<String, NdArray> mixed = new LinkedHashMap<>();
            for (var e : a.graph().parameters().entrySet()) {
                NdArray x = e.getValue();
                if (!x.dtype().isFloating()) continue;
                float[] u = x.toFloatArray();
                float[] v = b.graph().parameter(e.getKey()).toFloatArray();
                float[] w = new float[u.length];
                for (int k = 0; k < w.length; k++) w[k] = (float) ((1 - alpha[i]) * u[k] + alpha[i] * v[k]);
                mixed.put(e.getKey(), NdArray.ofFloats(w, x.shape()));
            }
            double[] la = LevelCurves.lossAndAccuracy(a.withGraph(a.graph().withParameters(mixed)), feeds, test.labels());
            loss[i] = la[0];
            acc[i] = la[1];
        }
        return new Curve(label, alpha, loss, acc);
    }
}
