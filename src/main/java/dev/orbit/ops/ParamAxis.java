package dev.orbit.ops;

/** One axis of a parameter tensor. */
public record ParamAxis(String parameter, int axis) {}
