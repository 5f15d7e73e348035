package dev.orbit.checkpoint;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.function.BiFunction;
import java.util.function.Function;

import dev.orbit.io.safetensors.StoredTensor;
import dev.orbit.io.safetensors.TensorEntry;

/**
 * The writer's moved tensors, computed one ahead on a background thread: while tensor i is written (the disk's
 * time), tensor i + 1 is computed into the other of two buffers (the cores' time), so a checkpoint move costs about
 * the larger of the two rather than their sum. Tensors must be taken in the order given.
 */
final class ComputeAhead implements AutoCloseable {
    private final ChunkedMoves chain;
    private final List<TensorEntry> order;
    private final MemorySegment[] buffers;
    private final List<Future<MemorySegment>> pending = new ArrayList<>();
    private final ExecutorService worker = Executors.newSingleThreadExecutor(r -> {
        Thread t = new Thread(r, "orbit-compute-ahead");
        t.setDaemon(true);
        return t;
    });
    private final Function<String, StoredTensor> axisMapSource;
    private int next;

    /**
     * {@code arena} must be shared and outlive this object (the worker writes into its buffers). {@code stored}
     * reads an original tensor's bytes into a given buffer; it serves the tensors the chain moves by an axis map.
     */
    ComputeAhead(ChunkedMoves chain, List<TensorEntry> order, Arena arena, Function<String, TensorEntry> storedEntry,
            BiFunction<String, MemorySegment, StoredTensor> stored) {
        this.chain = chain;
        this.order = List.copyOf(order);
        long largest = 1, largestInput = 0;
        for (TensorEntry e : order) {
            largest = Math.max(largest, e.byteLength());
            if (chain.axisMapped(e.name())) largestInput = Math.max(largestInput, storedEntry.apply(e.name()).byteLength());
        }
        // allocation zeroes the buffers: once here, never per tensor
        buffers = new MemorySegment[] {arena.allocate(largest, 64), order.size() > 1 ? arena.allocate(largest, 64) : null};
        MemorySegment input = largestInput > 0 ? arena.allocate(largestInput, 64) : null;
        // only the one worker thread reads into it, one tensor at a time
        this.axisMapSource = name -> stored.apply(name, input);
        for (int i = 0; i < order.size(); i++) pending.add(null);
        submit(0);
    }

    private void submit(int i) {
        if (i >= order.size()) return;
        TensorEntry e = order.get(i);
        MemorySegment slot = buffers[i % 2].asSlice(0, e.byteLength());
        pending.set(i, worker.submit(() -> {
            chain.compute(e.name(), e.shape(), e.type(), slot, axisMapSource);
            return slot;
        }));
    }

    /** The moved bytes of {@code e}, the next tensor in order; valid until the call after the next one. */
    MemorySegment take(TensorEntry e) {
        int i = next++;
        if (i >= order.size() || !order.get(i).name().equals(e.name())) {
            throw new IllegalStateException("tensor '" + e.name() + "' taken out of order");
        }
        submit(i + 1); // its buffer held tensor i - 1, which the caller has written
        try {
            MemorySegment done = pending.get(i).get();
            pending.set(i, null);
            return done;
        } catch (ExecutionException ex) {
            if (ex.getCause() instanceof RuntimeException r) throw r;
            if (ex.getCause() instanceof Error err) throw err;
            throw new IllegalStateException(ex.getCause());
        } catch (InterruptedException ex) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while moving '" + e.name() + "'", ex);
        }
    }

    /** Stops the worker and waits for it, so that the buffers' arena may close. */
    @Override public void close() {
        worker.shutdownNow();
        try {
            while (!worker.awaitTermination(1, TimeUnit.MINUTES)) {
                // a chunk of libtorch work cannot be interrupted; it ends on its own
            }
        } catch (InterruptedException ex) {
            Thread.currentThread().interrupt();
        }
    }
}
