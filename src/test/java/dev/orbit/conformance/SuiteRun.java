package dev.orbit.conformance;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * Runs tests one after another on a worker thread, each under a wall-clock budget. A test that overruns is
 * recorded as "timeout" and its worker abandoned (libtorch kernels cannot be interrupted); the next test gets a
 * fresh worker.
 */
final class SuiteRun {
    static final long BUDGET_SECONDS = 20;

    private SuiteRun() {}

    static Map<SuiteCase, Outcome> run(Backend backend, List<SuiteCase> tests, long budgetSeconds) {
        Map<SuiteCase, Outcome> out = new LinkedHashMap<>();
        ExecutorService worker = newWorker(backend);
        try {
            for (SuiteCase t : tests) {
                Future<Outcome> f = worker.submit(() -> backend.run(t));
                Outcome o;
                try {
                    o = f.get(budgetSeconds, TimeUnit.SECONDS);
                } catch (TimeoutException e) {
                    f.cancel(true);
                    worker.shutdownNow();
                    worker = newWorker(backend);
                    o = Outcome.notYet("timeout: over " + budgetSeconds + " s");
                } catch (ExecutionException e) {
                    o = Outcome.notYet(OrbitBackend.errorReason(e.getCause()));
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    throw new IllegalStateException("interrupted", e);
                }
                out.put(t, o);
            }
        } finally {
            worker.shutdownNow();
        }
        return out;
    }

    private static ExecutorService newWorker(Backend backend) {
        return Executors.newSingleThreadExecutor(r -> {
            Thread th = new Thread(r, "conformance-" + backend.name());
            th.setDaemon(true);
            return th;
        });
    }
}
