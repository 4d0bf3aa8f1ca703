package io.neuromask.metrics;

import io.neuromask.base.SaliencyMap;
import java.util.Arrays;

/**
 * Sparseness as the Gini index of the absolute map values (Hurley and Rickard 2009; used for
 * attributions by Chalasani et al. 2020): 0 for a uniform map, {@code 1 − 1/n} for a single spike.
 */
public final class Gini {

    private Gini() {}

    public static double index(SaliencyMap map) {
        return index(map.values());
    }

    /** {@code 1 − 2 Σ_k (c_k / ‖c‖₁) (n − k + ½) / n} over the sorted absolute values {@code c_1 ≤ … ≤ c_n}. */
    public static double index(float[] values) {
        int n = values.length;
        double[] c = new double[n];
        double sum = 0;
        for (int i = 0; i < n; i++) {
            c[i] = Math.abs(values[i]);
            sum += c[i];
        }
        if (n == 0 || sum == 0) {
            return 0;
        }
        Arrays.sort(c);
        double acc = 0;
        for (int k = 1; k <= n; k++) {
            acc += (c[k - 1] / sum) * ((n - k + 0.5) / n);
        }
        return 1 - 2 * acc;
    }
}
