package io.adastream.adapt.inference;

import ai.onnxruntime.OrtException;
import io.adastream.adapt.session.AdaptiveSession;
import io.adastream.adapt.session.Workspace;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLongArray;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;

/**
 * Dynamic batching of forward passes (as in inference servers such as Triton): the passes that callers on many
 * threads hand in are run by one inference thread as batches of up to {@code maxBatch} frames, waiting at most
 * {@code maxWait} after the oldest frame of a batch arrived for more. Each frame keeps its own statistics and blend weights
 * (the adaptive graph normalizes per sample), so a batch's results are each frame's own.
 *
 * <p>A caller's {@link Caller#run} blocks until its frames' results are back in its workspace: the work of a
 * caller (a stream thread's record) completes only with its result, and the executor holds no frame past that
 * call. A batch is sent as soon as it is full, when its wait is over, or when every thread with an open caller has
 * a pass waiting (no other frame can come). If a batch fails in ONNX Runtime, each of its callers' passes is run
 * again alone, so a bad frame fails only its own caller.
 */
public final class BatchingExecutor implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(BatchingExecutor.class);

    private final AdaptiveSession session;
    private final Map<String, long[]> sampleShapes;
    private final int maxBatch;
    private final long maxWaitNanos;
    private final Thread worker;

    private final ReentrantLock lock = new ReentrantLock();
    private final Condition arrived = lock.newCondition();
    private final ArrayDeque<Caller> queue = new ArrayDeque<>();
    private final Map<Thread, Integer> callerThreads = new HashMap<>();
    private int queuedFrames;
    private boolean closed;

    /** Used by the inference thread only. */
    private final Map<Integer, Workspace> batches = new HashMap<>();
    private final List<Caller> taken = new ArrayList<>();
    /** Batches run, by their number of frames (index = frames). */
    private final AtomicLongArray batchSizes;

    /**
     * Starts the inference thread.
     *
     * @param sampleShapes per model input with dynamic per-sample dimensions, one sample's shape (as for workspaces)
     */
    public BatchingExecutor(AdaptiveSession session, int maxBatch, Duration maxWait, Map<String, long[]> sampleShapes) {
        if (maxBatch < 1) {
            throw new IllegalArgumentException("the largest batch must be at least 1 frame, got " + maxBatch);
        }
        if (maxWait.isNegative()) {
            throw new IllegalArgumentException("the longest wait must not be negative, got " + maxWait);
        }
        this.session = session;
        this.sampleShapes = Map.copyOf(sampleShapes);
        this.maxBatch = maxBatch;
        this.maxWaitNanos = maxWait.toNanos();
        this.batchSizes = new AtomicLongArray(maxBatch + 1);
        this.worker = new Thread(this::serve, "adastream-inference");
        this.worker.setDaemon(true);
        this.worker.start();
    }

    public int maxBatch() {
        return maxBatch;
    }

    /**
     * A caller for the current thread, until closed. The threads with open callers are the ones a batch may wait
     * for: one whose every thread already has a pass waiting is sent at once.
     */
    public Caller open() {
        Thread thread = Thread.currentThread();
        lock.lock();
        try {
            callerThreads.merge(thread, 1, Integer::sum);
            return new Caller(thread);
        } finally {
            lock.unlock();
        }
    }

    /** How many batches of each size have run: element {@code k} counts batches of {@code k} frames. */
    public long[] batchSizeCounts() {
        long[] out = new long[batchSizes.length()];
        for (int i = 0; i < out.length; i++) {
            out[i] = batchSizes.get(i);
        }
        return out;
    }

    /** One thread's access to the executor: its passes run inside batches. Use it from one thread at a time. */
    public final class Caller implements PassRunner, AutoCloseable {
        private final Thread thread;
        private final Semaphore done = new Semaphore(0);
        private Workspace ws;
        private long queuedAt;
        private OrtException failure;
        private RuntimeException error;
        private boolean open = true;

        private Caller(Thread thread) {
            this.thread = thread;
        }

        /**
         * Runs the workspace's pass inside a batch and returns when its results (outputs and moments) are in the
         * workspace. Every model output must have fixed dimensions after the batch, and the workspace at most
         * {@link #maxBatch()} frames.
         */
        @Override
        public void run(Workspace frames) throws OrtException {
            if (frames.batchSize() > maxBatch) {
                throw new IllegalArgumentException("a pass of " + frames.batchSize() + " frames is larger than the largest batch, "
                        + maxBatch);
            }
            lock.lock();
            try {
                if (closed || !open) {
                    throw new IllegalStateException("the inference executor is closed");
                }
                ws = frames;
                queuedAt = System.nanoTime();
                failure = null;
                error = null;
                queue.addLast(this);
                queuedFrames += frames.batchSize();
                arrived.signal();
            } finally {
                lock.unlock();
            }
            done.acquireUninterruptibly();
            ws = null;
            if (failure != null) {
                throw failure;
            }
            if (error != null) {
                throw error;
            }
        }

        @Override
        public void close() {
            lock.lock();
            try {
                if (open) {
                    open = false;
                    callerThreads.computeIfPresent(thread, (t, n) -> n == 1 ? null : n - 1);
                    arrived.signal();
                }
            } finally {
                lock.unlock();
            }
        }
    }

    private void serve() {
        try {
            while (takeBatch()) {
                runTaken();
            }
        } catch (Throwable t) {
            // an Error in the inference thread: no caller may wait for a thread that is gone
            LOG.error("the inference thread stopped: {}", t.toString());
            lock.lock();
            try {
                closed = true;
                taken.forEach(queue::addFirst);
                taken.clear();
                failQueued("the inference thread stopped: " + t);
            } finally {
                lock.unlock();
            }
        }
    }

    /** Fails every caller still queued; holds the lock. */
    private void failQueued(String why) {
        for (Caller c : queue) {
            c.error = new IllegalStateException(why);
            c.done.release();
        }
        queue.clear();
        queuedFrames = 0;
    }

    /** Waits for a batch to be due and moves its callers to {@link #taken}; false once closed. */
    private boolean takeBatch() {
        lock.lock();
        try {
            while (queue.isEmpty() && !closed) {
                arrived.awaitUninterruptibly();
            }
            if (closed) {
                return false;
            }
            long deadline = queue.peekFirst().queuedAt + maxWaitNanos; // the oldest frame waits at most maxWait
            while (!closed && queuedFrames < maxBatch && queue.size() < callerThreads.size()) {
                long left = deadline - System.nanoTime();
                if (left <= 0) {
                    break;
                }
                try {
                    arrived.awaitNanos(left);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    break;
                }
            }
            int frames = 0;
            while (!queue.isEmpty() && frames + queue.peekFirst().ws.batchSize() <= maxBatch) {
                Caller c = queue.pollFirst();
                frames += c.ws.batchSize();
                taken.add(c);
            }
            queuedFrames -= frames;
            return true;
        } finally {
            lock.unlock();
        }
    }

    private void runTaken() {
        int frames = 0;
        for (Caller c : taken) {
            frames += c.ws.batchSize();
        }
        try {
            runBatch(taken, frames);
        } catch (OrtException | RuntimeException e) {
            if (taken.size() == 1) {
                fail(taken.get(0), e);
            } else {
                LOG.debug("a batch of {} frames failed ({}); running its passes one by one", frames, e.getMessage());
                for (Caller c : taken) {
                    try {
                        runBatch(List.of(c), c.ws.batchSize());
                    } catch (OrtException | RuntimeException alone) {
                        fail(c, alone);
                    }
                }
            }
        }
        for (Caller c : taken) {
            c.done.release();
        }
        taken.clear();
    }

    private void runBatch(List<Caller> callers, int frames) throws OrtException {
        if (callers.size() == 1) {
            callers.get(0).ws.run(); // one caller's frames: no copies
        } else {
            Workspace batch = batchOf(frames);
            int slot = 0;
            for (Caller c : callers) {
                for (int f = 0; f < c.ws.batchSize(); f++) {
                    c.ws.copyFeedsTo(f, batch, slot++);
                }
            }
            batch.run();
            slot = 0;
            for (Caller c : callers) {
                for (int f = 0; f < c.ws.batchSize(); f++) {
                    c.ws.copyResultsFrom(batch, slot++, f);
                }
            }
        }
        batchSizes.incrementAndGet(frames);
    }

    private static void fail(Caller c, Exception e) {
        if (e instanceof OrtException ort) {
            c.failure = ort;
        } else {
            c.error = (RuntimeException) e;
        }
    }

    private Workspace batchOf(int frames) throws OrtException {
        Workspace ws = batches.get(frames);
        if (ws == null) {
            ws = session.newWorkspace(frames, sampleShapes);
            batches.put(frames, ws);
        }
        return ws;
    }

    /** Stops the inference thread after the batch it is running; passes still waiting fail. */
    @Override
    public void close() {
        lock.lock();
        try {
            closed = true;
            arrived.signalAll();
        } finally {
            lock.unlock();
        }
        try {
            worker.join(TimeUnit.SECONDS.toMillis(30));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        lock.lock();
        try {
            failQueued("the inference executor closed before this frame ran");
        } finally {
            lock.unlock();
        }
        batches.values().forEach(Workspace::close);
        batches.clear();
    }
}
