package dev.orbit;

/** A way to move a model along its orbit; made by {@link Moves}, applied by {@link Network#move(Move)}. */
public sealed interface Move permits Moves.Teleport, Moves.Permute, Moves.Apply, Moves.Optimise {}
