package dev.orbit.quant;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

import dev.orbit.graph.Model;
import dev.orbit.io.onnx.BundledModel;
import dev.orbit.tensor.DType;
import dev.orbit.tensor.NdArray;
import dev.orbit.verify.InputFactory;
import dev.orbit.verify.InputSpec;

/** The integer grids, calibration ranges, preparation parsing and bias absorption, without ONNX Runtime where possible. */
class QdqArithmeticTest {
    @Test
    void weightGridsPerTensorPerChannelAndBlocked() {
        // 2 output channels × 4 inputs, channel 1 ten times larger
        NdArray w = NdArray.ofFloats(new float[] {0.1f, -0.2f, 0.3f, -0.4f, 1f, -2f, 3f, -4f}, 2, 4);
        var perTensor = QdqWriter.quantizeWeight(w, options(QdqWriter.Weights.INT8, false, 0), 0, 1);
        assertEquals(0, perTensor.scale().rank());
        assertEquals(4.0 / 127, perTensor.scale().getAsDouble(0), 1e-7);
        var perChannel = QdqWriter.quantizeWeight(w, options(QdqWriter.Weights.INT8, true, 0), 0, 1);
        assertArrayEquals(new long[] {2}, perChannel.scale().shape());
        assertEquals(0L, perChannel.attributes().getInt("axis", -1));
        assertEquals(-127, perChannel.values().getAsLong(3)); // each channel's largest |w| lands on ±127
        assertEquals(-127, perChannel.values().getAsLong(7));
        var blocked = QdqWriter.quantizeWeight(w, options(QdqWriter.Weights.INT4, false, 2), 0, 1);
        assertEquals(DType.INT4, blocked.values().dtype());
        assertArrayEquals(new long[] {2, 2}, blocked.scale().shape()); // blocks of 2 along axis 1
        assertEquals(2L, blocked.attributes().getInt("block_size", 0));
        double[] v = w.toDoubleArray();
        for (int i = 0; i < v.length; i++) {
            long q = blocked.values().getAsLong(i);
            assertTrue(q >= -7 && q <= 7);
            double step = blocked.scale().getAsDouble((i / 4) * 2 + (i % 4) / 2);
            assertEquals(v[i], blocked.dequantized()[i], step / 2 * 1.001, "within half a step of its block");
        }
    }

    @Test
    void activationRangesIncludeZeroAndPercentilesDropOutliers() {
        float[] x = new float[1000];
        for (int i = 0; i < x.length; i++) x[i] = i / 1000f + 1;
        x[7] = 100; // one outlier
        NdArray a = NdArray.ofFloats(x, 1000);
        assertArrayEquals(new double[] {0, 100}, Calibration.range(a, new Calibration.MinMax()), 1e-6);
        double[] p = Calibration.range(a, new Calibration.Percentile(99));
        assertEquals(0, p[0]);
        assertTrue(p[1] < 2, "the 99th percentile ignores the outlier: " + p[1]);
        double[] grid = QdqWriter.activationGrid(new double[] {-1, 3}, QdqWriter.Activations.UINT8);
        assertEquals(4.0 / 255, grid[0], 1e-12);
        assertEquals(64, grid[1]); // −lo/scale = 63.75, rounded
        assertEquals(-64, QdqWriter.activationGrid(new double[] {-1, 3}, QdqWriter.Activations.INT8)[1]);
        assertThrows(IllegalArgumentException.class, () -> Calibration.parse("percentile:30"));
    }

    @Test
    void preparationsParse() {
        assertEquals(List.of(), Preparation.parse("none"));
        assertEquals(null, Preparation.parse("auto"));
        assertEquals(List.of(new Preparation.Cle(), new Preparation.Smooth(0.8), new Preparation.Rotate(), new Preparation.BiasAbsorption()),
                Preparation.parse("cle, smooth:0.8,rotate,bias-absorption"));
        var e = assertThrows(IllegalArgumentException.class, () -> Preparation.parse("cle,equalize"));
        assertTrue(e.getMessage().contains("unknown preparation 'equalize'"));
        assertThrows(IllegalArgumentException.class, () -> Preparation.parse("smooth:2"));
    }

    @Test
    void biasAbsorptionIsExactOnItsCalibrationInputsAndReportedAsNotExact() {
        Model m = BundledModel.read();
        // few calibration digits: on them some ReLU channels stay above 0 (on many digits almost none do)
        Map<String, NdArray> calib = InputFactory.make(m, new InputSpec.Data(null, 2), Map.of());
        BiasAbsorption.Result r = BiasAbsorption.absorb(m, calib);
        assertTrue(r.absorbed() > 0, "some ReLU channel stays above 0 on 2 digits");
        double err = dev.orbit.numeric.RelativeError.inL2Norm(Quantizer.run(m, calib).toDoubleArray(), Quantizer.run(r.model(), calib).toDoubleArray());
        assertTrue(err < 1e-5, "exact on the inputs that chose c, up to float32 rounding: " + err);
        Quantizer.Report rep = Quantizer.run(m, List.of(new Preparation.BiasAbsorption()), options(QdqWriter.Weights.INT8, false, 0), calib, calib, null);
        assertEquals(false, rep.steps().getFirst().exact());
        assertTrue(rep.steps().getFirst().verification() == null);
    }

    private static QdqWriter.Options options(QdqWriter.Weights w, boolean perChannel, int group) {
        return new QdqWriter.Options(w, perChannel, group, QdqWriter.Activations.UINT8, new Calibration.MinMax(), false);
    }
}
