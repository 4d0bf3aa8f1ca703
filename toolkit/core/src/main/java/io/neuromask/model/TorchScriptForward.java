package io.neuromask.model;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.nn.Block;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;

/**
 * The forward pass of a TorchScript module that gradients flow through.
 *
 * <p>DJL's {@code PtSymbolBlock.forward} in inference mode runs the module under libtorch's {@code NoGradGuard}
 * (its JNI {@code moduleRunMethod} guards every call not marked as training), so no gradient would reach the pixels
 * and every gradient method and mask objective would fail ("element 0 of tensors does not require grad"); in
 * training mode it would also switch the module to {@code train()}, so that dropout drops and batch norm uses (and
 * updates) batch statistics. This calls DJL's {@code IValueUtils.forward(block, inputs, true)} directly instead:
 * autograd on, the module left in {@code eval()} mode ({@link #eval}, once, when the classifier is made). The
 * parameters are frozen, so a pass records a graph only where the input requires a gradient.
 *
 * <p>By reflection: the PyTorch engine jar is not a module that this one can name (as in {@link Threads}).
 */
final class TorchScriptForward {

    private static final String MODULE = "ai.djl.pytorch.engine.PtSymbolBlock";

    private TorchScriptForward() {}

    /** Whether {@code block} is a TorchScript module ({@code PtSymbolBlock}). */
    static boolean isModule(Block block) {
        return block != null && block.getClass().getName().equals(MODULE);
    }

    /** Puts the module in {@code eval()} mode. */
    static void eval(Block module) {
        call(Methods.EVAL, module);
    }

    /** The module's output for one input, autograd on, the module in the mode {@link #eval} left it in. */
    static NDArray logits(Block module, NDArray input) {
        return ((NDList) call(Methods.FORWARD, module, new NDList(input), true)).singletonOrThrow();
    }

    private static Object call(Method method, Object... args) {
        try {
            return method.invoke(null, args);
        } catch (InvocationTargetException e) {
            if (e.getCause() instanceof RuntimeException r) {
                throw r;
            }
            throw new IllegalStateException("TorchScript forward failed: " + e.getCause(), e.getCause());
        } catch (IllegalAccessException e) {
            throw new IllegalStateException("cannot call DJL's PyTorch engine: " + e, e);
        }
    }

    /** Looked up on first use (a classifier of any other kind never loads them). */
    private static final class Methods {
        static final Method EVAL;
        static final Method FORWARD;

        static {
            try {
                ClassLoader loader = Engine.class.getClassLoader();
                Class<?> module = Class.forName(MODULE, true, loader);
                EVAL = Class.forName("ai.djl.pytorch.jni.JniUtils", true, loader)
                        .getMethod("enableInferenceMode", module);
                FORWARD = Class.forName("ai.djl.pytorch.jni.IValueUtils", true, loader)
                        .getMethod("forward", module, NDList.class, boolean.class);
            } catch (ReflectiveOperationException e) {
                throw new IllegalStateException("cannot reach DJL's PyTorch IValueUtils.forward and "
                        + "JniUtils.enableInferenceMode (DJL's PyTorch engine 0.36 is expected on the class path): "
                        + e, e);
            }
        }
    }
}
