package org.rapaio.jupyter.kernel.core.java;

import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.util.Map;
import java.util.concurrent.CancellationException;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.FutureTask;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;
import jdk.jshell.execution.DirectExecutionControl;
import jdk.jshell.spi.SPIResolutionException;

/**
 * rapaio-jupyter-kernel 3.0.1's execution control with its interrupt fixed (patched by NeuroMask for Java).
 *
 * <p>In 3.0.1 a kernel interrupt cancels the running cell and then {@code stop()} shuts the cell executor
 * down for good: every later cell is answered "ok" without running, and whether the interrupted cell reports
 * "Execution interrupted." or nothing at all depends on a race with that shutdown. Here {@code stop()} only
 * cancels (interrupts) the running cells, an interrupted cell always reports the interruption, a cell is
 * registered before it starts (so an early interrupt cannot miss it), a timed-out cell is cancelled too, and
 * the executor is shut down when JShell closes the control. The public API is the original's.
 */
public class RapaioExecutionControl extends DirectExecutionControl {

    public static final String TIMEOUT_MARKER = "## Timeout Marker ##";
    public static final String INTERRUPTED_MARKER = "## Interrupted Marker ##";

    private static final AtomicInteger ID = new AtomicInteger(0);

    private final ExecutorService executor;
    private final long timeoutTime;
    private final ConcurrentMap<String, Future<Object>> running = new ConcurrentHashMap<>();
    private final Map<String, Object> results = new ConcurrentHashMap<>();

    public RapaioExecutionControl(long timeoutTime) {
        this.timeoutTime = timeoutTime;
        this.executor = Executors.newCachedThreadPool(r -> new Thread(r, "Engine-thread-" + ID.getAndIncrement()));
    }

    public long getTimeout() {
        return timeoutTime;
    }

    public Object takeResult(String key) {
        Object result = results.remove(key);
        if (result == null) {
            throw new IllegalStateException("No result with key: " + key);
        }
        return result;
    }

    @Override
    protected String invoke(Method doitMethod) throws Exception {
        String id = java.util.UUID.randomUUID().toString();
        Object value = execute(id, doitMethod);
        results.put(id, value);
        return id;
    }

    private Object execute(String key, Method doitMethod) throws Exception {
        FutureTask<Object> future = new FutureTask<>(() -> doitMethod.invoke(null));
        running.put(key, future); // registered before it runs, so an interrupt cannot miss it
        executor.execute(future);
        try {
            return timeoutTime > 0 ? future.get(timeoutTime, TimeUnit.MILLISECONDS) : future.get();
        } catch (CancellationException e) {
            if (executor.isShutdown()) {
                throw new StoppedException();
            }
            throw new UserException("Execution interrupted.", INTERRUPTED_MARKER, e.getStackTrace());
        } catch (ExecutionException e) {
            Throwable cause = e.getCause();
            if (cause instanceof InvocationTargetException) {
                cause = cause.getCause();
            }
            if (cause == null) {
                throw new UserException("null", "Unknown Invocation Exception", e.getStackTrace());
            }
            if (cause instanceof SPIResolutionException sre) {
                throw new ResolutionException(sre.id(), cause.getStackTrace());
            }
            throw new UserException(cause.getMessage(), cause.getClass().getName(), cause.getStackTrace());
        } catch (TimeoutException e) {
            future.cancel(true);
            throw new UserException("Execution timed out", TIMEOUT_MARKER, e.getStackTrace());
        } finally {
            running.remove(key, future);
        }
    }

    /** Cancels the running cells, interrupting their threads. */
    public void interrupt() {
        running.forEach((key, future) -> future.cancel(true));
    }

    /** Called by JShell.stop() on a kernel interrupt: cancels the running cells and keeps the executor for the next. */
    @Override
    public void stop() {
        interrupt();
    }

    @Override
    public void close() {
        executor.shutdownNow();
        super.close();
    }
}
