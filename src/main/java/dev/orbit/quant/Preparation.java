package dev.orbit.quant;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * One step that readies a model for quantization. The exact ones are orbit moves (the function is unchanged, each
 * verified in ONNX Runtime under the noise rule); bias absorption changes the float function on purpose and reports
 * its float error instead.
 */
public sealed interface Preparation {
    String describe();

    /** Whether the step is a symmetry move (the float function is preserved). */
    boolean exact();

    /** Cross-layer equalization ({@link CrossLayerEqualization}). */
    record Cle() implements Preparation {
        public String describe() { return "cle"; }

        public boolean exact() { return true; }
    }

    /** SmoothQuant with migration strength α ({@link SmoothQuant}). */
    record Smooth(double alpha) implements Preparation {
        public Smooth {
            if (!(alpha >= 0 && alpha <= 1)) throw new IllegalArgumentException("smooth:ALPHA wants ALPHA in [0, 1], got " + alpha);
        }

        public String describe() { return "smooth:" + alpha; }

        public boolean exact() { return true; }
    }

    /** The outlier-minimising residual-stream rotation ({@link OutlierRotation}). */
    record Rotate() implements Preparation {
        public String describe() { return "rotate"; }

        public boolean exact() { return true; }
    }

    /** Moves bias through ReLU into the next layer where calibration shows the pre-activation above it. */
    record BiasAbsorption() implements Preparation {
        public String describe() { return "bias-absorption"; }

        public boolean exact() { return false; }
    }

    /** "none" → empty; "auto" → null (chosen per model, {@link Quantizer#auto}); else a comma-separated list. */
    static List<Preparation> parse(String text) {
        String t = text.trim().toLowerCase(Locale.ROOT);
        if (t.equals("none")) return List.of();
        if (t.equals("auto")) return null;
        List<Preparation> out = new ArrayList<>();
        for (String part : t.split(",")) {
            String p = part.trim();
            if (p.equals("cle")) out.add(new Cle());
            else if (p.equals("rotate")) out.add(new Rotate());
            else if (p.equals("bias-absorption")) out.add(new BiasAbsorption());
            else if (p.equals("smooth")) out.add(new Smooth(0.5));
            else if (p.startsWith("smooth:")) {
                try {
                    out.add(new Smooth(Double.parseDouble(p.substring(7))));
                } catch (NumberFormatException e) {
                    throw new IllegalArgumentException("smooth:ALPHA wants a number, got '" + p + "'");
                }
            } else {
                throw new IllegalArgumentException("unknown preparation '" + p + "' (none, auto, or a list of cle, smooth[:ALPHA], rotate, bias-absorption)");
            }
        }
        return List.copyOf(out);
    }
}
