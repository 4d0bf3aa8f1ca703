package io.neuromask;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.nn.LambdaBlock;
import io.neuromask.model.BlockClassifier;
import io.neuromask.model.Normalization;
import java.util.List;

/** Small models with logits a test can compute by hand. */
final class TestModels {

    private TestModels() {}

    /**
     * Two classes: logit 0 = {@code a * sum(R) + b * sum(G) + c * sum(B)} over the whole image, logit 1 = 0.
     */
    static BlockClassifier linear(int size, float a, float b, float c) {
        LambdaBlock block = new LambdaBlock(in -> {
            NDArray x = in.singletonOrThrow();
            long n = x.getShape().get(0);
            NDArray r = x.get(":, 0").reshape(n, -1).sum(new int[] {1});
            NDArray g = x.get(":, 1").reshape(n, -1).sum(new int[] {1});
            NDArray bl = x.get(":, 2").reshape(n, -1).sum(new int[] {1});
            NDArray logit0 = r.mul(a).add(g.mul(b)).add(bl.mul(c)).expandDims(1);
            return new NDList(logit0.concat(logit0.zerosLike(), 1));
        }, "linear");
        return BlockClassifier.of("linear-" + size, block, List.of("sum", "zero"), size, size, Normalization.NONE,
                null);
    }
}
