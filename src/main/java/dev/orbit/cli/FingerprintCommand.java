package dev.orbit.cli;

import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;

import dev.orbit.Moves;
import dev.orbit.Network;
import dev.orbit.Orbit;
import dev.orbit.identity.Fingerprint;
import dev.orbit.report.Json;
import dev.orbit.symmetry.Sampling;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

@Command(name = "fingerprint", mixinStandardHelpOptions = true,
        description = {"Print MODEL's orbit-invariant fingerprint: hashes of its canonical form on two offset grids (the same for every "
                + "orbit copy) and its balanced-point spectra. With --compare A B: the similarity score in [0,1] of two models.",
                "--copies N also fingerprints N random orbit copies (permutations and teleports) and reports how often each grid's hash flipped."})
final class FingerprintCommand implements java.util.concurrent.Callable<Integer> {
    @Parameters(arity = "0..1", paramLabel = "MODEL", description = "An ONNX file.")
    Path model;

    @Option(names = "--compare", arity = "2", paramLabel = "MODEL", description = "Compare two models' fingerprints.")
    Path[] compare;

    @Option(names = "--copies", defaultValue = "0", paramLabel = "N", description = "Random orbit copies to fingerprint for the flip rate (default ${DEFAULT-VALUE}).")
    int copies;

    @Mixin
    SeedOption seed;

    @Mixin
    JsonOption json;

    @picocli.CommandLine.Spec
    picocli.CommandLine.Model.CommandSpec spec;

    @Override
    public Integer call() {
        if ((model == null) == (compare == null)) throw new UserError(ExitCodes.USAGE, "give either MODEL or --compare A B");
        if (copies < 0 || copies > 10_000) throw new UserError(ExitCodes.USAGE, "--copies must be within 0..10000");
        var o = spec.commandLine().getOut();
        Map<String, Object> out = new LinkedHashMap<>();
        if (compare != null) {
            Fingerprint a = Orbit.load(compare[0]).fingerprint();
            Fingerprint b = Orbit.load(compare[1]).fingerprint();
            Fingerprint.Comparison c = Fingerprint.compare(a, b);
            out.put("a", compare[0].toString());
            out.put("b", compare[1].toString());
            out.put("score", c.score());
            out.put("same_hash", c.sameHash());
            out.put("spectral_similarity", c.spectralSimilarity());
            out.put("layers", c.layers());
            out.put("layers_paired", c.layersPaired());
            if (json.json) o.println(Json.write(out));
            else o.printf("similarity %.6f (%s; spectral similarity %.6f over %d weight matrices, %d paired)%n", c.score(),
                    c.sameHash() ? "same fingerprint hash: orbit duplicates" : "hashes differ", c.spectralSimilarity(), c.layers(), c.layersPaired());
            o.flush();
            return ExitCodes.OK;
        }
        Network n = Orbit.load(model);
        Fingerprint f = n.fingerprint();
        out.put("model", model.toString());
        out.put("fingerprint", f);
        if (copies > 0) out.put("flips", flips(n, f));
        if (json.json) {
            o.println(Json.write(out));
        } else {
            o.printf("%s  %s%n", f.digest(), model);
            o.printf("%d features, grid margins %.3g / %.3g cells, %d weight spectra, canonical form %s (%.2f s)%n", f.features(), f.marginA(),
                    f.marginB(), f.spectra().size(), f.exact() ? "exact" : "not exact", f.seconds());
            f.notes().forEach(x -> o.println("note: " + x));
            if (copies > 0) {
                @SuppressWarnings("unchecked") Map<String, Object> fl = (Map<String, Object>) out.get("flips");
                o.printf("%d random orbit copies: grid A flipped %s, grid B %s, both (a missed duplicate) %s; lowest spectral similarity %.9f%n",
                        copies, fl.get("grid_a"), fl.get("grid_b"), fl.get("both"), (double) fl.get("min_spectral_similarity"));
            }
        }
        o.flush();
        return ExitCodes.OK;
    }

    /** Fingerprints random orbit copies (INTER r = 0.9 teleports with permutations, seeds seed … seed + copies − 1). */
    private Map<String, Object> flips(Network n, Fingerprint f) {
        int a = 0, b = 0, both = 0;
        double minSimilarity = 1;
        for (int i = 0; i < copies; i++) {
            Network copy = n.move(Moves.teleport(Sampling.Kind.INTER, 0.9).permute().seed(seed.seed + i)).network();
            Fingerprint g = copy.fingerprint();
            boolean fa = !g.gridA().equals(f.gridA()), fb = !g.gridB().equals(f.gridB());
            if (fa) a++;
            if (fb) b++;
            if (fa && fb) both++;
            minSimilarity = Math.min(minSimilarity, Fingerprint.compare(f, g).spectralSimilarity());
        }
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("copies", copies);
        m.put("grid_a", a);
        m.put("grid_b", b);
        m.put("both", both);
        m.put("min_spectral_similarity", minSimilarity);
        return m;
    }
}
