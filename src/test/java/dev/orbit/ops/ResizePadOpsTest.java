package dev.orbit.ops;

import static dev.orbit.ops.OpCheck.*;
import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import dev.orbit.eval.ShapeInference;
import dev.orbit.graph.Attr;
import dev.orbit.graph.Dim;
import dev.orbit.graph.Shape;
import dev.orbit.tensor.NdArray;

class ResizePadOpsTest {
    private static final String[] COORDINATE_MODES = {"half_pixel", "asymmetric", "align_corners",
        "pytorch_half_pixel", "tf_half_pixel_for_nn", "half_pixel_symmetric"};

    static NdArray floats(float... v) { return NdArray.ofFloats(v, v.length); }

    static Attr ints(long... v) { return new Attr.Ints(v); }

    /** Resize-19 (all coordinate modes exist) with scales: x, no roi, scales. */
    static OpCheck resizeScales(NdArray x, String mode, String coordinates, float... scales) {
        return node("Resize").input("x", x).skipInput().param("scales", floats(scales)).attr("mode", mode)
                .attr("coordinate_transformation_mode", coordinates).opset(19);
    }

    static OpCheck resizeSizes(NdArray x, String mode, String coordinates, long... sizes) {
        return node("Resize").input("x", x).skipInput().skipInput().param("sizes", longs(sizes)).attr("mode", mode)
                .attr("coordinate_transformation_mode", coordinates).opset(19);
    }

    // ---------------------------------------------------------------- nearest

    @ParameterizedTest
    @ValueSource(strings = {"round_prefer_floor", "round_prefer_ceil", "floor", "ceil"})
    void nearestEveryRoundingAndCoordinateMode(String rounding) {
        for (String coordinates : COORDINATE_MODES) {
            resizeScales(randn(1, 1, 2, 4, 5), "nearest", coordinates, 1, 1, 2, 3).attr("nearest_mode", rounding)
                    .check();
            // non-integer scales down and up, so sizes are floor(scale·in)
            resizeScales(randn(2, 2, 3, 5, 7), "nearest", coordinates, 1, 1, 0.6f, 1.7f)
                    .attr("nearest_mode", rounding).check();
            resizeSizes(randn(3, 1, 2, 5, 6), "nearest", coordinates, 1, 2, 9, 4).attr("nearest_mode", rounding)
                    .check();
        }
    }

    @Test
    void nearestDefaultsOtherRanksAndSymbolicBatch() {
        node("Resize").input("x", randn(1, 2, 3, 4, 4)).skipInput().param("scales", floats(1, 1, 2, 2))
                .symbolicBatch().opset(13).check();
        resizeScales(randn(2, 3, 5, 4), "nearest", "asymmetric", 1, 2.5f, 0.5f).check();
        resizeScales(randn(3, 7), "nearest", "half_pixel", 1.5f).opset(19).check();
        resizeSizes(randn(4, 1, 2, 3, 4, 5), "nearest", "align_corners", 1, 2, 5, 3, 7).check();
        // opset 11 needs the roi and scales inputs present, even when sizes decide
        node("Resize").input("x", randn(5, 1, 2, 5, 5)).param("roi", floats()).param("scales", floats())
                .param("sizes", longs(1, 2, 8, 3)).opset(11).check();
    }

    // ---------------------------------------------------------------- linear

    @Test
    void linearEveryCoordinateMode() {
        for (String coordinates : COORDINATE_MODES) {
            if (coordinates.equals("tf_half_pixel_for_nn")) continue; // nearest only
            resizeScales(randn(1, 2, 3, 4, 5), "linear", coordinates, 1, 1, 2, 3).symbolicBatch().check();
            resizeScales(randn(2, 1, 2, 9, 7), "linear", coordinates, 1, 1, 0.5f, 1.6f).check();
            resizeSizes(randn(3, 1, 2, 5, 6), "linear", coordinates, 1, 2, 3, 11).check();
            resizeScales(randn(4, 6, 5), "linear", coordinates, 1.5f, 0.7f).check();
        }
    }

    @Test
    void linearOneAxisAndTrilinear() {
        resizeScales(randn(1, 2, 3, 4, 5), "linear", "half_pixel", 1, 1, 1, 2.5f).check();
        resizeScales(randn(2, 2, 3, 6, 5), "linear", "align_corners", 1, 1, 0.5f, 1).check();
        resizeScales(randn(3, 1, 2, 3, 4, 5), "linear", "half_pixel", 1, 1, 2, 1.5f, 0.6f).check();
        resizeScales(randn(4, 3, 4, 5), "linear", "asymmetric", 2, 1, 1.5f).check();
    }

    // ---------------------------------------------------------------- cubic

    @Test
    void cubicModes() {
        for (String coordinates : new String[] {"half_pixel", "asymmetric", "align_corners", "pytorch_half_pixel"}) {
            resizeScales(randn(1, 1, 2, 5, 6), "cubic", coordinates, 1, 1, 2, 1.5f).check();
            resizeScales(randn(2, 1, 2, 8, 7), "cubic", coordinates, 1, 1, 0.5f, 0.8f).check();
        }
        resizeScales(randn(3, 1, 2, 5, 6), "cubic", "half_pixel", 1, 1, 1.7f, 2).attr("cubic_coeff_a", -0.5f)
                .attr("exclude_outside", 1L).check();
        resizeSizes(randn(4, 2, 1, 4, 4), "cubic", "half_pixel", 2, 1, 7, 3).attr("exclude_outside", 1L).check();
        resizeScales(randn(5, 6, 5), "cubic", "asymmetric", 1, 2).check();
    }

    // ---------------------------------------------------------------- roi, axes, policies, old opsets

    @ParameterizedTest
    @ValueSource(strings = {"nearest", "linear", "cubic"})
    void tfCropAndResizeExtrapolates(String mode) {
        node("Resize").input("x", randn(1, 1, 2, 5, 6)).param("roi", floats(0, 0, 0.1f, -0.2f, 1, 1, 0.8f, 1.3f))
                .param("scales", floats(1, 1, 1.6f, 1.5f)).attr("mode", mode)
                .attr("coordinate_transformation_mode", "tf_crop_and_resize").attr("extrapolation_value", 7.5f)
                .opset(13).check();
        node("Resize").input("x", randn(2, 1, 1, 6, 4)).param("roi", floats(0, 0, 0.4f, 0.2f, 1, 1, 0.6f, 0.9f))
                .skipInput().param("sizes", longs(1, 1, 1, 5)).attr("mode", mode)
                .attr("coordinate_transformation_mode", "tf_crop_and_resize").opset(13).check();
    }

    @Test
    void axesAndAspectRatioPolicies() {
        node("Resize").input("x", randn(1, 2, 3, 4, 5)).skipInput().param("scales", floats(2, 0.6f))
                .attr("axes", ints(-1, 2)).attr("mode", "linear").opset(18).symbolicBatch().check();
        node("Resize").input("x", randn(2, 2, 3, 4, 5)).skipInput().skipInput().param("sizes", longs(7, 3))
                .attr("axes", ints(2, 3)).opset(18).check();
        for (String policy : new String[] {"not_larger", "not_smaller"}) {
            node("Resize").input("x", randn(3, 1, 2, 4, 6)).skipInput().skipInput().param("sizes", longs(9, 9))
                    .attr("axes", ints(2, 3)).attr("keep_aspect_ratio_policy", policy).attr("mode", "linear")
                    .opset(18).check();
            node("Resize").input("x", randn(4, 1, 1, 5, 3)).skipInput().skipInput().param("sizes", longs(1, 1, 7, 8))
                    .attr("keep_aspect_ratio_policy", policy).opset(18).check();
        }
    }

    @Test
    void opset10ResizeAndUpsample() {
        node("Resize").input("x", randn(1, 1, 2, 3, 4)).param("scales", floats(1, 1, 2, 1.5f)).opset(10).check();
        node("Resize").input("x", randn(2, 1, 2, 6, 5)).param("scales", floats(1, 1, 0.5f, 0.7f)).opset(10).check();
        node("Resize").input("x", randn(3, 1, 2, 3, 4)).param("scales", floats(1, 1, 2.5f, 1.5f))
                .attr("mode", "linear").opset(10).symbolicBatch().check();
        node("Upsample").input("x", randn(4, 2, 2, 3, 4)).param("scales", floats(1, 1, 2, 3)).opset(9)
                .symbolicBatch().check();
        node("Upsample").input("x", randn(5, 1, 2, 3, 4)).param("scales", floats(1, 1, 1.5f, 2.5f))
                .attr("mode", "linear").opset(9).check();
        node("Upsample").input("x", randn(6, 1, 2, 3, 4)).attr("scales", new Attr.Floats(new float[] {1, 1, 2, 2}))
                .opset(8).check();
    }

    @Test
    void resizeShapeInference() {
        var c = resizeScales(randn(1, 2, 3, 4, 5), "nearest", "half_pixel", 1, 1, 2, 1.5f).symbolicBatch();
        assertEquals(Shape.of(Dim.symbol("batch"), Dim.of(3), Dim.of(8), Dim.of(7)),
                ShapeInference.infer(c.model()).get("y").shape());
        // 5·1.4f rounds to 7 in float arithmetic (a double product would floor to 6)
        resizeScales(randn(2, 1, 1, 5, 5), "nearest", "half_pixel", 1, 1, 1.4f, 1.4f).check();
    }

    // ---------------------------------------------------------------- Pad

    @ParameterizedTest
    @ValueSource(strings = {"constant", "reflect", "edge"})
    void padModes(String mode) {
        node("Pad").input("x", randn(1, 2, 3, 4, 5)).param("pads", longs(0, 0, 1, 2, 0, 0, 3, 1)).attr("mode", mode)
                .symbolicBatch().check();
        node("Pad").input("x", randn(2, 3, 6)).param("pads", longs(2, 0, 1, 3)).attr("mode", mode).check();
        // negative pads crop
        node("Pad").input("x", randn(3, 2, 5, 6)).param("pads", longs(0, -1, 2, 0, 1, -2)).attr("mode", mode).check();
    }

    @Test
    void padConstantValueAndTypes() {
        node("Pad").input("x", randn(1, 2, 3, 4)).param("pads", longs(0, 1, 1, 0, 1, 2))
                .param("value", scalarFloat(-2.5f)).check();
        node("Pad").input("x", longs(1, 2, 3, 4, 5, 6).reshape(2, 3)).param("pads", longs(1, 0, 0, 2))
                .param("value", NdArray.ofLongs(new long[] {9})).check();
        node("Pad").input("x", randn(2, 2, 3)).param("pads", longs(1, 1, 1, 1)).skipInput().check();
    }

    @Test
    void padAxesWrapAndOldOpsets() {
        node("Pad").input("x", randn(1, 2, 3, 4, 5)).param("pads", longs(1, 2, 0, 3)).skipInput()
                .param("axes", longs(-1, 2)).attr("mode", "reflect").opset(18).symbolicBatch().check();
        node("Pad").input("x", randn(2, 2, 3, 4)).param("pads", longs(2, 1, 3, 2)).param("value", scalarFloat(1f))
                .param("axes", longs(1, 2)).opset(18).check();
        node("Pad").input("x", randn(3, 2, 3, 4)).param("pads", longs(0, 2, 1, 0, 3, 2)).attr("mode", "wrap")
                .opset(19).check();
        node("Pad").input("x", randn(4, 2, 3, 4)).attr("pads", 0L, 1L, 2L, 0L, 2L, 1L).attr("value", 0.5f).opset(2)
                .check();
        node("Pad").input("x", randn(5, 2, 3, 4)).attr("pads", 0L, 1L, 2L, 0L, 2L, 1L).attr("mode", "edge").opset(2)
                .check();
    }

    @Test
    void padShapeInferenceKeepsSymbols() {
        var c = node("Pad").input("x", randn(1, 2, 3, 4)).param("pads", longs(0, 1, 2, 0, 3, 4)).symbolicBatch();
        assertEquals(Shape.of(Dim.symbol("batch"), Dim.of(7), Dim.of(10)),
                ShapeInference.infer(c.model()).get("y").shape());
    }
}
