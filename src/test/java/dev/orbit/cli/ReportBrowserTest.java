package dev.orbit.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.awt.image.BufferedImage;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import javax.imageio.ImageIO;

import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The reports as a person sees them: Debian's Chromium renders each quick report headless; the
 * rendered DOM must hold every chart, and the screenshot (kept in target/report-screenshots/) must show them —
 * XChart draws its bars and lines in saturated colours, so a drawn chart means hundreds to thousands of such pixels (an empty one: none).
 * In a 1280-px window no table may be wider than the page, and every histogram's x axis carries a handful of numeric
 * tick labels (read from the chart's aria-label, which names the ticks XChart drew), not one label per bin.
 * .ci/run installs Chromium; on a machine without it the test is skipped, not passed.
 */
class ReportBrowserTest {
    static final Path CHROMIUM = Path.of("/usr/bin/chromium");

    @TempDir
    Path tmp;

    /** Each line: a command that writes report.html into the folder given by -o (appended). */
    @ParameterizedTest
    @ValueSource(strings = {"experiment level-curves --quick", "experiment micro-teleport --quick",
            "experiment gradient-scaling --quick", "experiment flatness --quick", "experiment teleport-training --quick",
            "experiment symmetry-teleport --quick",
            "experiment ode-gauge --quick", "spectrum", "jacobian --init gaussian --depth 4 --width 64 --seeds 1",
            "kernel --arch mlp:784-64x2-10:relu --depth 1 --train 100 --test 100", "hyperbolic-ensemble --quick"})
    void reportRendersWithItsCharts(String command) throws Exception {
        assumeTrue(Files.isExecutable(CHROMIUM), "Chromium is not installed (.ci/run installs it)");
        List<String> args = new java.util.ArrayList<>(List.of(command.split(" ")));
        args.addAll(List.of("-o", tmp.toString()));
        var r = CliRun.of(args.toArray(String[]::new));
        assertEquals(ExitCodes.OK, r.exitCode(), r.err());
        String experiment = command.replace("experiment ", "").split(" ")[0];
        Path report = tmp.resolve("report.html");
        int expectedCharts = Files.readString(report).split("<svg", -1).length - 1;
        assertTrue(expectedCharts > 0);

        String dom = run(List.of("--dump-dom", report.toUri().toString()));
        assertEquals(expectedCharts, dom.split("<svg", -1).length - 1, "every chart is in the rendered page");
        histogramsHaveNumericAxes(experiment, dom);
        tablesFitThePage(experiment, report);

        Path shots = Path.of("target", "report-screenshots");
        Files.createDirectories(shots);
        Path png = shots.resolve(experiment + ".png").toAbsolutePath();
        run(List.of("--window-size=1000,4000", "--screenshot=" + png, report.toUri().toString()));
        BufferedImage image = ImageIO.read(png.toFile());
        long coloured = 0;
        for (int y = 0; y < image.getHeight(); y++) {
            for (int x = 0; x < image.getWidth(); x++) {
                int rgb = image.getRGB(x, y);
                int red = (rgb >> 16) & 0xff, green = (rgb >> 8) & 0xff, blue = rgb & 0xff;
                int max = Math.max(red, Math.max(green, blue));
                int min = Math.min(red, Math.min(green, blue));
                if (max - min > 120) coloured++; // saturated: chart ink, not text, grid or background
            }
        }
        assertTrue(coloured > 500L * Math.min(expectedCharts, 3), experiment + ": only " + coloured + " chart pixels in " + png);
    }

    /** A histogram (y axis "count") shows between 2 and 12 x tick labels, each a number. */
    private static void histogramsHaveNumericAxes(String experiment, String dom) {
        Matcher m = Pattern.compile("aria-label=\"([^\"]*); x axis: ([^\"]*), ticks ([^\";]*); y axis: count\"").matcher(dom);
        int histograms = 0;
        while (m.find()) {
            histograms++;
            String[] ticks = m.group(3).trim().split(" ");
            assertTrue(ticks.length >= 2 && ticks.length <= 12, experiment + ": histogram '" + m.group(1) + "' has " + ticks.length + " x ticks");
            for (String t : ticks) {
                assertTrue(t.replace("E", "e").matches("[-−]?[0-9.,]+(e[-−]?[0-9]+)?"), experiment + ": tick '" + t + "' of '" + m.group(1) + "' is not a number");
            }
        }
        int expected = switch (experiment) {
            case "level-curves" -> 3;
            case "micro-teleport" -> 8;
            case "kernel" -> 1;
            default -> 0;
        };
        assertEquals(expected, histograms, experiment + ": histograms labelled with their ticks");
    }

    /** In a 1280-px window the page does not scroll sideways and no table is wider than the box it sits in. */
    private void tablesFitThePage(String experiment, Path report) throws Exception {
        String probe = "<pre id=\"layout\"></pre><script>const t=[...document.querySelectorAll('table')].map(x=>x.scrollWidth+'/'"
                + "+x.parentElement.clientWidth);document.getElementById('layout').textContent='page '+document.documentElement.scrollWidth"
                + "+' '+innerWidth+' tables '+t.join(' ');</script></body>";
        Path probed = tmp.resolve("probed.html");
        Files.writeString(probed, Files.readString(report).replace("</body>", probe));
        String dom = run(List.of("--window-size=1280,900", "--dump-dom", probed.toUri().toString()));
        Matcher m = Pattern.compile("<pre id=\"layout\">page (\\d+) (\\d+) tables ?([0-9/ ]*)</pre>").matcher(dom);
        assertTrue(m.find(), experiment + ": layout probe missing");
        assertTrue(Integer.parseInt(m.group(1)) <= Integer.parseInt(m.group(2)), experiment + ": the page scrolls sideways: " + m.group());
        for (String t : m.group(3).trim().split(" ")) {
            if (t.isEmpty()) continue;
            String[] w = t.split("/");
            assertTrue(Integer.parseInt(w[0]) <= Integer.parseInt(w[1]), experiment + ": a table is " + w[0] + " px wide in a " + w[1] + " px box");
        }
    }

    private String run(List<String> args) throws Exception {
        List<String> cmd = new java.util.ArrayList<>(List.of(CHROMIUM.toString(), "--headless", "--no-sandbox", "--disable-gpu",
                "--disable-quic", "--no-first-run", "--disable-background-networking", "--disable-component-update",
                "--disable-sync", "--hide-scrollbars", "--user-data-dir=" + tmp.resolve("profile")));
        cmd.addAll(args);
        Process p = new ProcessBuilder(cmd).redirectError(ProcessBuilder.Redirect.DISCARD).start();
        String out = new String(p.getInputStream().readAllBytes());
        assertTrue(p.waitFor(120, TimeUnit.SECONDS), "chromium did not finish");
        assertEquals(0, p.exitValue(), "chromium failed");
        return out;
    }
}
