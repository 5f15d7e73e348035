package dev.orbit;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import dev.orbit.graph.Model;
import dev.orbit.symmetry.GroupElement;
import dev.orbit.symmetry.HeadScaling;
import dev.orbit.symmetry.MatrixSampling;
import dev.orbit.symmetry.NormFolding;
import dev.orbit.symmetry.OrbitAction;
import dev.orbit.symmetry.PairTransform;
import dev.orbit.symmetry.Sampling;
import dev.orbit.symmetry.StreamRotation;
import dev.orbit.symmetry.SymmetryAnalysis;
import dev.orbit.symmetry.SymmetryElement;
import dev.orbit.train.OrbitOptimizer;

/** How each {@link Move} becomes an element and a moved model. */
final class MoveRunner {
    /** Seed offsets of a teleport's matrix parts: each part draws from its own stream, all fixed by the one seed. */
    static final long ATTENTION_SEED = 0x51ED270B27L;
    static final long HEAD_SCALING_SEED = 0x2545F491L;
    static final long ROTATION_SEED = 0x6A09E667L;

    private MoveRunner() {}

    static Moved run(Network model, Move move) {
        return switch (move) {
            case Moves.Teleport t -> teleport(model, t);
            case Moves.Permute p -> {
                Symmetries s = model.symmetries();
                GroupElement g = Sampling.permutations(s.analysis(), p.seed());
                yield act(model, model, s, g, String.format("permuted %s: %d permutation classes (seed %d)", model.label(),
                        g.permutations().size(), p.seed()), Map.of());
            }
            case Moves.Optimise o -> {
                Symmetries s = model.symmetries();
                OrbitOptimizer.Result r = OrbitOptimizer.optimise(model.ir(), s.analysis(), o.objective(), o.config());
                Map<String, Object> facts = new LinkedHashMap<>();
                facts.put("objective", r.objective());
                facts.put("objective_before", r.before());
                facts.put("objective_after", r.after());
                facts.put("steps_accepted", r.accepted());
                facts.put("steps", r.steps());
                facts.put("max_abs_log_scale", r.maxLogScale());
                facts.put("coordinates", r.dimension());
                facts.put("left_fixed", r.skipped());
                yield act(model, model, s, r.element(), String.format("optimised %s along its orbit: %s %.6g → %.6g (%d of %d steps kept, "
                        + "%d coordinates, max |log-scale| %.3f)", model.label(), r.objective(), r.before(), r.after(), r.accepted(), r.steps(),
                        r.dimension(), r.maxLogScale()), facts);
            }
            case Moves.Apply a -> {
                Symmetries s = model.symmetries();
                Element e = a.file() != null ? Element.read(a.file(), model) : a.element();
                SymmetryElement g = a.inverted() ? e.inverse().group() : e.group();
                String what = a.file() != null ? a.file().toString() : "an element";
                yield act(model, model, s, g, String.format("applied %s%s to %s", a.inverted() ? "the inverse of " : "", what, model.label()), Map.of());
            }
        };
    }

    private static Moved act(Network original, Network base, Symmetries s, SymmetryElement g, String description, Map<String, Object> facts) {
        Model moved = OrbitAction.apply(base.ir(), s.analysis(), g);
        return new Moved(original, Orbit.of(moved, original.label()), Element.of(g, s.analysis()), s, description, facts);
    }

    private static Moved teleport(Network model, Moves.Teleport t) {
        List<String> folding = new ArrayList<>();
        Network base = model;
        if (t.rotation() != null) {
            NormFolding.Result r = NormFolding.fold(model.ir());
            folding.add(String.format("%d norm gains folded, %d streams centred, %d LayerNorms made RMSNorms", r.foldedGains(),
                    r.centredStreams(), r.layerNormsReplaced()));
            folding.addAll(r.notes());
            base = Orbit.of(r.model(), model.label());
        }
        Symmetries s = base.symmetries();
        SymmetryAnalysis a = s.analysis();
        GroupElement g = t.permutations() ? Sampling.both(a, t.cob(), t.seed()) : Sampling.scales(a, t.cob(), t.seed());
        if (t.attention() != null) {
            if (a.pairs().isEmpty()) throw new MoveException(MoveException.Part.ATTENTION, "no attention this analysis can move was found in "
                    + model.label() + (a.notes().isEmpty() ? "" : " (" + a.notes().getFirst() + ")"));
            g = g.withMatrices(MatrixSampling.pairs(a, t.attention().condition(), t.seed() ^ ATTENTION_SEED))
                    .withMatrices(MatrixSampling.headScalings(a, t.attention().headScale(), t.seed() ^ HEAD_SCALING_SEED));
        }
        if (t.rotation() != null) {
            if (a.rotatableStreams().isEmpty()) {
                String why = folding.size() > 1 ? folding.get(1) : a.streams().isEmpty() ? "no residual stream found" : a.streams().getFirst().reason();
                throw new MoveException(MoveException.Part.RESIDUAL_STREAM, model.label() + " has no residual stream that rotates exactly: " + why);
            }
            try {
                g = g.withMatrices(MatrixSampling.rotations(a, t.rotation(), t.seed() ^ ROTATION_SEED));
            } catch (IllegalArgumentException e) {
                throw new MoveException(MoveException.Part.ROTATION, e.getMessage());
            }
        }
        return act(model, base, s, g, describe(model, a, g, t, folding), facts(g, t, folding));
    }

    private static String describe(Network model, SymmetryAnalysis a, GroupElement g, Moves.Teleport t, List<String> folding) {
        StringBuilder b = new StringBuilder(String.format("teleported %s: %d of %d spaces scaled (%s, r = %s, seed %d)%s", model.label(),
                g.scales().size(), a.spaces().size(), t.sampling().name().toLowerCase(), t.range(), t.seed(),
                t.permutations() ? ", " + g.permutations().size() + " permutation classes permuted" : ""));
        long pairs = g.matrices().stream().filter(p -> p instanceof PairTransform).count();
        long scalings = g.matrices().stream().filter(p -> p instanceof HeadScaling).count();
        long rotations = g.matrices().stream().filter(p -> p instanceof StreamRotation).count();
        if (pairs > 0) b.append(String.format("%n  attention: %d pairs moved by per-head A (condition number %.3g), %d attentions scaled per head",
                pairs, maxCondition(g), scalings));
        if (!folding.isEmpty()) b.append("%n  norm folding: ".formatted()).append(folding.getFirst());
        if (rotations > 0) b.append(String.format("%n  residual: %d stream(s) rotated (%s)", rotations, t.rotation().name().toLowerCase()));
        return b.toString();
    }

    private static double maxCondition(GroupElement g) {
        return g.matrices().stream().filter(p -> p instanceof PairTransform).mapToDouble(p -> ((PairTransform) p).conditionNumber()).max().orElse(1);
    }

    private static Map<String, Object> facts(GroupElement g, Moves.Teleport t, List<String> folding) {
        Map<String, Object> f = new LinkedHashMap<>();
        if (t.attention() != null) f.put("attention_condition_number", maxCondition(g));
        if (t.rotation() != null) {
            f.put("norm_folding", List.copyOf(folding));
            f.put("rotation", t.rotation().name().toLowerCase());
        }
        return f;
    }
}
