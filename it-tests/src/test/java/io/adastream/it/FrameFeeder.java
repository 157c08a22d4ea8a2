package io.adastream.it;

import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;

import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.LockSupport;

/**
 * Sends records in order at a fixed offered rate from a background thread (an idempotent producer: a broker
 * outage blocks it, nothing is duplicated). {@link #done()} completes when every record is acknowledged.
 */
final class FrameFeeder implements AutoCloseable {

    private final KafkaProducer<byte[], byte[]> producer;
    private final AtomicInteger sent = new AtomicInteger();
    private final AtomicInteger acked = new AtomicInteger();
    private final ConcurrentLinkedQueue<Exception> errors = new ConcurrentLinkedQueue<>();
    private final CompletableFuture<Void> done = new CompletableFuture<>();
    private final Thread thread;
    private volatile boolean stop;

    FrameFeeder(String bootstrap, List<Out> records, double ratePerSecond) {
        this.producer = KafkaIO.producer(bootstrap);
        this.thread = new Thread(() -> run(records, ratePerSecond), "frame-feeder");
        thread.setDaemon(true);
        thread.start();
    }

    private void run(List<Out> records, double rate) {
        long start = System.nanoTime();
        long interval = (long) (1e9 / rate);
        try {
            for (int i = 0; i < records.size() && !stop; i++) {
                long due = start + i * interval;
                long wait = due - System.nanoTime();
                if (wait > 0) {
                    LockSupport.parkNanos(wait); // pacing of the offered rate
                }
                Out r = records.get(i);
                producer.send(new ProducerRecord<>(r.topic(), null, r.key(), r.value(), r.headers()), (md, e) -> {
                    if (e != null) {
                        errors.add(e);
                    } else {
                        acked.incrementAndGet();
                    }
                });
                sent.incrementAndGet();
            }
            producer.flush();
            if (errors.isEmpty()) {
                done.complete(null);
            } else {
                done.completeExceptionally(errors.peek());
            }
        } catch (RuntimeException e) {
            done.completeExceptionally(e);
        }
    }

    int sent() {
        return sent.get();
    }

    int acked() {
        return acked.get();
    }

    CompletableFuture<Void> done() {
        return done;
    }

    @Override
    public void close() throws InterruptedException {
        stop = true;
        thread.join(60_000);
        producer.close(java.time.Duration.ofSeconds(30));
    }
}
