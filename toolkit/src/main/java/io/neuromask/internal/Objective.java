package io.neuromask.internal;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Activation;
import ai.djl.nn.convolutional.Conv2d;
import io.neuromask.model.Classifier;

/**
 * The NeuroMask objective for a batch, each image with its own λ, T and limit. Every tensor here is
 * per image, and the batch total is the plain sum of per-image losses, so the gradient of one image's
 * weights depends on that image alone.
 */
public final class Objective {

    /** Per-image terms of one evaluation; every array has shape (N). */
    public record Terms(
            NDArray mask, NDArray logits, NDArray prediction, NDArray sparsity, NDArray smoothness,
            NDArray perImage, NDArray total) {}

    private final Classifier model;
    private final NDArray oneHot;
    private final NDArray inverseTemperature;
    private final NDArray limit;
    private final NDArray lambdaPrediction;
    private final NDArray lambdaSparsity;
    private final NDArray lambdaSmoothness;
    private final NDArray laplacian;

    /**
     * @param oneHot N×C target one-hot
     * @param inverseTemperature N×1×1×1
     * @param limit N×1×1×1
     * @param lambdas N×3 (prediction, sparsity, smoothness)
     * @param laplacian 1×1×k×k
     */
    public Objective(Classifier model, NDArray oneHot, NDArray inverseTemperature, NDArray limit, NDArray lambdas,
            NDArray laplacian) {
        this.model = model;
        this.oneHot = oneHot;
        this.inverseTemperature = inverseTemperature;
        this.limit = limit;
        this.lambdaPrediction = lambdas.get(":, 0");
        this.lambdaSparsity = lambdas.get(":, 1");
        this.lambdaSmoothness = lambdas.get(":, 2");
        this.laplacian = laplacian;
    }

    /** The same objective restricted to some images: {@code rows} is an int64 index array. */
    public Objective select(NDArray rows) {
        NDArray lambdas = lambdaPrediction.expandDims(1).concat(lambdaSparsity.expandDims(1), 1)
                .concat(lambdaSmoothness.expandDims(1), 1);
        return new Objective(model, oneHot.get(rows), inverseTemperature.get(rows), limit.get(rows), lambdas.get(rows),
                laplacian);
    }

    /** The mask {@code sigmoid(w / T)} for weights N×1×H×W. */
    public NDArray mask(NDArray weights) {
        return Activation.sigmoid(weights.mul(inverseTemperature));
    }

    /**
     * Evaluates the objective.
     *
     * @param pixels N×3×H×W in [0, 1]
     * @param weights N×1×H×W
     */
    public Terms evaluate(NDArray pixels, NDArray weights) {
        NDArray mask = mask(weights);
        NDArray logits = model.logits(pixels.mul(mask));
        NDArray crossEntropy = logits.logSoftmax(1).mul(oneHot).sum(new int[] {1}).neg();
        NDArray l1 = perImageMean(weights.add(limit).abs());
        NDArray lap = Conv2d.conv2d(weights, laplacian).singletonOrThrow(); // VALID, stride 1
        NDArray smooth = perImageMean(lap.square());
        NDArray prediction = crossEntropy.mul(lambdaPrediction);
        NDArray sparsity = l1.mul(lambdaSparsity);
        NDArray smoothness = smooth.mul(lambdaSmoothness);
        NDArray perImage = prediction.add(sparsity).add(smoothness);
        return new Terms(mask, logits, prediction, sparsity, smoothness, perImage, perImage.sum());
    }

    /** The mean over every axis but the first: N×... to (N). */
    public static NDArray perImageMean(NDArray a) {
        return a.reshape(a.getShape().get(0), -1).mean(new int[] {1});
    }

    /** Laplacian weights as a 1×1×k×k array shape. */
    public static Shape kernelShape(int k) {
        return new Shape(1, 1, k, k);
    }
}
