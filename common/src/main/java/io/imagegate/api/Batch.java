package io.imagegate.api;

import io.imagegate.message.ErrorKind;
import io.imagegate.message.ImageGateException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.function.BiFunction;
import java.util.function.Function;

/**
 * The pool operations over many images run on ({@code sync}, {@code vetAll}, {@code importAll}): a
 * fixed number of daemon threads, so a stuck registry never keeps the JVM alive, shut down when the
 * batch ends. The batch runs every item; one that fails, even by a bug, is that item's result and
 * never stops the others.
 */
final class Batch implements AutoCloseable {
    private final ExecutorService pool;

    Batch(String name, int parallelism) {
        pool =
                Executors.newFixedThreadPool(
                        parallelism,
                        r -> {
                            Thread t = new Thread(r, name);
                            t.setDaemon(true);
                            return t;
                        });
    }

    <T> Future<T> submit(java.util.concurrent.Callable<T> task) {
        return pool.submit(task);
    }

    /**
     * Runs {@code operation} for each item, {@code parallelism} at a time; the results in the
     * items' order. An item whose operation throws, or that the batch could not finish
     * (interrupted), gets {@code failed}'s result.
     */
    static <S, R> List<R> runAll(
            String name,
            List<S> items,
            int parallelism,
            Function<S, R> operation,
            BiFunction<S, ImageGateException, R> failed) {
        try (Batch batch =
                new Batch(name, Math.max(1, Math.min(parallelism, Math.max(1, items.size()))))) {
            List<Future<R>> futures = new ArrayList<>();
            for (S item : items) {
                futures.add(batch.submit(() -> operation.apply(item)));
            }
            List<R> results = new ArrayList<>();
            for (int i = 0; i < futures.size(); i++) {
                results.add(
                        await(
                                futures.get(i),
                                items.get(i),
                                failed,
                                () ->
                                        ImageGateException.of(
                                                ErrorKind.INTERRUPTED,
                                                "batch.interrupted",
                                                "interrupted before it finished")));
            }
            return results;
        }
    }

    /**
     * The item's result; {@code failed}'s for a task that threw, or, with {@code interrupted}'s
     * error, for one not waited for.
     */
    static <S, R> R await(
            Future<R> future,
            S item,
            BiFunction<S, ImageGateException, R> failed,
            java.util.function.Supplier<ImageGateException> interrupted) {
        try {
            return future.get();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return failed.apply(item, interrupted.get());
        } catch (ExecutionException e) {
            return failed.apply(
                    item,
                    e.getCause() instanceof ImageGateException ige
                            ? ige
                            : ImageGate.internal(e.getCause()));
        }
    }

    @Override
    public void close() {
        pool.shutdownNow();
    }
}
