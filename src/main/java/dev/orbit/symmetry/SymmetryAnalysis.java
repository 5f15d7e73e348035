package dev.orbit.symmetry;

import java.util.List;

/** What the space analysis found: the neuron spaces, the activation regions, and why things were frozen. */
public record SymmetryAnalysis(List<NeuronSpace> spaces, List<ActivationRegion> regions, List<String> notes) {
    public List<NeuronSpace> freeSpaces() { return spaces.stream().filter(NeuronSpace::isFree).toList(); }

    public NeuronSpace space(int id) { return spaces.get(id); }

    /** Permutation classes that may be permuted, each with its size. */
    public java.util.Map<Integer, Long> permutableClasses() {
        var m = new java.util.TreeMap<Integer, Long>();
        for (NeuronSpace s : spaces) if (s.permutable()) m.put(s.permClass(), s.size());
        return m;
    }
}
