package dev.orbit.quant;

import java.util.HashMap;
import java.util.List;
import java.util.Map;

import dev.orbit.graph.Model;
import dev.orbit.numeric.RelativeError;
import dev.orbit.tensor.NdArray;
import dev.orbit.verify.EvaluationBudget;
import dev.orbit.verify.OrtRunner;

/**
 * Round-to-nearest quantisation error of one model: weights per output channel, activations (inputs of every
 * linear layer) per tensor with scales from the calibration batch, errors measured on a separate evaluation
 * batch; and the model's output error when all of it is quantised at once (ONNX Runtime, against the float
 * original). Every error is relative, ‖x − x̂‖/‖x‖, averaged over the linear layers. {@code maxActivation}: the
 * largest |x| over the linear layers' inputs other than the network's own inputs (data does not rotate).
 */
public record QuantFigures(String label, double maxActivation, double weightInt8, double weightInt4,
                           double activationInt8, double activationInt4, double outputInt8, double outputInt4,
                           double outputWeightsInt8, double outputWeightsInt4) {

    static QuantFigures measure(String label, Model m, Map<String, NdArray> calibration, Map<String, NdArray> evaluation,
                                NdArray reference) {
        List<Linear> linears = Linear.find(m.graph());
        List<String> inputs = linears.stream().map(Linear::input).distinct().toList();
        Map<String, NdArray> calib = Probe.values(m, inputs, calibration);
        Map<String, NdArray> eval = Probe.values(m, inputs, evaluation);
        double maxAct = 0;
        double[] w = new double[2];
        double[] act = new double[2];
        Map<String, Double> scale8 = new HashMap<>();
        Map<String, Double> scale4 = new HashMap<>();
        java.util.Set<String> networkInputs = new java.util.HashSet<>();
        m.graph().inputs().forEach(v -> networkInputs.add(v.name()));
        for (String in : inputs) {
            double max = Rtn.maxAbs(calib.get(in).toDoubleArray());
            if (!networkInputs.contains(in)) maxAct = Math.max(maxAct, max); // the data itself does not rotate
            scale8.put(in, Rtn.scale(max, 8));
            scale4.put(in, Rtn.scale(max, 4));
        }
        for (Linear l : linears) {
            NdArray wt = m.graph().parameter(l.weight());
            double[] v = wt.toDoubleArray();
            int rows = Math.toIntExact(wt.dim(0));
            int cols = Math.toIntExact(wt.dim(1));
            w[0] += RelativeError.inL2Norm(v, Rtn.perChannel(v, rows, cols, l.channelAxis(), 8)) / linears.size();
            w[1] += RelativeError.inL2Norm(v, Rtn.perChannel(v, rows, cols, l.channelAxis(), 4)) / linears.size();
            double[] x = eval.get(l.input()).toDoubleArray();
            act[0] += RelativeError.inL2Norm(x, Rtn.perTensor(x, scale8.get(l.input()), 8)) / linears.size();
            act[1] += RelativeError.inL2Norm(x, Rtn.perTensor(x, scale4.get(l.input()), 4)) / linears.size();
        }
        return new QuantFigures(label, maxAct, w[0], w[1], act[0], act[1],
                outputError(FakeQuant.of(m, 8, scale8), evaluation, reference), outputError(FakeQuant.of(m, 4, scale4), evaluation, reference),
                outputError(FakeQuant.of(m, 8, null), evaluation, reference), outputError(FakeQuant.of(m, 4, null), evaluation, reference));
    }

    static NdArray run(Model m, Map<String, NdArray> feeds) {
        EvaluationBudget.check(m, feeds); // before ONNX Runtime allocates what a hostile model's shapes ask for
        try (OrtRunner r = new OrtRunner(m)) {
            return r.run(feeds).values().iterator().next();
        }
    }

    private static double outputError(Model quantised, Map<String, NdArray> feeds, NdArray reference) {
        return RelativeError.inL2Norm(reference.toDoubleArray(), run(quantised, feeds).toDoubleArray());
    }
}
