package io.neuromask.model;

import io.neuromask.torch.StateDictLoader;
import io.neuromask.torch.TorchTensor;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Folds inference-mode batch norms into the convolutions before them, in a PyTorch state_dict: with
 * {@code s = γ / sqrt(running_var + ε)} per output channel, {@code bn(conv(x)) = conv'(x)} where conv' has the
 * weights {@code W[o] · s[o]} and the bias {@code β[o] + (b[o] − running_mean[o]) · s[o]} ({@code b = 0} for a
 * convolution without bias). The network then does one pass per layer instead of two, forward and backward; its
 * outputs equal the unfolded network's up to float rounding. The running statistics must be the ones inference
 * uses (a model in eval mode), which is how the toolkit always runs its models.
 *
 * <p>Each {@link Fold} names a convolution, its batch norm and the name of the folded convolution; the result holds
 * {@code <folded>.weight} and {@code <folded>.bias} for each, no keys of the folded convolutions and batch norms,
 * and every other key as it was. A {@code module.} prefix on every key (from {@code nn.DataParallel}) is stripped
 * first, and {@code num_batches_tracked} counters are dropped.
 */
public final class BatchNormFolding {

    /**
     * One convolution followed by one batch norm.
     *
     * @param convolution the convolution's module name, e.g. {@code layer1.0.conv1}
     * @param batchNorm the batch norm's module name, e.g. {@code layer1.0.bn1}
     * @param folded the folded convolution's module name in the result, e.g. {@code layer1.0.conv1_bn1}
     */
    public record Fold(String convolution, String batchNorm, String folded) {}

    private BatchNormFolding() {}

    /**
     * The state_dict with the given batch norms folded into their convolutions, computed in double precision and
     * rounded once to float.
     *
     * @param epsilon the batch norms' ε (PyTorch's default is 1e-5)
     * @throws IllegalArgumentException naming every missing key and every batch norm whose channel count does not
     *     match its convolution's output channels
     */
    public static Map<String, TorchTensor> fold(Map<String, TorchTensor> stateDict, List<Fold> folds, double epsilon) {
        Map<String, TorchTensor> sd = StateDictLoader.normalise(stateDict);
        List<String> problems = new ArrayList<>();
        for (Fold f : folds) {
            for (String key : List.of(f.convolution() + ".weight", f.batchNorm() + ".weight", f.batchNorm() + ".bias",
                    f.batchNorm() + ".running_mean", f.batchNorm() + ".running_var")) {
                if (!sd.containsKey(key)) {
                    problems.add("missing key " + key);
                }
            }
        }
        if (!problems.isEmpty()) {
            throw new IllegalArgumentException("cannot fold the batch norms: " + String.join("; ", problems)
                    + ". Check that the checkpoint and the architecture (e.g. the depth) match.");
        }
        Map<String, TorchTensor> out = new LinkedHashMap<>(sd);
        for (Fold f : folds) {
            TorchTensor weight = sd.get(f.convolution() + ".weight");
            TorchTensor convBias = sd.get(f.convolution() + ".bias");
            float[] w = weight.toFloatArray();
            float[] gamma = sd.get(f.batchNorm() + ".weight").toFloatArray();
            float[] beta = sd.get(f.batchNorm() + ".bias").toFloatArray();
            float[] mean = sd.get(f.batchNorm() + ".running_mean").toFloatArray();
            float[] var = sd.get(f.batchNorm() + ".running_var").toFloatArray();
            float[] b = convBias == null ? new float[gamma.length] : convBias.toFloatArray();
            long outChannels = weight.shape().get(0);
            if (gamma.length != outChannels || beta.length != outChannels || mean.length != outChannels
                    || var.length != outChannels || b.length != outChannels) {
                problems.add(f.batchNorm() + " has " + gamma.length + " channels but " + f.convolution() + " has "
                        + outChannels + " outputs");
                continue;
            }
            int perChannel = (int) (w.length / outChannels);
            float[] foldedWeight = new float[w.length];
            float[] foldedBias = new float[(int) outChannels];
            for (int o = 0; o < outChannels; o++) {
                double s = gamma[o] / Math.sqrt((double) var[o] + epsilon);
                for (int j = o * perChannel; j < (o + 1) * perChannel; j++) {
                    foldedWeight[j] = (float) (w[j] * s);
                }
                foldedBias[o] = (float) (beta[o] + ((double) b[o] - mean[o]) * s);
            }
            for (String module : List.of(f.convolution(), f.batchNorm())) {
                out.keySet().removeIf(k -> k.startsWith(module + "."));
            }
            out.put(f.folded() + ".weight", TorchTensor.ofFloats(foldedWeight, weight.shape().getShape()));
            out.put(f.folded() + ".bias", TorchTensor.ofFloats(foldedBias, outChannels));
        }
        if (!problems.isEmpty()) {
            throw new IllegalArgumentException("cannot fold the batch norms: " + String.join("; ", problems));
        }
        return out;
    }
}
