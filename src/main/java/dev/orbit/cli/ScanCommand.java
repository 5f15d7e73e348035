package dev.orbit.cli;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.stream.Stream;

import dev.orbit.identity.HubScan;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

@Command(name = "scan", mixinStandardHelpOptions = true,
        description = {"Fingerprint every model of a folder (its .onnx and .safetensors files, recursively) or of a list file "
                + "(one path a line), one task per file on an engine as orbit sweep; report orbit-duplicate groups, near duplicates "
                + "and unreadable files with their error in DIR/result.json and DIR/report.html."})
final class ScanCommand implements java.util.concurrent.Callable<Integer> {
    @Parameters(paramLabel = "DIR|LIST", description = "A folder to walk, or a text file listing model paths (relative to the list's folder).")
    Path source;

    @Option(names = "--threshold", defaultValue = "0.99", description = "Spectral similarity for near duplicates (default ${DEFAULT-VALUE}).")
    double threshold;

    @Option(names = {"-o", "--output"}, required = true, paramLabel = "DIR", description = "Folder for result.json, report.html, index.html and sweep.json.")
    Path output;

    @Mixin
    SweepOptions sweep;

    @picocli.CommandLine.Spec
    picocli.CommandLine.Model.CommandSpec spec;

    static final HubScan SCAN = new HubScan();

    @Override
    public Integer call() {
        if (!(threshold > 0 && threshold <= 1)) throw new UserError(ExitCodes.USAGE, "--threshold must be within (0, 1]");
        List<String> files = files(source);
        if (files.isEmpty()) throw new UserError(ExitCodes.USAGE, "no model files in " + source);
        return SweepCommand.runAndWrite(spec, sweep, SCAN, new HubScan.Config(files, threshold), output);
    }

    /** The folder's .onnx and .safetensors files (sorted), or the list's lines (blank and # lines skipped), as absolute paths. */
    static List<String> files(Path source) {
        try {
            if (Files.isDirectory(source)) {
                try (Stream<Path> s = Files.walk(source)) {
                    return s.filter(Files::isRegularFile).filter(p -> {
                        String n = p.getFileName().toString().toLowerCase(Locale.ROOT);
                        return n.endsWith(".onnx") || n.endsWith(".safetensors");
                    }).map(p -> p.toAbsolutePath().normalize().toString()).sorted().toList();
                }
            }
            if (!Files.isRegularFile(source)) throw new UserError(ExitCodes.BAD_INPUT, "cannot read " + source + ": no such folder or file");
            Path base = source.toAbsolutePath().getParent();
            List<String> out = new ArrayList<>();
            for (String line : Files.readAllLines(source)) {
                String l = line.strip();
                if (l.isEmpty() || l.startsWith("#")) continue;
                out.add(base.resolve(l).normalize().toString());
            }
            return out;
        } catch (java.nio.charset.MalformedInputException e) {
            throw new UserError(ExitCodes.BAD_INPUT, "cannot read " + source + ": not a text list of paths");
        } catch (IOException | java.io.UncheckedIOException | java.nio.file.InvalidPathException e) {
            throw new UserError(ExitCodes.BAD_INPUT, "cannot read " + source + ": " + e.getMessage());
        }
    }
}
