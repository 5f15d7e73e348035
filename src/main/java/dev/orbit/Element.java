package dev.orbit;

import java.nio.file.Path;

import dev.orbit.symmetry.ElementFile;
import dev.orbit.symmetry.SymmetryAnalysis;
import dev.orbit.symmetry.SymmetryElement;

/**
 * A group element made for one model: a value to keep, save, load, invert and apply again. What it holds
 * (permutations, scalings, matrices, isometries of length-product layers, an ODE gauge: a {@link SymmetryElement})
 * is Orbit's business; the file it saves to is versioned ({@code orbit-element/3}; versions 1 and 2 and the
 * hyperbolic study's untagged files still load) and records what it was made for, so replaying it on another model
 * is refused.
 *
 * <pre>{@code
 * Moved moved = model.move(Moves.teleport());
 * moved.element().save(Path.of("m.element.json"));
 * Network back = moved.network().move(Moves.apply(Path.of("m.element.json")).inverse()).network();
 * }</pre>
 */
public final class Element {
    private final SymmetryElement group;
    private final SymmetryAnalysis analysis;

    private Element(SymmetryElement group, SymmetryAnalysis analysis) {
        this.group = group;
        this.analysis = analysis;
    }

    /** An element a study made with Orbit's symmetry engine, with the analysis it refers to. */
    public static Element of(SymmetryElement group, SymmetryAnalysis analysis) { return new Element(group, analysis); }

    /** Reads an element file and checks it against the model's spaces ({@code ModelFormatException} if it does not fit). */
    public static Element read(Path file, Network model) {
        SymmetryAnalysis a = model.symmetries().analysis();
        return new Element(ElementFile.read(file, model.ir(), a), a);
    }

    /** The inverse element: applied after this one, it restores the weights and removes the activation rewrites. */
    public Element inverse() { return new Element(group.inverse(analysis), analysis); }

    /** Writes the element as JSON (atomically). */
    public void save(Path file) { ElementFile.write(file, group, analysis); }

    public String toJson() { return ElementFile.toJson(group, analysis); }

    /** This element after {@code first} (apply first, then this): one element of the same kind, for the same model. */
    public Element after(Element first) { return new Element(group.compose(first.group, analysis), analysis); }

    SymmetryElement group() { return group; }

    SymmetryAnalysis analysis() { return analysis; }
}
