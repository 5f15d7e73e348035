package dev.orbit.symmetry;

import java.util.List;

/**
 * What the space analysis found: the neuron spaces, the activation regions, why things were frozen, and the
 * matrix structures — query–key and value–output pairs, attention blocks and residual streams.
 */
public record SymmetryAnalysis(List<NeuronSpace> spaces, List<ActivationRegion> regions, List<String> notes,
                               List<LinearPair> pairs, List<AttentionBlock> attentions, List<ResidualStream> streams) {
    public SymmetryAnalysis {
        pairs = List.copyOf(pairs);
        attentions = List.copyOf(attentions);
        streams = List.copyOf(streams);
    }

    public SymmetryAnalysis(List<NeuronSpace> spaces, List<ActivationRegion> regions, List<String> notes) {
        this(spaces, regions, notes, List.of(), List.of(), List.of());
    }

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
