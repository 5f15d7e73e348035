package dev.orbit.cli;

import dev.orbit.io.ReadLimits;
import dev.orbit.io.Sizes;
import picocli.CommandLine;
import picocli.CommandLine.Option;
import picocli.CommandLine.ScopeType;

/**
 * The two read limits a user may need to raise (docs/RELIABILITY.md), on every command: declared on the root
 * command and inherited, then bound as {@link ReadLimits#current()} for the command's run, so every reader
 * sees them without being handed them.
 */
final class ReadLimitOptions {
    @Option(names = "--max-bytes", paramLabel = "SIZE", scope = ScopeType.INHERIT, converter = SizeConverter.class,
            description = "Most bytes one input file may make Orbit allocate (tensors, data, inputs; memory-mapped "
                    + "external data does not count). Default 4G; suffixes K, M, G, T.")
    Long maxBytes;

    @Option(names = "--max-nodes", paramLabel = "N", scope = ScopeType.INHERIT,
            description = "Most nodes one model may have, subgraphs included (default 100000).")
    Long maxNodes;

    /** The limits a parsed command line asks for: defaults, overridden by the options wherever they were given. */
    static ReadLimits of(CommandLine.ParseResult parsed) {
        ReadLimits limits = ReadLimits.defaults();
        for (CommandLine.ParseResult p = parsed; p != null; p = p.subcommand()) {
            Long bytes = p.matchedOptionValue("--max-bytes", null);
            Long nodes = p.matchedOptionValue("--max-nodes", null);
            if (bytes != null) limits = limits.withMaxBytes(bytes);
            if (nodes != null) {
                if (nodes <= 0) throw new CommandLine.ParameterException(p.commandSpec().commandLine(), "--max-nodes must be positive");
                limits = limits.withMaxNodes(nodes);
            }
        }
        return limits;
    }

    static final class SizeConverter implements CommandLine.ITypeConverter<Long> {
        @Override
        public Long convert(String value) {
            try {
                return Sizes.parse(value);
            } catch (IllegalArgumentException e) {
                throw new CommandLine.TypeConversionException(e.getMessage());
            }
        }
    }
}
