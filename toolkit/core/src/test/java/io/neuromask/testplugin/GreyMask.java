package io.neuromask.testplugin;

import io.neuromask.engine.MaskBatch;
import io.neuromask.engine.MaskObjective;
import io.neuromask.engine.ObjectiveDescriptor;
import io.neuromask.engine.Optimizer;
import io.neuromask.engine.SettingDoc;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * A fourth objective, defined only in the test sources, through the public plug-in API alone: a mask
 * {@code m = sigmoid(w)} kept on the image and removed pixels turned {@code grey}; the loss is the cross-entropy of
 * the kept image plus {@code areaWeight · mean(m)}. Registered by {@link #servicesDir} (a
 * {@code META-INF/services} file for a child JVM's class path) or {@code Objectives.register(new Descriptor())}.
 *
 * @param areaWeight weight of the area term
 * @param grey the grey level removed pixels take
 * @param iterations Adam steps
 * @param learningRate Adam's learning rate
 * @param logEvery record the loss every this many iterations
 */
public record GreyMask(
        @SettingDoc(value = "weight of the area term", range = ">= 0", option = "--area-weight") double areaWeight,
        @SettingDoc(value = "grey level removed pixels take", range = "[0, 1]", option = "--grey") double grey,
        @SettingDoc(value = "Adam steps", range = ">= 1") int iterations,
        @SettingDoc(value = "Adam's learning rate", range = "> 0") double learningRate,
        @SettingDoc(value = "record the loss every this many iterations", range = ">= 1") int logEvery)
        implements MaskObjective<GreyMask> {

    /** The name: {@code greymask}. */
    public static final String NAME = "greymask";

    public GreyMask {
        if (!(areaWeight >= 0) || !Double.isFinite(areaWeight)) {
            throw new IllegalArgumentException("areaWeight must be a finite number >= 0, got " + areaWeight);
        }
        if (!(grey >= 0 && grey <= 1)) {
            throw new IllegalArgumentException("grey must lie in [0, 1], got " + grey);
        }
        if (iterations < 1 || logEvery < 1) {
            throw new IllegalArgumentException("iterations and logEvery must be at least 1");
        }
        if (!(learningRate > 0) || !Double.isFinite(learningRate)) {
            throw new IllegalArgumentException("learningRate must be a finite number > 0, got " + learningRate);
        }
    }

    /** The plug-in's descriptor: 20 iterations, area weight 0.5 up to 64 px and 0.25 above, grey 0.5. */
    public static final class Descriptor implements ObjectiveDescriptor {
        @Override
        public String name() {
            return NAME;
        }

        @Override
        public String description() {
            return "grey-out mask (a test plug-in)";
        }

        @Override
        public MaskObjective<?> preset(int inputHeight, int inputWidth) {
            return new GreyMask(Math.max(inputHeight, inputWidth) <= 64 ? 0.5 : 0.25, 0.5, 20, 0.1, 5);
        }
    }

    /**
     * Writes {@code META-INF/services/io.neuromask.engine.ObjectiveDescriptor} naming {@link Descriptor} under {@code dir},
     * for a class path.
     */
    public static Path servicesDir(Path dir) throws IOException {
        Path services = dir.resolve("META-INF/services");
        Files.createDirectories(services);
        Files.writeString(services.resolve(ObjectiveDescriptor.class.getName()), Descriptor.class.getName() + "\n");
        return dir;
    }

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public Optimizer optimizer() {
        return Optimizer.Adam.of(learningRate);
    }

    @Override
    public List<String> termNames() {
        return List.of("prediction", "area");
    }

    @Override
    public Object batchKey() {
        return List.of(NAME, iterations, logEvery);
    }

    @Override
    public MaskBatch start(MaskBatch.Context context, List<GreyMask> perImage) {
        return GreyMaskBatch.start(context, perImage);
    }
}
