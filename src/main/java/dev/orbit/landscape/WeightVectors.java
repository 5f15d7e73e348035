package dev.orbit.landscape;

import java.util.ArrayList;
import java.util.Collection;
import java.util.List;

import org.bytedeco.javacpp.PointerScope;
import org.bytedeco.pytorch.Tensor;

import dev.orbit.graph.Model;
import dev.orbit.tensor.NdArray;
import dev.orbit.train.Batches;
import dev.orbit.train.Gradients;
import dev.orbit.train.Loss;
import dev.orbit.train.TrainableModel;

/** The weights of a model, and the gradient of a batch loss, as one float64 vector (trainable parameters in order). */
final class WeightVectors {
    private WeightVectors() {}

    static double[] flatten(Model m, Collection<String> names) {
        int total = 0;
        for (String n : names) total += (int) m.graph().parameter(n).size();
        double[] out = new double[total];
        int pos = 0;
        for (String n : names) {
            double[] v = m.graph().parameter(n).toDoubleArray();
            System.arraycopy(v, 0, out, pos, v.length);
            pos += v.length;
        }
        return out;
    }

    /** ∇L of the cross-entropy on rows {@code idx} of {@code data}, in inference mode. */
    static double[] gradient(TrainableModel tm, Batches data, long[] idx) {
        try (PointerScope scope = new PointerScope()) {
            Tensor[] xy = data.batch(idx, 0, idx.length);
            Tensor loss = new Loss.CrossEntropy().compute(tm.forwardOne(xy[0], false), xy[1]);
            List<Tensor> g = Gradients.grad(loss, tm.parameterList(), false);
            List<double[]> parts = new ArrayList<>();
            int total = 0;
            for (Tensor gi : g) {
                double[] v = NdArray.fromTorch(gi).toDoubleArray();
                parts.add(v);
                total += v.length;
            }
            double[] out = new double[total];
            int pos = 0;
            for (double[] p : parts) {
                System.arraycopy(p, 0, out, pos, p.length);
                pos += p.length;
            }
            return out;
        }
    }

    static double norm(double[] v) {
        double s = 0;
        for (double x : v) s += x * x;
        return Math.sqrt(s);
    }
}
