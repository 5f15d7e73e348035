package dev.orbit.cli;

import dev.orbit.graph.build.ArchSpec;

/** Architecture specs given on the command line: a spec that does not parse is a usage error. */
final class Architectures {
    private Architectures() {}

    /** Parses {@code spec}; the error message gets {@code prefix} (e.g. the option name) in front. */
    static ArchSpec check(String spec, String prefix) {
        try {
            return ArchSpec.parse(spec);
        } catch (IllegalArgumentException e) {
            throw new UserError(ExitCodes.USAGE, prefix + e.getMessage());
        }
    }
}
