package dev.orbit;

import java.util.List;

import dev.orbit.graph.Model;
import dev.orbit.symmetry.LengthLayers;
import dev.orbit.report.Json;
import dev.orbit.symmetry.AttentionBlock;
import dev.orbit.symmetry.LinearPair;
import dev.orbit.symmetry.NeuronSpace;
import dev.orbit.symmetry.ResidualStream;
import dev.orbit.symmetry.SpaceAnalyzer;
import dev.orbit.symmetry.SymmetryAnalysis;

/**
 * A model's symmetries: every neuron space with the group acting on it (permutations, scalings and why a space is
 * fixed), the matrix groups (GL(d) on attention pairs, per-head scalings, rotations of residual streams) and the
 * isometry groups of length-product layers. {@link #toString()} is the readable summary {@code orbit symmetries}
 * prints, {@link #toJson()} its JSON form; the accessors give the structured values.
 *
 * <pre>{@code
 * Symmetries s = Orbit.load(Path.of("m.onnx")).symmetries();
 * for (NeuronSpace space : s.freeSpaces()) System.out.println(space.size() + " " + space.scaling());
 * }</pre>
 */
public final class Symmetries {
    private final Model model;
    private final SymmetryAnalysis analysis;

    Symmetries(Model model) {
        this(model, SpaceAnalyzer.analyze(model));
    }

    Symmetries(Model model, SymmetryAnalysis analysis) {
        this.model = model;
        this.analysis = analysis;
    }

    /** The full analysis (spaces, activation regions, notes, pairs, attentions, streams). */
    public SymmetryAnalysis analysis() { return analysis; }

    public List<NeuronSpace> spaces() { return analysis.spaces(); }

    /** Spaces some non-identity element acts on (permutable or scalable). */
    public List<NeuronSpace> freeSpaces() { return analysis.freeSpaces(); }

    /** Query–key and value–output pairs: GL(d) per head. */
    public List<LinearPair> attentionPairs() { return analysis.pairs(); }

    /** Attention blocks with their per-head scaling constraint. */
    public List<AttentionBlock> attentions() { return analysis.attentions(); }

    /** Residual streams, each with whether an orthogonal rotation acts on it exactly. */
    public List<ResidualStream> residualStreams() { return analysis.streams(); }

    /** Nodes of length-product layers (domain {@code dev.orbit}); each carries its own isometry group. */
    public List<String> lengthProductLayers() {
        return LengthLayers.of(model).stream().map(l -> l.node().label()).toList();
    }

    /** The analysis as one JSON object (what {@code orbit symmetries --json} prints). */
    public String toJson() { return Json.write(analysis); }

    /** What {@code orbit symmetries} prints: spaces, matrix groups, rotations after norm folding, length-product layers. */
    @Override
    public String toString() { return SymmetriesText.of(model, analysis); }
}
