package dev.orbit.symmetry;

import java.util.List;

/**
 * What the space analysis found: the neuron spaces, the activation regions, why things were frozen, and the
 * matrix structures — query–key and value–output pairs, attention blocks and residual streams. {@code outputSpaces}:
 * the spaces of network outputs (fixed, not hidden).
 */
public record SymmetryAnalysis(List<NeuronSpace> spaces, List<ActivationRegion> regions, List<String> notes,
                               List<LinearPair> pairs, List<AttentionBlock> attentions, List<ResidualStream> streams,
                               java.util.Set<Integer> outputSpaces) {
    public SymmetryAnalysis {
        pairs = List.copyOf(pairs);
        attentions = List.copyOf(attentions);
        streams = List.copyOf(streams);
        outputSpaces = java.util.Set.copyOf(outputSpaces);
    }

    public SymmetryAnalysis(List<NeuronSpace> spaces, List<ActivationRegion> regions, List<String> notes) {
        this(spaces, regions, notes, List.of(), List.of(), List.of(), java.util.Set.of());
    }

    /** Channel counts and matrix-group dimensions the group reaches. */
    public Coverage coverage() { return Coverage.of(this); }

    public List<NeuronSpace> freeSpaces() { return spaces.stream().filter(NeuronSpace::isFree).toList(); }

    public NeuronSpace space(int id) { return spaces.get(id); }

    public List<ResidualStream> rotatableStreams() { return streams.stream().filter(ResidualStream::rotatable).toList(); }

    /** Permutation classes that may be permuted (channel by channel or by heads), each with its size. */
    public java.util.Map<Integer, Long> permutableClasses() {
        var m = new java.util.TreeMap<Integer, Long>();
        for (NeuronSpace s : spaces) if (s.classPermutable()) m.put(s.permClass(), s.classSize());
        return m;
    }
}
