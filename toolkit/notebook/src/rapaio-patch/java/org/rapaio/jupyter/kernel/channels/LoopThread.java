/*
 * Patched copy of org.rapaio.jupyter.kernel.channels.LoopThread from rapaio-jupyter-kernel 3.0.1
 * (same public API, written from its bytecode). Compiled by io.neuromask.kernel.KernelInstaller into
 * the kernelspec and put BEFORE the rapaio jar on the kernel's class path, so this class wins.
 *
 * The defect: 3.0.1's start() calls super.start() and only then sets running = true. When the new
 * thread reaches run() first, it sees running == false and exits at once, and that channel (often the
 * shell channel) never serves a message: the kernel never answers kernel_info and the client times out
 * (about one start in five). The fix sets running before starting the thread.
 *
 * A second start-up race in 3.0.1: Channels.connect() binds the channels (starting their loops) before it
 * assigns its message-handler map. A shell message arriving in that window makes the loop body throw
 * NullPointerException (Channels.getHandler), which, unpatched, ends the Shell-0 thread for good: again
 * no kernel_info reply. The patched loop survives an exception from its body: the one message is
 * dropped and logged, and Jupyter clients resend kernel_info until it is answered.
 *
 * That window had a worse outcome too: in 2 of the 15 starts that hit it (in 240 starts of the CI
 * test), the kernel went on handling every resent kernel_info_request for 45 s and the client never saw
 * the kernel ready (jupyter_client also waits for an IOPub message, and Channels.connect, on the main
 * thread, publishes on the same not thread-safe ZeroMQ socket while the shell thread does). So the
 * patched loop no longer serves anything while the thread that started it is still inside
 * Channels.connect: messages wait in the socket until the kernel is connected, then are served in order.
 */
package org.rapaio.jupyter.kernel.channels;

public final class LoopThread extends Thread {

    private volatile boolean running = false;
    private final long sleep;
    private final Runnable loopBody;
    /** The thread that called start() when it did so inside Channels.connect (the kernel's channels), else null. */
    private volatile Thread starter;

    public LoopThread(String name, long sleep, Runnable loopBody) {
        super(name);
        this.sleep = sleep;
        this.loopBody = loopBody;
    }

    @Override
    public void run() {
        if (!awaitConnected()) {
            return;
        }
        while (running) {
            try {
                loopBody.run();
            } catch (RuntimeException e) {
                System.err.println("[" + getName() + "] dropped one message during kernel start-up: " + e);
            }
            try {
                Thread.sleep(sleep);
            } catch (InterruptedException e) {
                running = false;
                return;
            }
        }
    }

    @Override
    public synchronized void start() {
        running = true; // before the thread exists: run() can no longer see false at its first check
        // the starter's own stack, read on the starter (cheap): only a loop started inside Channels.connect waits
        Thread current = Thread.currentThread();
        starter = insideConnect(current) ? current : null;
        super.start();
    }

    /**
     * Waits while the starting thread is inside Channels.connect (at most 60 s; a wait of 100 ms or more
     * is logged). Returns false when interrupted or shut down meanwhile.
     */
    private boolean awaitConnected() {
        Thread t = starter;
        long start = System.nanoTime();
        long deadline = start + 60_000_000_000L;
        boolean waited = false;
        while (running && t != null && t.isAlive() && insideConnect(t) && System.nanoTime() < deadline) {
            waited = true;
            try {
                Thread.sleep(5);
            } catch (InterruptedException e) {
                running = false;
                return false;
            }
        }
        if (waited && System.nanoTime() - start >= 100_000_000L) {
            System.err.println("[" + getName() + "] waited " + (System.nanoTime() - start) / 1_000_000
                    + " ms for the kernel to connect its channels before serving messages");
        }
        starter = null;
        return running;
    }

    private static boolean insideConnect(Thread t) {
        for (StackTraceElement frame : t.getStackTrace()) {
            if (frame.getMethodName().equals("connect")
                    && frame.getClassName().equals("org.rapaio.jupyter.kernel.channels.Channels")) {
                return true;
            }
        }
        return false;
    }

    public void shutdown() {
        running = false;
    }
}
