package io.neuromask.torch;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import com.sun.jna.NativeLibrary;
import com.sun.jna.Pointer;
import java.nio.FloatBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;

/**
 * Keeps libtorch's deprecation notice {@code Warning: AutoNonVariableTypeMode is deprecated and will be removed in
 * 1.10 release...} off stderr. DJL 0.36's JNI library copies a Java buffer into a tensor ({@code NDArray.set(Buffer)},
 * native {@code torchSet}) under the deprecated guard {@code AutoNonVariableTypeMode}, whose constructor warns once
 * per process; loading a state_dict ({@code StateDictLoader}) is the first such copy, so every start that loads a
 * pretrained model printed it. The notice is about DJL's native code, and nothing the user can act on. libtorch's
 * own switch, the environment variable {@code TORCH_CPP_LOG_LEVEL}, is read only by PyTorch's Python module
 * ({@code c10::initLogging}), not by libtorch under DJL, and would hide every libtorch warning.
 *
 * <p>{@link #consumeDeprecationNotice} therefore makes that one warning happen, early and unprinted: it copies one
 * float into a one-element tensor with libtorch's log threshold (c10's {@code FLAGS_caffe2_log_level}) raised to
 * ERROR for that call only, then puts the threshold back. libtorch remembers that it gave the notice, so later
 * copies stay quiet, while every other libtorch warning is printed as before. Switch it off with
 * {@code -Dneuromask.quietTorchDeprecation=false}. Where the flag cannot be found (another engine or libtorch, a
 * platform that does not export it), nothing is done and the notice appears as it would without this class.
 */
public final class TorchWarnings {

    /** The system property that switches this off when {@code false}. */
    public static final String PROPERTY = "neuromask.quietTorchDeprecation";

    /** c10's severity of errors: messages of lower severity are not printed. */
    private static final int ERROR = 2;

    private static boolean done;

    private TorchWarnings() {}

    /**
     * Once per process, on the PyTorch engine and unless {@value #PROPERTY} is {@code false}: lets DJL's native
     * tensor copy give libtorch's once-per-process {@code AutoNonVariableTypeMode} notice with only errors printed
     * (see the class comment). Later calls do nothing. Failures leave everything as it was.
     *
     * @param manager a manager of the engine about to copy buffers into tensors (its scratch array is closed)
     */
    public static synchronized void consumeDeprecationNotice(NDManager manager) {
        if (done || !Boolean.parseBoolean(System.getProperty(PROPERTY, "true"))
                || !"PyTorch".equals(manager.getEngine().getEngineName())) {
            return;
        }
        done = true;
        Pointer level = logLevelFlag();
        if (level == null) {
            return;
        }
        int before = level.getInt(0);
        level.setInt(0, Math.max(before, ERROR));
        try (NDManager scratch = manager.newSubManager()) {
            NDArray one = scratch.zeros(new Shape(1));
            one.set(FloatBuffer.wrap(new float[] {0f}));
        } finally {
            level.setInt(0, before);
        }
    }

    /** c10's log threshold in the libtorch that DJL loaded, or null where it cannot be found. */
    private static Pointer logLevelFlag() {
        try {
            // by reflection: core does not depend on the PyTorch engine's classes
            Object dir = Class.forName("ai.djl.pytorch.jni.LibUtils").getMethod("getLibtorchPath").invoke(null);
            Path lib = dir == null ? null : Path.of(dir.toString()).resolve(c10FileName());
            if (lib == null || !Files.isRegularFile(lib)) {
                return null;
            }
            return NativeLibrary.getInstance(lib.toString()).getGlobalVariableAddress("FLAGS_caffe2_log_level");
        } catch (ReflectiveOperationException | RuntimeException | LinkageError e) {
            return null;
        }
    }

    private static String c10FileName() {
        String os = System.getProperty("os.name", "").toLowerCase(Locale.ROOT);
        if (os.contains("win")) {
            return "c10.dll";
        }
        return os.contains("mac") ? "libc10.dylib" : "libc10.so";
    }
}
