package io.neuromask.base;


/**
 * Which class an explanation keeps: the model's prediction on the unmasked image (the paper's
 * choice and the default), a class index, or a class name.
 */
public final class Target {

    private static final Target PREDICTED = new Target(-1, null);

    private final int index;
    private final String name;

    private Target(int index, String name) {
        this.index = index;
        this.name = name;
    }

    /** The class the model predicts for the unmasked image. */
    public static Target predicted() {
        return PREDICTED;
    }

    /** A class by index; checked against the model when explaining. */
    public static Target index(int classIndex) {
        if (classIndex < 0) {
            throw new IllegalArgumentException("class index must be >= 0, got " + classIndex);
        }
        return new Target(classIndex, null);
    }

    /** A class by name (a label, or one of its comma-separated synonyms); resolved against the model. */
    public static Target name(String className) {
        if (className == null || className.isBlank()) {
            throw new IllegalArgumentException("class name must not be blank");
        }
        return new Target(-1, className);
    }

    /**
     * Parses CLI text: {@code predicted}, a class index such as {@code 7}, or a class name.
     */
    public static Target parse(String text) {
        String t = text.trim();
        if (t.equalsIgnoreCase("predicted")) {
            return predicted();
        }
        if (t.matches("\\d+")) {
            return index(Integer.parseInt(t));
        }
        return name(t);
    }

    /** Whether this is {@link #predicted()}. */
    public boolean isPredicted() {
        return this == PREDICTED;
    }

    /**
     * Resolves a fixed class index against a model; {@code predicted} has none.
     *
     * @throws IllegalArgumentException for an index out of range or an unknown name
     * @throws IllegalStateException for {@link #predicted()}
     */
    public int resolve(Classifier model) {
        if (isPredicted()) {
            throw new IllegalStateException("the predicted target has no fixed class");
        }
        if (name != null) {
            return model.classIndex(name);
        }
        if (index >= model.numClasses()) {
            throw new IllegalArgumentException("class index " + index + " is out of range for model " + model.name()
                    + ", which has " + model.numClasses() + " classes (0.." + (model.numClasses() - 1) + ")");
        }
        return index;
    }

    @Override
    public String toString() {
        return isPredicted() ? "predicted" : name != null ? name : Integer.toString(index);
    }
}
