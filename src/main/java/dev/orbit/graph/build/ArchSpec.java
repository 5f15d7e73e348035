package dev.orbit.graph.build;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.stream.Collectors;

import dev.orbit.ops.Activation;
import dev.orbit.ops.OpRegistry;
import dev.orbit.ops.standard.StandardOps;

/**
 * A network architecture written as one compact string, as typed on the command line.
 *
 * <pre>
 * spec        := family ':' body [':' activation]          activation defaults to relu
 *
 * mlp body    := N ('-' W ['x' R])* '-' N                  input width, hidden widths, output width
 *                e.g. mlp:784-500x5-10:relu                784 → five hidden layers of 500 → 10
 *
 * cnn body    := C 'x' H 'x' W ('-' item)* '-' N            input C×H×W, layers, N classes
 *   item      := 'c' K ['x' R] ['/bn']                     R × (3×3 conv to K channels, padding 1 [+ BatchNorm] + act)
 *              | 'p'                                       2×2 max pool, stride 2
 *              | 'fc' K ['x' R]                            R × (linear to K + act); Flatten goes before the first
 *                e.g. cnn:1x28x28-c16-c32-p-c64/bn-p-fc128-10:relu
 *
 * resnet body := C 'x' H 'x' W ('-' K 'x' B)+ '-' N         stem 3×3 conv+BN+act to the first K, then stages of
 *                                                          B basic blocks of width K, global average pool, linear to N
 *                e.g. resnet:1x28x28-16x2-32x2-10:relu
 *
 * activation  := the name of an elementwise op in the op registry: relu | leakyrelu[SLOPE] | tanh | sigmoid |
 *                elu | selu | gelu | softplus | softsign | hardsigmoid | hardswish | hardtanh | erf | sin | cos |
 *                linear | ... ({@code OpRegistry.activationNames()}); leakyrelu alone has slope 0.01, leakyrelu0.1
 *                has slope 0.1; hardtanh is Clip to [−1, 1]; linear is the identity (no node)
 * </pre>
 *
 * A basic block is conv3×3-BN-act-conv3×3-BN, plus the skip, then act after the add. The first block of a stage
 * whose width differs from the previous one has stride 2 and a 1×1 conv+BN on the skip path; every other block
 * keeps the size and uses the identity skip. Every number is a positive integer; write the spec without spaces.
 * {@link #toString()} writes the canonical spec back (repeats expanded, activation spelled out).
 */
public sealed interface ArchSpec {
    Activation activation();

    /** Width of the output (classes). */
    int outputs();

    /** Fully connected: {@code widths} lists input, every hidden layer, output. */
    record Mlp(List<Integer> widths, Activation activation) implements ArchSpec {
        public Mlp {
            widths = List.copyOf(widths);
            if (widths.size() < 2) throw new IllegalArgumentException("an MLP needs an input and an output width");
            if (widths.stream().anyMatch(w -> w <= 0)) throw new IllegalArgumentException("widths must be positive");
        }

        public int inputs() { return widths.getFirst(); }

        @Override public int outputs() { return widths.getLast(); }

        @Override
        public String toString() {
            return "mlp:" + widths.stream().map(String::valueOf).collect(Collectors.joining("-")) + ":" + activation;
        }
    }

    /** A plain convolutional network: {@code layers} before the final linear classifier. */
    record Cnn(Image input, List<Layer> layers, int outputs, Activation activation) implements ArchSpec {
        public Cnn { layers = List.copyOf(layers); }

        @Override
        public String toString() {
            return "cnn:" + input + layers.stream().map(l -> "-" + l).collect(Collectors.joining()) + "-" + outputs
                    + ":" + activation;
        }
    }

    /** A ResNet of basic blocks. */
    record ResNet(Image input, List<Stage> stages, int outputs, Activation activation) implements ArchSpec {
        public ResNet {
            stages = List.copyOf(stages);
            if (stages.isEmpty()) throw new IllegalArgumentException("a ResNet needs at least one stage");
        }

        @Override
        public String toString() {
            return "resnet:" + input + stages.stream().map(s -> "-" + s).collect(Collectors.joining()) + "-" + outputs
                    + ":" + activation;
        }
    }

    /** Input image size, channels first. */
    record Image(int channels, int height, int width) {
        public Image {
            if (channels <= 0 || height <= 0 || width <= 0) throw new IllegalArgumentException("sizes must be positive");
        }

        @Override public String toString() { return channels + "x" + height + "x" + width; }
    }

    /** One layer of a {@link Cnn}. */
    sealed interface Layer {
        record Conv(int channels, boolean batchNorm) implements Layer {
            @Override public String toString() { return "c" + channels + (batchNorm ? "/bn" : ""); }
        }

        record Pool() implements Layer {
            @Override public String toString() { return "p"; }
        }

        record Dense(int width) implements Layer {
            @Override public String toString() { return "fc" + width; }
        }
    }

    /** {@code blocks} basic blocks of {@code width} channels. */
    record Stage(int width, int blocks) {
        public Stage {
            if (width <= 0 || blocks <= 0) throw new IllegalArgumentException("stage sizes must be positive");
        }

        @Override public String toString() { return width + "x" + blocks; }
    }

    // ---- parsing ----

    /** Parses a spec with the standard ops' activations; malformed specs throw {@link IllegalArgumentException}. */
    static ArchSpec parse(String spec) { return parse(spec, StandardOps.registry()); }

    /** Parses a spec whose activation names an elementwise op of {@code registry}. */
    static ArchSpec parse(String spec, OpRegistry registry) {
        if (spec == null || spec.isBlank()) throw new IllegalArgumentException("empty architecture spec" + examples());
        String[] parts = spec.trim().split(":", -1);
        if (parts.length < 2 || parts.length > 3) {
            throw new IllegalArgumentException("architecture spec '" + spec + "' should be FAMILY:LAYERS[:ACTIVATION]"
                    + examples());
        }
        String family = parts[0].trim().toLowerCase(Locale.ROOT);
        try {
            Activation act = registry.activation(parts.length == 3 ? parts[2] : "relu");
            List<String> items = items(parts[1]);
            return switch (family) {
                case "mlp" -> parseMlp(items, act);
                case "cnn" -> parseCnn(items, act);
                case "resnet" -> parseResNet(items, act);
                default -> throw new IllegalArgumentException("unknown network family '" + parts[0]
                        + "' (one of mlp, cnn, resnet)");
            };
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("architecture spec '" + spec + "': " + e.getMessage(), e);
        }
    }

    private static String examples() {
        return "; examples: mlp:784-500x5-10:relu, cnn:1x28x28-c16-c32-p-c64-p-fc128-10:relu, "
                + "resnet:1x28x28-16x2-32x2-10:relu";
    }

    private static List<String> items(String body) {
        List<String> items = List.of(body.trim().toLowerCase(Locale.ROOT).split("-", -1));
        for (int i = 0; i < items.size(); i++) {
            if (items.get(i).isEmpty()) {
                throw new IllegalArgumentException("empty layer at position " + (i + 1)
                        + " (layers are separated by single '-')");
            }
        }
        return items;
    }

    private static Mlp parseMlp(List<String> items, Activation act) {
        if (items.size() < 2) throw new IllegalArgumentException("an MLP needs at least an input and an output width");
        List<Integer> widths = new ArrayList<>();
        widths.add(positive(items.getFirst(), "input width"));
        for (String item : items.subList(1, items.size() - 1)) {
            int[] wr = repeated(item, "hidden layer");
            for (int r = 0; r < wr[1]; r++) widths.add(wr[0]);
        }
        widths.add(positive(items.getLast(), "output width"));
        return new Mlp(widths, act);
    }

    private static Cnn parseCnn(List<String> items, Activation act) {
        if (items.size() < 2) throw new IllegalArgumentException("a CNN needs an input CxHxW and a class count");
        Image in = image(items.getFirst());
        long h = in.height();
        long w = in.width();
        boolean dense = false;
        List<Layer> layers = new ArrayList<>();
        for (String item : items.subList(1, items.size() - 1)) {
            if (item.equals("p")) {
                if (dense) throw new IllegalArgumentException("pool 'p' after a fully connected layer");
                if (h < 2 || w < 2) {
                    throw new IllegalArgumentException("pool 'p' on a " + h + "x" + w + " feature map (needs at least 2x2)");
                }
                h /= 2;
                w /= 2;
                layers.add(new Layer.Pool());
            } else if (item.startsWith("fc")) {
                dense = true;
                int[] wr = repeated(item.substring(2), "fully connected layer '" + item + "'");
                for (int r = 0; r < wr[1]; r++) layers.add(new Layer.Dense(wr[0]));
            } else if (item.startsWith("c")) {
                if (dense) throw new IllegalArgumentException("conv '" + item + "' after a fully connected layer");
                String body = item.substring(1);
                boolean bn = body.endsWith("/bn");
                if (bn) body = body.substring(0, body.length() - 3);
                if (body.contains("/")) {
                    throw new IllegalArgumentException("conv '" + item + "': the only option is /bn (e.g. c32/bn)");
                }
                int[] wr = repeated(body, "conv '" + item + "'");
                for (int r = 0; r < wr[1]; r++) layers.add(new Layer.Conv(wr[0], bn));
            } else {
                throw new IllegalArgumentException("unknown CNN layer '" + item + "' (cN, cN/bn, p or fcN; the last "
                        + "item is the class count)");
            }
        }
        return new Cnn(in, layers, positive(items.getLast(), "class count"), act);
    }

    private static ResNet parseResNet(List<String> items, Activation act) {
        if (items.size() < 3) {
            throw new IllegalArgumentException("a ResNet needs an input CxHxW, at least one stage WxB and a class count");
        }
        Image in = image(items.getFirst());
        List<Stage> stages = new ArrayList<>();
        for (String item : items.subList(1, items.size() - 1)) {
            String[] wb = item.split("x", -1);
            if (wb.length != 2) {
                throw new IllegalArgumentException("stage '" + item + "' should be WIDTHxBLOCKS (e.g. 32x2)");
            }
            stages.add(new Stage(positive(wb[0], "stage width in '" + item + "'"),
                    positive(wb[1], "block count in '" + item + "'")));
        }
        return new ResNet(in, stages, positive(items.getLast(), "class count"), act);
    }

    private static Image image(String item) {
        String[] chw = item.split("x", -1);
        if (chw.length != 3) {
            throw new IllegalArgumentException("input '" + item + "' should be CxHxW (e.g. 1x28x28)");
        }
        return new Image(positive(chw[0], "input channels"), positive(chw[1], "input height"),
                positive(chw[2], "input width"));
    }

    /** "W" or "WxR" → {W, R}. */
    private static int[] repeated(String item, String what) {
        String[] wr = item.split("x", -1);
        if (wr.length > 2) throw new IllegalArgumentException(what + " '" + item + "' should be W or WxR (e.g. 500x5)");
        int width = positive(wr[0], what + " width");
        int repeat = wr.length == 2 ? positive(wr[1], what + " repeat count") : 1;
        int maxRepeat = 10_000; // a typo must not build millions of layers
        if (repeat > maxRepeat) throw new IllegalArgumentException(what + " repeats more than " + maxRepeat + " times");
        return new int[] {width, repeat};
    }

    private static int positive(String text, String what) {
        int v;
        try {
            v = Integer.parseInt(text.trim());
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(what + " '" + text + "' is not a whole number");
        }
        if (v <= 0) throw new IllegalArgumentException(what + " must be positive, got " + v);
        return v;
    }
}
