package io.neuromask.engine;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import io.neuromask.internal.Adam;
import io.neuromask.internal.OptimizerState;
import io.neuromask.internal.RmsProp;
import io.neuromask.internal.Sgd;
import java.util.Arrays;
import java.util.List;

/** Builds a batch's {@link OptimizerState} from one {@link Optimizer} per image. */
final class Optimizers {

    private Optimizers() {}

    /**
     * @param perImage all of one kind (the batch planner guarantees it)
     * @param rowsPerImage parameter rows per image; every row of an image gets the image's settings
     * @param parameters the starting parameters, rows first, four dimensions
     */
    static OptimizerState start(List<Optimizer> perImage, int rowsPerImage, NDArray parameters, NDManager manager) {
        Shape shape = parameters.getShape();
        int rows = (int) shape.get(0);
        Optimizer first = perImage.get(0);
        for (Optimizer o : perImage) {
            if (o.getClass() != first.getClass()) {
                throw new IllegalArgumentException("one batch mixes optimisers " + first.name() + " and " + o.name());
            }
        }
        if (first instanceof Optimizer.RmsPropTf1) {
            float[] lr = new float[rows];
            float[] decay = new float[rows];
            float[] eps = new float[rows];
            long perRow = shape.size() / rows;
            float[] ms0 = new float[(int) shape.size()];
            for (int r = 0; r < rows; r++) {
                Optimizer.RmsPropTf1 o = (Optimizer.RmsPropTf1) perImage.get(r / rowsPerImage);
                lr[r] = (float) o.learningRate();
                decay[r] = (float) o.decay();
                eps[r] = (float) o.epsilon();
                Arrays.fill(ms0, (int) (r * perRow), (int) ((r + 1) * perRow), (float) o.initialAccumulator());
            }
            Shape one = new Shape(rows, 1, 1, 1);
            return new RmsProp(manager.create(lr, one), manager.create(decay, one), manager.create(eps, one),
                    manager.create(ms0, shape));
        }
        double[] lr = new double[rows];
        double[] a = new double[rows];
        double[] b = new double[rows];
        double[] c = new double[rows];
        for (int r = 0; r < rows; r++) {
            Optimizer o = perImage.get(r / rowsPerImage);
            lr[r] = o.learningRate();
            if (o instanceof Optimizer.Adam adam) {
                a[r] = adam.beta1();
                b[r] = adam.beta2();
                c[r] = adam.epsilon();
            } else if (o instanceof Optimizer.Sgd sgd) {
                a[r] = sgd.momentum();
                b[r] = sgd.dampening();
            }
        }
        if (first instanceof Optimizer.Adam) {
            return new Adam(lr, a, b, c, manager, shape);
        }
        return new Sgd(lr, a, b, manager, shape);
    }
}
