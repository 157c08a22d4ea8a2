package io.adastream.trainer;

import ai.djl.Model;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.DefaultTrainingConfig;
import ai.djl.training.GradientCollector;
import ai.djl.training.Trainer;
import ai.djl.training.loss.Loss;
import ai.djl.training.optimizer.Optimizer;
import io.adastream.models.synth.Scene;
import io.adastream.trainer.data.SceneSet;

import java.io.PrintStream;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.function.Supplier;

/**
 * Mini-batch training of one model with Adam and a cosine learning-rate schedule: shuffles the training examples
 * every epoch (seeded), turns each batch into arrays with a {@link BatchEncoder}, and after each epoch prints the mean
 * loss, the learning rate, the elapsed time, the estimated time left and the given held-out evaluation. When the first
 * epoch shows that the planned epochs would overrun the time limit (a busy shared machine), it plans fewer epochs and
 * shortens the schedule to match; it also stops, after a whole epoch, once the time limit is spent.
 */
public final class TrainingLoop {
    /**
     * Turns a batch of training examples into the network input and the loss targets. {@code data} is called
     * before {@code labels} for each batch (so an encoder may apply one random augmentation to both).
     */
    public interface BatchEncoder<T> {
        NDList data(NDManager manager, List<T> batch);

        NDList labels(NDManager manager, List<T> batch);
    }

    /**
     * @param epochs          passes over the training set
     * @param batchSize       scenes per step
     * @param learningRate    initial Adam learning rate (decays by cosine to 2% of it)
     * @param seed            shuffling seed
     * @param timeLimitMillis training stops after the epoch during which this much time has passed
     */
    public record Settings(int epochs, int batchSize, float learningRate, long seed, long timeLimitMillis) {
    }

    /** A progress line is printed every this many steps within an epoch. */
    static final int PROGRESS_STEPS = 40;

    private final PrintStream log;

    public TrainingLoop(PrintStream log) {
        this.log = log;
    }

    /**
     * Trains {@code model}'s block in place.
     *
     * @param evaluation called after each epoch; its text is printed with the epoch's loss
     */
    public void train(String name, Model model, Loss loss, SceneSet scenes, BatchEncoder<Scene> encoder,
                      Settings settings, Supplier<String> evaluation) {
        List<Scene> list = new ArrayList<>(scenes.size());
        for (int i = 0; i < scenes.size(); i++) {
            list.add(scenes.get(i));
        }
        train(name, model, loss, list, new Shape(3, scenes.height(), scenes.width()), encoder, settings, evaluation);
    }

    /**
     * Trains {@code model}'s block in place on {@code examples}, whose network input has shape
     * {@code inputShape} (C, H, W) each.
     *
     * @param evaluation called after each epoch; its text is printed with the epoch's loss
     */
    public <T> void train(String name, Model model, Loss loss, List<T> examples, Shape inputShape,
                          BatchEncoder<T> encoder, Settings settings, Supplier<String> evaluation) {
        int stepsPerEpoch = examples.size() / settings.batchSize();
        if (stepsPerEpoch == 0) {
            throw new IllegalArgumentException(examples.size() + " examples are fewer than one batch of "
                    + settings.batchSize());
        }
        BudgetedCosineSchedule schedule = new BudgetedCosineSchedule(settings.learningRate(),
                settings.learningRate() * 0.02f, stepsPerEpoch * settings.epochs());
        int epochs = settings.epochs();
        DefaultTrainingConfig config = new DefaultTrainingConfig(loss)
                .optOptimizer(Optimizer.adam().optLearningRateTracker(schedule).build());
        long start = System.nanoTime();
        try (Trainer trainer = model.newTrainer(config)) {
            trainer.initialize(new Shape(settings.batchSize()).addAll(inputShape));
            List<Integer> order = new ArrayList<>();
            for (int i = 0; i < examples.size(); i++) {
                order.add(i);
            }
            Random random = new Random(settings.seed());
            int step = 0;
            for (int epoch = 1; epoch <= epochs; epoch++) {
                java.util.Collections.shuffle(order, random);
                double lossSum = 0;
                for (int b = 0; b < stepsPerEpoch; b++) {
                    List<T> batch = new ArrayList<>(settings.batchSize());
                    for (int i = b * settings.batchSize(); i < (b + 1) * settings.batchSize(); i++) {
                        batch.add(examples.get(order.get(i)));
                    }
                    lossSum += step(trainer, loss, encoder, batch);
                    step++;
                    if ((b + 1) % PROGRESS_STEPS == 0 && b + 1 < stepsPerEpoch) {
                        double seconds = (System.nanoTime() - start) / 1e9;
                        log.printf("[%s] epoch %d step %d/%d  loss %.4f  %.1fs  ETA %.0fs%n", name, epoch, b + 1,
                                stepsPerEpoch, lossSum / (b + 1), seconds,
                                seconds / step * ((long) stepsPerEpoch * epochs - step));
                    }
                }
                String evaluated = evaluation.get();
                long elapsed = (System.nanoTime() - start) / 1_000_000;
                log.printf("[%s] epoch %d/%d  loss %.4f  lr %.2e  %s  %.1fs  ETA %.0fs%n", name, epoch, epochs,
                        lossSum / stepsPerEpoch, schedule.getNewValue(step), evaluated, elapsed / 1000.0,
                        elapsed / 1000.0 / epoch * (epochs - epoch));
                if (epoch == 1) {
                    int affordable = (int) Math.max(2, settings.timeLimitMillis() / Math.max(1, elapsed));
                    if (affordable < epochs) {
                        log.printf("[%s] %d epochs do not fit the %ds budget at this speed: training %d epochs%n",
                                name, epochs, settings.timeLimitMillis() / 1000, affordable);
                        epochs = affordable;
                        schedule.setTotalUpdates(stepsPerEpoch * epochs);
                    }
                }
                if (elapsed > settings.timeLimitMillis() && epoch < epochs) {
                    log.printf("[%s] time limit of %ds reached, stopping after epoch %d%n", name,
                            settings.timeLimitMillis() / 1000, epoch);
                    break;
                }
            }
        }
    }

    private static <T> float step(Trainer trainer, Loss loss, BatchEncoder<T> encoder, List<T> batch) {
        try (NDManager scope = trainer.getManager().newSubManager()) {
            NDList data = encoder.data(scope, batch);
            NDList labels = encoder.labels(scope, batch);
            float value;
            try (GradientCollector collector = trainer.newGradientCollector()) {
                NDList predictions = trainer.forward(data);
                var lossValue = loss.evaluate(labels, predictions);
                collector.backward(lossValue);
                value = lossValue.getFloat();
            }
            trainer.step();
            return value;
        }
    }
}
