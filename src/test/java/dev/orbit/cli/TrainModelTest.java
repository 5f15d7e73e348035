package dev.orbit.cli;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import dev.orbit.Orbit;
import dev.orbit.graph.Attr;
import dev.orbit.graph.Attributes;
import dev.orbit.graph.Dim;
import dev.orbit.graph.Graph;
import dev.orbit.graph.Model;
import dev.orbit.graph.Node;
import dev.orbit.graph.Shape;
import dev.orbit.graph.ValueInfo;
import dev.orbit.graph.ValueType;
import dev.orbit.io.onnx.OnnxExporter;
import dev.orbit.tensor.DType;

/**
 * `orbit train --model`: an ONNX classifier's own weights, and graphs that end in their own loss
 * (SoftmaxCrossEntropyLoss, LogSoftmax + NegativeLogLikelihoodLoss), trained through the loss op's gradient.
 */
class TrainModelTest {
    @TempDir
    static Path tmp;

    static Path start;

    @BeforeAll
    static void aSmallClassifier() {
        start = tmp.resolve("start.onnx");
        var r = CliRun.of("train", "--arch", "mlp:784-24-10:relu", "--epochs", "1", "--train-samples", "300", "--seed", "5",
                "-o", start.toString(), "--quiet");
        assertEquals(ExitCodes.OK, r.exitCode(), r.err() + r.out());
    }

    /** The classifier with a loss node after its logits: inputs (features, labels), output the scalar loss. */
    static Path withLoss(String name, String reduction, boolean likelihood) {
        Model m = Orbit.load(start).ir();
        Graph g = m.graph();
        String logits = g.outputs().getFirst().name();
        List<Node> nodes = new ArrayList<>(g.nodes());
        Attributes reduce = Attributes.NONE.with("reduction", new Attr.Str(reduction));
        if (likelihood) {
            nodes.add(new Node("log_probs", "LogSoftmax", List.of(logits), List.of("log_probs"), Attributes.NONE.with("axis", new Attr.Int(1))));
            nodes.add(new Node("nll", "NegativeLogLikelihoodLoss", List.of("log_probs", "labels"), List.of("loss"), reduce));
        } else {
            nodes.add(new Node("sce", "SoftmaxCrossEntropyLoss", List.of(logits, "labels"), List.of("loss"), reduce));
        }
        List<ValueInfo> inputs = new ArrayList<>(g.inputs());
        inputs.add(new ValueInfo("labels", new ValueType(DType.INT64, Shape.of(Dim.symbol("batch")))));
        Shape lossShape = reduction.equals("none") ? Shape.of(Dim.symbol("batch")) : Shape.of(new long[0]);
        Graph withLoss = new Graph(g.name(), inputs, List.of(new ValueInfo("loss", new ValueType(DType.FLOAT32, lossShape))),
                nodes, g.parameters(), g.valueInfo(), g.docString());
        Path file = tmp.resolve(name);
        OnnxExporter.write(m.withGraph(withLoss), file);
        return file;
    }

    static JsonNode train(Path model, Path out, String... extra) throws Exception {
        List<String> args = new ArrayList<>(List.of("train", "--model", model.toString(), "--epochs", "2", "--train-samples", "1000",
                "--seed", "9", "--augment", "none", "--schedule", "constant", "--weight-decay", "0", "-o", out.toString(), "--json"));
        args.addAll(List.of(extra));
        var r = CliRun.of(args.toArray(String[]::new));
        assertEquals(ExitCodes.OK, r.exitCode(), r.err() + r.out());
        return new ObjectMapper().readTree(r.out());
    }

    @Test
    void continuesTrainingAClassifierAndLeavesTheInputAlone() throws Exception {
        byte[] before = Files.readAllBytes(start);
        JsonNode r = train(start, tmp.resolve("more.onnx"));
        assertTrue(r.get("verification").get("passed").asBoolean(), r.toString());
        JsonNode h = r.get("history");
        assertTrue(h.get(1).get("train_loss").asDouble() < h.get(0).get("train_loss").asDouble(), "loss falls: " + h);
        assertTrue(r.get("test_accuracy").asDouble() > 0.6, r.toString());
        assertArrayEquals(before, Files.readAllBytes(start), "the input model is never modified");
    }

    @Test
    void aGraphEndingInItsOwnLossTrainsLikeTheSameLossOutside() throws Exception {
        JsonNode outside = train(start, tmp.resolve("outside.onnx"));
        for (boolean likelihood : new boolean[] {false, true}) {
            Path lossGraph = withLoss(likelihood ? "nll.onnx" : "sce.onnx", "mean", likelihood);
            Path trained = tmp.resolve(likelihood ? "nll-trained.onnx" : "sce-trained.onnx");
            JsonNode inside = train(lossGraph, trained);
            assertTrue(inside.get("verification").get("passed").asBoolean(), inside.toString());
            // same start, seed, batches and mean cross-entropy: the loss op's gradient must match libtorch's fused one
            for (int e = 0; e < 2; e++) {
                double a = outside.get("history").get(e).get("train_loss").asDouble();
                double b = inside.get("history").get(e).get("train_loss").asDouble();
                assertEquals(a, b, 1e-4 * a, "epoch " + (e + 1) + " loss, likelihood=" + likelihood);
            }
            assertEquals(outside.get("test_accuracy").asDouble(), inside.get("test_accuracy").asDouble(), 0.002);
            Model m = Orbit.load(trained).ir();
            assertEquals("loss", m.graph().outputs().getFirst().name(), "the trained graph keeps its loss");
        }
    }

    @Test
    void refusesWhatItCannotTrain() {
        Path out = tmp.resolve("never.onnx");
        var none = CliRun.of("train", "--model", withLoss("none.onnx", "none", false).toString(), "-o", out.toString());
        assertEquals(ExitCodes.UNSUPPORTED, none.exitCode(), none.err());
        assertTrue(none.cleanError() && none.err().contains("reduction 'none'"), none.err());
        var teleport = CliRun.of("train", "--model", withLoss("sce2.onnx", "mean", false).toString(), "--teleport", "grad-norm",
                "-o", out.toString());
        assertEquals(ExitCodes.USAGE, teleport.exitCode(), teleport.err());
        assertTrue(teleport.cleanError(), teleport.err());
        var both = CliRun.of("train", "--model", start.toString(), "--arch", "mlp:784-10", "-o", out.toString());
        assertEquals(ExitCodes.USAGE, both.exitCode(), both.err());
        var missing = CliRun.of("train", "--model", tmp.resolve("absent.onnx").toString(), "-o", out.toString());
        assertTrue(missing.exitCode() != ExitCodes.OK && missing.cleanError(), missing.err());
        assertFalse(Files.exists(out));
    }
}
