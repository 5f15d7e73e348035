package dev.orbit.cli;

import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;

import dev.orbit.Network;
import dev.orbit.Orbit;
import dev.orbit.identity.Licensing;
import dev.orbit.report.Json;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

@Command(name = "trace", mixinStandardHelpOptions = true,
        description = "Name the licensee whose keyed copy of MODEL a leaked file is closest to, with the margin to the second best.")
final class TraceCommand implements java.util.concurrent.Callable<Integer> {
    @Parameters(index = "0", paramLabel = "LEAKED", description = "The leaked ONNX file (names and opset may differ).")
    Path leaked;

    @Parameters(index = "1", paramLabel = "MODEL", description = "The original ONNX model.")
    Path model;

    @Option(names = "--key", required = true, paramLabel = "FILE", description = "The secret key the copies were made with.")
    Path key;

    @Option(names = "--ids", required = true, paramLabel = "FILE", description = "Licensee ids, one per line (at least two).")
    Path ids;

    @Mixin
    JsonOption json;

    @picocli.CommandLine.Spec
    picocli.CommandLine.Model.CommandSpec spec;

    @Override
    public Integer call() {
        byte[] k = KeyFiles.key(key);
        var idList = KeyFiles.ids(ids);
        Network original = Orbit.load(model);
        Network leak = Orbit.load(leaked);
        Licensing.Trace t = original.traceLicensee(leak, k, idList);
        var o = spec.commandLine().getOut();
        if (json.json) {
            Map<String, Object> out = new LinkedHashMap<>();
            out.put("licensee", t.best());
            out.put("distance", t.bestDistance());
            out.put("second", t.second());
            out.put("second_distance", t.secondDistance());
            out.put("margin", t.margin());
            o.println(Json.write(out));
        } else {
            o.printf("most likely licensee: %s (distance %.4g); second: %s (%.4g); margin (r2 - r1)/r2 = %.3f%n", t.best(), t.bestDistance(),
                    t.second(), t.secondDistance(), t.margin());
        }
        o.flush();
        return ExitCodes.OK;
    }
}
