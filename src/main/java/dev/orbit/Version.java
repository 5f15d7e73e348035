package dev.orbit;

/** Orbit's version, reported by {@code orbit --version} and written into exported models' metadata. */
public final class Version {
    public static final String VERSION = "0.1.0";

    private Version() {}
}
