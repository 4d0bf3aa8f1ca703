package io.neuromask.engine.extremal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDArrays;
import ai.djl.ndarray.NDList;
import ai.djl.engine.Engine;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.NDScope;
import ai.djl.training.GradientCollector;
import ai.djl.ndarray.index.NDIndex;
import ai.djl.ndarray.types.Shape;
import io.neuromask.NeuroMask;
import io.neuromask.base.RgbImage;
import io.neuromask.bench.Benchmark;
import io.neuromask.engine.Explanation;
import io.neuromask.engine.Game;
import io.neuromask.engine.MaskBatch;
import io.neuromask.engine.MaskObjective;
import io.neuromask.engine.Optimizer;
import io.neuromask.internal.GaussianBlur;
import io.neuromask.model.BlockClassifier;
import io.neuromask.model.Threads;
import io.neuromask.model.TinyCnn;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * Extremal perturbation end to end against a straightforward formulation kept here: TorchRay's mask generator as
 * it reads (81 shifted, kernel-weighted copies of the up-sampled parameters, a softmax-weighted sum), its blur
 * pyramid's gather and interpolation, the area constraint through a full sort, all differentiated by autograd
 * from the parameters. The same engine runs both (SGD, jitter, clamping, several images with three areas each), so
 * the masks must agree to rounding.
 */
class ExtremalReferenceTest {

    /**
     * One evaluation at parameters spread over [0, 1] (some at either end, as the optimiser leaves them): the loss,
     * its terms and the gradient agree, through the flip jitter (even iterations) and without it (odd ones).
     */
    @ParameterizedTest(name = "{0} game, step {1}, sigma {2}")
    @CsvSource({"PRESERVE, 1, 3", "DUAL, 3, 4", "DELETE, 2, 2.5"})
    void lossAndGradientMatchTheStraightforwardFormulation(Game game, int step, double sigma) {
        try (BlockClassifier model = TinyCnn.model(11, null); NDManager manager = NDManager.newBaseManager()) {
            int n = 2;
            ExtremalPerturbation settings = settings(game, step, sigma, 300);
            NDArray pixels = manager.create(pixels(model, n), new Shape(n, 3, model.inputHeight(), model.inputWidth()));
            MaskBatch.Context context = new MaskBatch.Context(model, pixels, new int[] {3, 7}, 0, manager);
            MaskBatch actual = settings.start(context, List.of(settings, settings));
            MaskBatch expected = ReferenceBatch.start(context, settings);
            NDArray init = actual.initialParameters();
            float[] p = new float[(int) init.size()];
            SplittableRandom r = new SplittableRandom(7);
            for (int i = 0; i < p.length; i++) {
                double u = r.nextDouble();
                p[i] = u < 0.1 ? 0f : u > 0.9 ? 1f : (float) r.nextDouble();
            }
            NDArray params = manager.create(p, init.getShape());
            for (int iteration : new int[] {0, 1, 40}) {
                Evaluation a = evaluate(actual, params, iteration);
                Evaluation e = evaluate(expected, params, iteration);
                for (int i = 0; i < n; i++) {
                    assertEquals(e.perImage[i], a.perImage[i], 1e-4 * Math.abs(e.perImage[i]),
                            "iteration " + iteration + ", image " + i + ": loss");
                    assertEquals(e.area[i], a.area[i], 1e-4 * Math.abs(e.area[i]) + 1e-6,
                            "iteration " + iteration + ", image " + i + ": area term");
                }
                double scale = 0;
                for (float g : e.gradient) {
                    scale = Math.max(scale, Math.abs(g));
                }
                assertTrue(scale > 0, "the loss depends on the parameters");
                for (int j = 0; j < e.gradient.length; j++) {
                    assertEquals(e.gradient[j], a.gradient[j], 1e-4 * scale,
                            "iteration " + iteration + ": gradient of parameter " + j);
                }
            }
        }
    }

    /**
     * The engine's whole loop (SGD, jitter, clamping, the growing area constraint, three images with three areas
     * each) gives the masks of the straightforward formulation. At the start every mask is the same bump repeated,
     * so the area constraint's threshold is tied and the sort that breaks the tie decides which pixels are pushed
     * up: on the values' last bits. The reference computes the mask as TorchRay does, and the objective ranks ties by
     * those same values, so the two runs stay together; libtorch runs on one thread here, since the order in which
     * threads add up a sum moves last bits too.
     */
    @ParameterizedTest(name = "{0} game, step {1}, sigma {2}")
    @CsvSource({"PRESERVE, 1, 3", "DUAL, 3, 4", "DELETE, 2, 2.5"})
    void masksMatchTheStraightforwardFormulation(Game game, int step, double sigma) {
        String pinned = System.getProperty("neuromask.threads");
        System.setProperty("neuromask.threads", "1");
        Threads.configure(1);
        try (BlockClassifier model = TinyCnn.model(11, null)) {
            List<RgbImage> images = Benchmark.randomImages(model, 3, 5);
            ExtremalPerturbation settings = settings(game, step, sigma, 300).withIterations(100);
            List<Explanation> actual = NeuroMask.builder().model(model).objective(settings).seed(3).build()
                    .explain(images);
            List<Explanation> expected = NeuroMask.builder().model(model).objective(new Reference(settings)).seed(3)
                    .build().explain(images);
            double moved = 0;
            for (int i = 0; i < images.size(); i++) {
                float[] a = actual.get(i).mask();
                float[] e = expected.get(i).mask();
                for (int p = 0; p < a.length; p++) {
                    assertEquals(e[p], a[p], 1e-4, "image " + i + ", pixel " + p);
                    moved = Math.max(moved, Math.abs(1 - e[p]));
                }
            }
            assertTrue(moved > 0.2, "the masks moved away from their start: " + moved);
        } finally {
            if (pinned == null) {
                System.clearProperty("neuromask.threads");
            } else {
                System.setProperty("neuromask.threads", pinned);
            }
            Threads.configure(1);
        }
    }

    private static ExtremalPerturbation settings(Game game, int step, double sigma, double weight) {
        return new ExtremalPerturbation(List.of(0.05, 0.1, 0.2), game, step, sigma, 8, 20.0 / 7,
                new ExtremalPerturbation.Regularizer(weight, 1.0035), true, 30, 5);
    }

    private static float[] pixels(BlockClassifier model, int n) {
        List<RgbImage> images = Benchmark.randomImages(model, n, 9);
        int size = 3 * model.inputHeight() * model.inputWidth();
        float[] all = new float[n * size];
        for (int i = 0; i < n; i++) {
            System.arraycopy(images.get(i).toChw(), 0, all, i * size, size);
        }
        return all;
    }

    private record Evaluation(float[] perImage, float[] area, float[] gradient) {}

    /** The loss and gradient of one evaluation, finishing a hand-written first link of the chain rule. */
    private static Evaluation evaluate(MaskBatch batch, NDArray parameters, int iteration) {
        try (NDScope scope = new NDScope()) {
            scope.suppressNotUsedWarning();
            NDArray leaf = parameters.duplicate();
            leaf.setRequiresGradient(true);
            MaskBatch.Step step;
            try (GradientCollector c = Engine.getEngine("PyTorch").newGradientCollector()) {
                step = batch.evaluate(leaf, iteration);
                c.backward(step.total());
            }
            NDArray gradient = step.manual() == null ? leaf.getGradient()
                    : step.manual().parameterGradient().apply(step.manual().input().getGradient());
            return new Evaluation(step.perImage().toFloatArray(), step.terms().get(1).toFloatArray(),
                    gradient.toFloatArray());
        }
    }

    /** The reference objective: {@link ExtremalPerturbation}'s settings, computed by {@link ReferenceBatch}. */
    record Reference(ExtremalPerturbation extremal) implements MaskObjective<Reference> {
        @Override
        public String name() {
            return "extremal-reference";
        }

        @Override
        public int iterations() {
            return extremal.iterations();
        }

        @Override
        public int logEvery() {
            return extremal.logEvery();
        }

        @Override
        public Optimizer optimizer() {
            return extremal.optimizer();
        }

        @Override
        public List<String> termNames() {
            return extremal.termNames();
        }

        @Override
        public Object batchKey() {
            return extremal.batchKey();
        }

        @Override
        public MaskBatch start(MaskBatch.Context context, List<Reference> perImage) {
            return ReferenceBatch.start(context, extremal);
        }
    }

    /** The straightforward computation, all under autograd. */
    static final class ReferenceBatch implements MaskBatch {
        private final Context context;
        private final ExtremalPerturbation s;
        private final NDArray weight;   // 1 × side² × midY × step × midX × step
        private final NDArray levels;   // N × L × 3 × H × W
        private final NDArray oneHot;   // rows × C
        private final NDArray reference; // rows × outY·outX, sorted ideal masks
        private final int padding;
        private final int side;
        private final int midY;
        private final int midX;
        private final int outY;
        private final int outX;
        private final int margin;
        // scalars of the graph as arrays that live as long as the batch: DJL's mul(Number) makes a scalar array that
        // it frees at once, while autograd keeps it for the backward pass
        private final NDArray coldness;
        private final NDArray top;

        private ReferenceBatch(Context context, ExtremalPerturbation s, NDArray weight, NDArray levels,
                NDArray oneHot, NDArray reference) {
            this.context = context;
            this.s = s;
            this.weight = weight;
            this.levels = levels;
            this.oneHot = oneHot;
            this.reference = reference;
            int h = context.model().inputHeight();
            int w = context.model().inputWidth();
            this.padding = 1 + (int) Math.ceil(2 * s.sigma() / s.step());
            this.side = 2 * (1 + (int) Math.ceil(s.sigma() / s.step())) + 1;
            this.midY = (h + s.step() - 1) / s.step() + 2 * padding - side + 1;
            this.midX = (w + s.step() - 1) / s.step() + 2 * padding - side + 1;
            this.outY = s.step() * midY - s.step() + 1;
            this.outX = s.step() * midX - s.step() + 1;
            this.margin = (int) Math.round(s.sigma());
            this.coldness = context.manager().create(20f);
            this.top = context.manager().create((float) (s.levels() - 1));
        }

        static ReferenceBatch start(Context context, ExtremalPerturbation s) {
            int h = context.model().inputHeight();
            int w = context.model().inputWidth();
            int n = context.targets().length;
            int k = s.areas().size();
            int step = s.step();
            double sigma = s.sigma();
            int padding = 1 + (int) Math.ceil(2 * sigma / step);
            int side = 2 * (1 + (int) Math.ceil(sigma / step)) + 1;
            int midY = (h + step - 1) / step + 2 * padding - side + 1;
            int midX = (w + step - 1) / step + 2 * padding - side + 1;
            int outY = step * midY - step + 1;
            int outX = step * midX - step + 1;
            // TorchRay's weight: for up-sampled pixel u and window position (ky, kx), the kernel at the distance from
            // u to the centre of the parameter that position reads, over the whole up-sampled grid
            int upY = step * midY;
            int upX = step * midX;
            float[] weight = new float[side * side * upY * upX];
            for (int ky = 0; ky < side; ky++) {
                for (int kx = 0; kx < side; kx++) {
                    for (int uy = 0; uy < upY; uy++) {
                        for (int ux = 0; ux < upX; ux++) {
                            double dy = uy - (sigma + step * (uy / step + ky - padding));
                            double dx = ux - (sigma + step * (ux / step + kx - padding));
                            double over = Math.max(Math.sqrt(dy * dy + dx * dx) / sigma - 0.5, 0);
                            weight[((ky * side + kx) * upY + uy) * upX + ux] = (float) Math.exp(-2 * over * over);
                        }
                    }
                }
            }
            float[] pix = context.pixels().toFloatArray();
            int size = 3 * h * w;
            float[] lv = new float[n * s.levels() * size];
            for (int i = 0; i < n; i++) {
                float[] img = java.util.Arrays.copyOfRange(pix, i * size, (i + 1) * size);
                for (int l = 0; l < s.levels(); l++) {
                    double blur = s.maxBlur() * (1 - (double) l / (s.levels() - 1));
                    float[] b = blur == 0 ? img : GaussianBlur.blur(img, 3, h, w, blur);
                    System.arraycopy(b, 0, lv, (i * s.levels() + l) * size, size);
                }
            }
            int classes = context.model().numClasses();
            float[] hot = new float[n * k * classes];
            int full = outY * outX;
            float[] ref = new float[n * k * full];
            for (int r = 0; r < n * k; r++) {
                hot[r * classes + context.targets()[r / k]] = 1;
                int ones = (int) (h * w * s.areas().get(r % k));
                java.util.Arrays.fill(ref, (r + 1) * full - ones, (r + 1) * full, 1f);
            }
            NDManager m = context.manager();
            return new ReferenceBatch(context, s,
                    m.create(weight, new Shape(1, side * side, midY, step, midX, step)),
                    m.create(lv, new Shape(n, s.levels(), 3, h, w)), m.create(hot, new Shape(n * k, classes)),
                    m.create(ref, new Shape(n * k, full)));
        }

        /**
         * The unclamped full mask, rows × 1 × outY × outX, as TorchRay computes it: the parameters' windows
         * nearest-upsampled by broadcasting, weighted, the softmax-weighted sum over the window, the last step − 1
         * rows and columns cut.
         */
        private NDArray smoothMax(NDArray p) {
            long rows = p.getShape().get(0);
            int step = s.step();
            NDArray padded = p.pad(new Shape(padding, padding, padding, padding), 0);
            NDList windows = new NDList();
            for (int ky = 0; ky < side; ky++) {
                for (int kx = 0; kx < side; kx++) {
                    windows.add(padded.get(new NDIndex(":, :, {}:{}, {}:{}", ky, ky + midY, kx, kx + midX)));
                }
            }
            NDArray v = NDArrays.concat(windows, 1).reshape(rows, side * side, midY, 1, midX, 1).mul(weight);
            NDArray e = v.mul(coldness).exp();
            return v.mul(e).sum(new int[] {1}).div(e.sum(new int[] {1})).reshape(rows, 1, midY * step, midX * step)
                    .get(new NDIndex(":, :, :{}, :{}", outY, outX));
        }

        private NDArray crop(NDArray full) {
            int h = context.model().inputHeight();
            int w = context.model().inputWidth();
            return full.get(new NDIndex(":, :, {}:{}, {}:{}", margin, margin + h, margin, margin + w));
        }

        /**
         * TorchRay's Perturbation.apply: each mask row (image i·k…) picks its image's pyramid level m·(L−1),
         * interpolating linearly between the two levels around it.
         */
        private NDArray perturb(NDArray mask, int rowsPerImage) {
            Shape ls = levels.getShape();
            NDArray pyramid = levels.repeat(0, rowsPerImage); // rows × L × 3 × H × W
            NDArray w = mask.mul(top).expandDims(1); // rows × 1 × 1 × H × W
            NDArray k = w.stopGradient().floor();
            NDArray frac = w.sub(k);
            NDArray k0 = k.toType(ai.djl.ndarray.types.DataType.INT64, false).repeat(2, ls.get(2));
            NDArray k1 = k0.add(1).minimum(ls.get(1) - 1);
            NDArray y0 = pyramid.gather(k0, 1);
            NDArray y1 = pyramid.gather(k1, 1);
            return frac.neg().add(1).mul(y0).add(frac.mul(y1)).squeeze(1);
        }

        @Override
        public int rowsPerImage() {
            return s.areas().size();
        }

        @Override
        public NDArray initialParameters() {
            int h = context.model().inputHeight();
            int w = context.model().inputWidth();
            return context.manager().ones(new Shape(oneHot.getShape().get(0), 1, (h + s.step() - 1) / s.step(),
                    (w + s.step() - 1) / s.step()));
        }

        @Override
        public Step evaluate(NDArray parameters, int iteration) {
            int k = rowsPerImage();
            long rows = oneHot.getShape().get(0);
            NDArray full = smoothMax(parameters).clip(0, 1);
            NDArray mask = crop(full);
            NDArray x = switch (s.game()) {
                case PRESERVE -> perturb(mask, k);
                case DELETE -> perturb(mask.neg().add(1), k);
                default -> perturb(mask, k).concat(perturb(mask.neg().add(1), k), 0);
            };
            if (s.jitter() && iteration % 2 == 0) {
                x = x.flip(3);
            }
            NDArray logits = context.model().logits(x);
            NDArray reward;
            if (s.game() == Game.DUAL) {
                reward = logits.get("0:" + rows).mul(oneHot).sum(new int[] {1})
                        .sub(logits.get(rows + ":").mul(oneHot).sum(new int[] {1}));
            } else {
                NDArray score = logits.mul(oneHot).sum(new int[] {1});
                reward = s.game() == Game.DELETE ? score.neg() : score;
            }
            double lambda = s.regularizerWeight() * Math.pow(s.regularizerGrowth(), iteration);
            NDArray regul = full.reshape(rows, -1).sort(1).sub(reference).square().mean(new int[] {1})
                    .mul(context.manager().create((float) lambda));
            NDArray rewardTerm = reward.neg().reshape(-1, k).sum(new int[] {1});
            NDArray areaTerm = regul.reshape(-1, k).sum(new int[] {1});
            NDArray perImage = rewardTerm.add(areaTerm);
            return new Step(meanOverAreas(mask), null, List.of(rewardTerm, areaTerm), perImage, perImage.sum());
        }

        private NDArray meanOverAreas(NDArray perRow) {
            Shape sh = perRow.getShape();
            return perRow.reshape(-1, rowsPerImage(), sh.get(2), sh.get(3)).mean(new int[] {1}, true);
        }

        @Override
        public void project(NDArray parameters) {
            parameters.set(new NDIndex(":"), parameters.clip(0, 1));
        }

        @Override
        public NDArray saliency(NDArray parameters) {
            return meanOverAreas(crop(smoothMax(parameters).clip(0, 1)));
        }

        @Override
        public NDArray tieBreak(NDArray parameters) {
            return meanOverAreas(crop(smoothMax(parameters)));
        }

        @Override
        public NDArray keptLogits(NDArray saliency) {
            return context.model().logits(perturb(saliency, 1));
        }

        @Override
        public MaskBatch select(NDArray images) {
            long[] keep = images.toLongArray();
            int k = rowsPerImage();
            long[] rows = new long[keep.length * k];
            for (int j = 0; j < keep.length; j++) {
                for (int a = 0; a < k; a++) {
                    rows[j * k + a] = keep[j] * k + a;
                }
            }
            NDArray r = context.manager().create(rows);
            return new ReferenceBatch(context, s, weight, levels.get(images), oneHot.get(r), reference.get(r));
        }
    }
}
