package dev.orbit.cli;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import dev.orbit.graph.build.ArchSpec;
import dev.orbit.graph.build.NetworkBuilder;
import dev.orbit.io.AtomicFiles;
import dev.orbit.io.onnx.OnnxExporter;
import dev.orbit.train.Initializer;

/**
 * Issue 16, item 4: real {@code orbit teleport} and {@code orbit train} processes (separate JVMs on the built
 * classes) are killed with SIGKILL at random moments. After each kill the output path holds nothing or a complete
 * model: byte for byte the output of an uninterrupted run with the same seed (which verified in ONNX Runtime
 * before it was written). Temporary files a killed process leaves are named with its pid, and the next write of
 * the same target removes them, but never one of a process that is still alive.
 * <p>CI runs 10 kills; {@code scripts/kill9.sh N} runs N ({@code -Dorbit.kills=N}).
 */
class KillNineTest {
    static final int KILLS = Integer.getInteger("orbit.kills", 10);
    static final long SEED = Long.getLong("orbit.kills.seed", 16);

    @TempDir
    Path tmp;

    record Job(String name, Path out, List<String> args) {}

    record Outcome(String job, long killAfterMs, boolean killed, String result, int leftovers) {}

    @Test
    void outputsAreNothingOrCompleteAfterSigkill() throws Exception {
        Path model = tmp.resolve("mlp.onnx");
        var arch = ArchSpec.parse("mlp:784-1024x3-10:relu");
        OnnxExporter.write(NetworkBuilder.build(arch, Initializer.parse("kaiming", arch.activation().gain()), 1), model);

        Path teleportDir = Files.createDirectories(tmp.resolve("teleport"));
        Path trainDir = Files.createDirectories(tmp.resolve("train"));
        var teleport = new Job("teleport", teleportDir.resolve("moved.onnx"), List.of("teleport", model.toString(), "-o",
                teleportDir.resolve("moved.onnx").toString(), "--seed", "3", "--permute", "--cob-range", "0.9"));
        var train = new Job("train", trainDir.resolve("trained.onnx"), List.of("train", "--arch", "mlp:784-128-10:relu",
                "--epochs", "1", "--train-samples", "2000", "--seed", "5", "--quiet", "-o", trainDir.resolve("trained.onnx").toString()));

        // uninterrupted runs: the reference bytes and how long a run takes
        byte[] teleportRef = reference(teleport);
        long teleportMs = lastRunMs;
        byte[] trainRef = reference(train);
        long trainMs = lastRunMs;
        assertEquals(ExitCodes.OK, CliRun.of("verify", model.toString(), tmp.resolve("teleport-ref.onnx").toString()).exitCode(),
                "the reference teleport verifies in ONNX Runtime");

        Random rng = new Random(SEED);
        java.util.Set<Long> started = new java.util.HashSet<>();
        List<Outcome> outcomes = new ArrayList<>();
        for (int k = 0; k < KILLS; k++) {
            boolean isTeleport = k % 2 == 0;
            Job job = isTeleport ? teleport : train;
            long runMs = isTeleport ? teleportMs : trainMs;
            byte[] ref = isTeleport ? teleportRef : trainRef;
            Files.deleteIfExists(job.out());
            // half the kills at a random moment of the run; half while the output is being written: a few
            // milliseconds after the process's temporary file appears
            boolean atWrite = k % 4 >= 2;
            long t0 = System.nanoTime();
            Process p = start(job, k);
            long at;
            if (atWrite) {
                awaitTemporaryFile(p, job.out());
                Thread.sleep(rng.nextInt(15));
            } else {
                p.waitFor((long) (rng.nextDouble() * runMs * 1.05), TimeUnit.MILLISECONDS);
            }
            at = (System.nanoTime() - t0) / 1_000_000;
            boolean killed = p.isAlive();
            if (killed) p.destroyForcibly(); // SIGKILL
            assertTrue(p.waitFor(2, TimeUnit.MINUTES));
            String result;
            if (Files.exists(job.out())) {
                assertArrayEquals(ref, Files.readAllBytes(job.out()), job.name() + " kill " + k + " at " + at + " ms left a partial model");
                result = "complete";
            } else {
                result = "nothing";
            }
            started.add(p.pid());
            List<Path> left = AtomicFiles.stale(job.out().getParent(), job.out().getFileName().toString());
            for (Path t : left) {
                long pid = Long.parseLong(t.getFileName().toString().split("\\.")[3]);
                assertTrue(started.contains(pid), "a temporary file of a process this test did not start: " + t);
            }
            left = left.stream().filter(t -> t.getFileName().toString().contains("." + p.pid() + ".")).toList();
            outcomes.add(new Outcome(job.name(), at, killed, result, left.size()));
        }

        // a temporary file of a process that is alive (this one) is never removed; the dead ones' are
        Path alive = teleportDir.resolve(".moved.onnx." + ProcessHandle.current().pid() + ".123.tmp");
        Files.writeString(alive, "still being written");
        for (Job job : List.of(teleport, train)) {
            Process p = start(job, -1);
            assertEquals(0, p.waitFor(), job.name() + " run after the kills");
            assertArrayEquals(job == teleport ? teleportRef : trainRef, Files.readAllBytes(job.out()));
            assertTrue(AtomicFiles.stale(job.out().getParent(), job.out().getFileName().toString()).isEmpty(),
                    "the next run removes dead processes' temporary files");
        }
        assertTrue(Files.exists(alive), "a live process's temporary file was removed");

        for (String name : List.of("teleport", "train")) {
            var mine = outcomes.stream().filter(o -> o.job().equals(name)).toList();
            System.out.printf("KILL9 %s: %d runs, %d killed, %d left nothing, %d left a complete model, %d left a temporary file"
                            + " (killed mid-write), run %d ms%n", name, mine.size(), mine.stream().filter(Outcome::killed).count(),
                    mine.stream().filter(o -> o.result().equals("nothing")).count(),
                    mine.stream().filter(o -> o.result().equals("complete")).count(),
                    mine.stream().filter(o -> o.leftovers() > 0).count(), name.equals("teleport") ? teleportMs : trainMs);
        }
        assertFalse(outcomes.isEmpty() && KILLS > 0 && outcomes.stream().noneMatch(Outcome::killed), "no run was actually killed");
    }

    private long lastRunMs;

    /** Waits until {@code p} has created its temporary file beside {@code out} (or has exited). */
    private static void awaitTemporaryFile(Process p, Path out) throws IOException, InterruptedException {
        String prefix = "." + out.getFileName() + "." + p.pid() + ".";
        while (p.isAlive()) {
            try (var files = Files.list(out.getParent())) {
                if (files.anyMatch(f -> f.getFileName().toString().startsWith(prefix))) return;
            }
            Thread.sleep(1);
        }
    }

    private byte[] reference(Job job) throws Exception {
        long t0 = System.nanoTime();
        Process p = start(job, -2);
        assertEquals(0, p.waitFor(), job.name() + " reference run failed: " + Files.readString(tmp.resolve("log-" + job.name() + "--2.txt")));
        lastRunMs = (System.nanoTime() - t0) / 1_000_000;
        byte[] bytes = Files.readAllBytes(job.out());
        Files.copy(job.out(), tmp.resolve(job.name() + "-ref.onnx"));
        Files.delete(job.out());
        return bytes;
    }

    /**
     * A real orbit process: this JVM's java, the test class path, the launcher's flags. The class path goes in
     * CLASSPATH, not -cp: ONNX Runtime 1.29's Java binding crashes (SIGSEGV) when the JVM's options run to a few
     * kilobytes (docs/NOTES.md).
     */
    private Process start(Job job, int k) throws IOException {
        List<String> cmd = new ArrayList<>(List.of(ProcessHandle.current().info().command().orElse("java"),
                "--enable-native-access=ALL-UNNAMED", "--sun-misc-unsafe-memory-access=allow", "-XX:+UseSerialGC", "-Xmx1g",
                "dev.orbit.cli.OrbitCommand"));
        cmd.addAll(job.args());
        var pb = new ProcessBuilder(cmd).redirectErrorStream(true)
                .redirectOutput(tmp.resolve("log-" + job.name() + "-" + k + ".txt").toFile());
        pb.environment().put("CLASSPATH", testClassPath());
        pb.environment().put("OMP_WAIT_POLICY", "PASSIVE");
        pb.environment().put("OPENBLAS_THREAD_TIMEOUT", "4");
        return pb.start();
    }

    /**
     * The classes of this test run for a child JVM's class path: surefire runs the tests inside the module
     * dev.orbit, so Orbit's own classes and its modular dependencies are on the module path, the rest on the
     * class path. The child runs all of them from the class path, as scripts/fuzz-campaign.sh does.
     */
    static String testClassPath() {
        return java.util.stream.Stream.of(System.getProperty("jdk.module.path"), System.getProperty("java.class.path"))
                .filter(p -> p != null && !p.isEmpty())
                .collect(java.util.stream.Collectors.joining(java.io.File.pathSeparator));
    }

}
