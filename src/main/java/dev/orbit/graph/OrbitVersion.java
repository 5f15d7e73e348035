package dev.orbit.graph;

/** Orbit's version, reported by {@code orbit --version} and written into exported models' metadata. */
public final class OrbitVersion {
    public static final String VERSION = "0.1.0";

    private OrbitVersion() {}
}
