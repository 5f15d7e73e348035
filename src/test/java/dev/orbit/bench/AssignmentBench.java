package dev.orbit.bench;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.PrintWriter;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import dev.orbit.numeric.Assignment;
import dev.orbit.numeric.CostMatrix;
import dev.orbit.numeric.LinearAssignment;

/**
 * Orbit's linear-assignment solver against scipy's {@code linear_sum_assignment} on the same cost matrices, one
 * thread each (see bench/assignment-vs-scipy.sh). The scipy side is a long-lived Python process
 * (bench/assignment_scipy.py) that makes each matrix, writes it as raw float64 and then solves on command, so the
 * rounds alternate scipy, Orbit, scipy, … with both processes warm. Only the solve is timed on either side (no
 * start-up, no file reading); each side first solves the matrix untimed, scipy once, Orbit for at least one solve
 * and up to 1 s (JIT warm-up; matrices of n ≤ 1024 solve in milliseconds). Checks that both found
 * the same optimal cost (1e-9 relative) and says whether the assignments are identical.
 * Usage: AssignmentBench ROUNDS SIZES(comma-separated) KINDS(comma-separated) PYTHON WORKDIR
 */
public final class AssignmentBench {
    private static final Pattern REPLY = Pattern.compile("seconds=(\\S+) cost=(\\S+)");

    private record Row(int n, String kind, double[] scipy, double[] orbit, double loadBefore, double loadAfter,
                       double costDifference, boolean sameAssignment) {}

    public static void main(String[] args) throws IOException, InterruptedException {
        int rounds = Integer.parseInt(args[0]);
        int[] sizes = Arrays.stream(args[1].split(",")).mapToInt(Integer::parseInt).toArray();
        String[] kinds = args[2].split(",");
        Path work = Path.of(args[4]);
        Process python = new ProcessBuilder(args[3], "bench/assignment_scipy.py").redirectError(ProcessBuilder.Redirect.INHERIT).start();
        List<Row> rows = new ArrayList<>();
        try (PrintWriter toPeer = new PrintWriter(python.outputWriter(StandardCharsets.UTF_8), true);
             BufferedReader fromPeer = new BufferedReader(new InputStreamReader(python.getInputStream(), StandardCharsets.UTF_8))) {
            System.out.printf("peer: %s (%s); Orbit: Java %s; %d rounds, alternating, scipy first%n", args[3],
                    ask(toPeer, fromPeer, "hello"), Runtime.version(), rounds);
            for (int n : sizes) {
                for (String kind : kinds) rows.add(measure(n, kind, rounds, work, toPeer, fromPeer));
            }
            toPeer.println("quit");
        }
        python.waitFor();
        printTable(rows, rounds);
        if (rows.stream().anyMatch(r -> !(r.costDifference <= 1e-9))) {
            System.out.println("FAILED: Orbit and scipy found different optimal costs (above)");
            System.exit(1);
        }
    }

    private static Row measure(int n, String kind, int rounds, Path work, PrintWriter toPeer, BufferedReader fromPeer) throws IOException {
        Path matrixFile = work.resolve(kind + "-" + n + ".f64"), colsFile = work.resolve(kind + "-" + n + ".cols");
        check(ask(toPeer, fromPeer, "gen " + kind + " " + n + " " + (1000L + n) + " " + matrixFile).equals("ok"), "peer could not make the matrix");
        double[] costs = read(matrixFile, (long) n * n);
        Files.delete(matrixFile);
        CostMatrix matrix = CostMatrix.of(costs, n, n);

        double[] scipyCost = new double[1];
        time(ask(toPeer, fromPeer, "solve " + colsFile), scipyCost); // warm-up, and the assignment to compare
        int[] scipyColumns = readInts(colsFile, n);
        Files.delete(colsFile);
        Assignment warm = LinearAssignment.minimize(matrix);
        long warmUntil = System.nanoTime() + 1_000_000_000L; // small matrices solve in milliseconds: warm the JIT for 1 s
        for (int k = 1; k < 200 && System.nanoTime() < warmUntil; k++) LinearAssignment.minimize(matrix);
        double loadBefore = LoadAverage.now();
        double[] scipy = new double[rounds], orbit = new double[rounds];
        Assignment last = warm;
        for (int r = 0; r < rounds; r++) {
            scipy[r] = time(ask(toPeer, fromPeer, "solve"), scipyCost);
            long t0 = System.nanoTime();
            last = LinearAssignment.minimize(matrix);
            orbit[r] = (System.nanoTime() - t0) / 1e9;
        }
        double loadAfter = LoadAverage.now();
        check(Arrays.equals(warm.columnOfRow(), last.columnOfRow()), "Orbit's assignment changed between runs");
        double diff = Math.abs(last.cost() - scipyCost[0]) / Math.max(Math.abs(scipyCost[0]), Double.MIN_NORMAL);
        boolean same = Arrays.equals(last.columnOfRow(), scipyColumns);
        System.out.printf("n=%d %s: scipy %s s, orbit %s s; cost orbit %.17g scipy %.17g (rel diff %.1e); same assignment: %s; load %.2f -> %.2f%n",
                n, kind, seconds(scipy), seconds(orbit), last.cost(), scipyCost[0], diff, same ? "yes" : "no", loadBefore, loadAfter);
        return new Row(n, kind, scipy, orbit, loadBefore, loadAfter, diff, same);
    }

    private static void printTable(List<Row> rows, int rounds) {
        System.out.printf("%nlinear assignment, minimise, n×n float64, 1 thread each, %d alternating rounds, seconds min/median/max%n", rounds);
        System.out.printf("%-6s %-8s %26s %26s %7s %12s  %s%n", "n", "matrix", "scipy", "orbit", "ratio", "load 1-min", "same cost / assignment");
        for (Row r : rows) {
            double ratio = median(r.orbit) / median(r.scipy);
            System.out.printf("%-6d %-8s %26s %26s %7.2f %5.2f-%-5.2f  %.0e / %s%n", r.n, r.kind, stats(r.scipy), stats(r.orbit), ratio,
                    r.loadBefore, r.loadAfter, r.costDifference, r.sameAssignment ? "same" : "differs");
        }
        System.out.println("ratio = Orbit median / scipy median (target at n = 4096: <= 1.0)");
    }

    private static String ask(PrintWriter toPeer, BufferedReader fromPeer, String command) throws IOException {
        toPeer.println(command);
        String reply = fromPeer.readLine();
        check(reply != null && !reply.startsWith("error"), "peer failed on '" + command + "': " + reply);
        return reply;
    }

    private static double time(String reply, double[] cost) {
        Matcher m = REPLY.matcher(reply);
        check(m.find(), "unexpected peer reply: " + reply);
        cost[0] = Double.parseDouble(m.group(2));
        return Double.parseDouble(m.group(1));
    }

    private static double[] read(Path file, long count) throws IOException {
        double[] values = new double[Math.toIntExact(count)];
        try (FileChannel ch = FileChannel.open(file); Arena arena = Arena.ofConfined()) {
            check(ch.size() == count * Double.BYTES, file + " has " + ch.size() + " bytes, expected " + count * Double.BYTES);
            MemorySegment mapped = ch.map(FileChannel.MapMode.READ_ONLY, 0, ch.size(), arena);
            MemorySegment.copy(mapped, CostMatrix.LITTLE_ENDIAN_DOUBLE, 0, values, 0, values.length);
        }
        return values;
    }

    private static int[] readInts(Path file, int count) throws IOException {
        int[] values = new int[count];
        MemorySegment.copy(MemorySegment.ofArray(Files.readAllBytes(file)), ValueLayout.JAVA_INT_UNALIGNED.withOrder(ByteOrder.LITTLE_ENDIAN),
                0, values, 0, count);
        return values;
    }

    private static double median(double[] v) {
        double[] s = v.clone();
        Arrays.sort(s);
        return s.length % 2 == 1 ? s[s.length / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
    }

    private static String stats(double[] v) {
        return String.format("%.4f/%.4f/%.4f", Arrays.stream(v).min().orElseThrow(), median(v), Arrays.stream(v).max().orElseThrow());
    }

    private static String seconds(double[] v) {
        return Arrays.toString(Arrays.stream(v).map(s -> Math.round(s * 1e4) / 1e4).toArray());
    }

    private static void check(boolean ok, String message) {
        if (!ok) throw new IllegalStateException(message);
    }
}
