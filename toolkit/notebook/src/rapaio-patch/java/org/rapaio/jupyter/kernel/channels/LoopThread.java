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
 */
package org.rapaio.jupyter.kernel.channels;

public final class LoopThread extends Thread {

    private volatile boolean running = false;
    private final long sleep;
    private final Runnable loopBody;

    public LoopThread(String name, long sleep, Runnable loopBody) {
        super(name);
        this.sleep = sleep;
        this.loopBody = loopBody;
    }

    @Override
    public void run() {
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
        super.start();
    }

    public void shutdown() {
        running = false;
    }
}
