"""Interrupts a 2000-iteration NeuroMask run on the 'neuromask-java' kernel; prints one JSON line.

Used by KernelInterruptNotebookTest. Cell 1 loads a model; cell 2 starts a run that takes ~10 s; after
`delay` seconds a real kernel interrupt (the kernelspec's interrupt_mode: an interrupt_request message) is
sent, once the progress file shows the run is under way. We record how long until the kernel reports the interruption on IOPub (rapaio 3.0.1 sends that error
under the interrupt request's header and no execute_reply for the interrupted cell, so we watch IOPub and
read the progress from a file the listener writes). The
progress listener writes the iteration to a file: it must stop advancing. Then a new explanation must run.
"""
import json
import os
import subprocess
import sys
import time

from jupyter_client.manager import start_new_kernel

name, startup, delay, work = sys.argv[1], float(sys.argv[2]), float(sys.argv[3]), sys.argv[4]
log = open(sys.argv[5], "w") if len(sys.argv) > 5 else subprocess.DEVNULL
progress_file = os.path.join(work, "progress.txt")
next_file = os.path.join(work, "next.txt")
result = {"ok": False}
km = kc = None

SETUP = """
import java.nio.file.*;
import io.neuromask.*;
import io.neuromask.model.*;
import io.neuromask.base.*;
BlockClassifier model = PlantedEvidence.model(224, null);
RgbImage image = PlantedEvidence.image(224, 40, 120, 32, 1);
Path progressFile = Path.of("%s");
Path nextFile = Path.of("%s");
""" % (progress_file, next_file)
LONG = """
NeuroMask.builder().model(model).preset(Preset.PAPER_IMAGENET).iterations(2000)
        .progress(p -> {
            try {
                Files.writeString(progressFile, Integer.toString(p.iteration()));
            } catch (java.io.IOException e) {
                throw new java.io.UncheckedIOException(e);
            }
        }).build().explain(image, Target.predicted());
"""
NEXT = """
String outcome;
try {
    outcome = Integer.toString(NeuroMask.builder().model(model).preset(Preset.PAPER_IMAGENET).iterations(3).build()
            .explain(image, Target.predicted()).iterations());
} catch (Throwable t) {
    outcome = "interrupted=" + Thread.currentThread().isInterrupted() + " " + t;
}
Files.writeString(nextFile, outcome);
System.out.println("next cell printed " + outcome);
"""


def running():  # noqa: D103
    try:
        with open(progress_file) as f:
            return int(f.read().strip() or 0) > 0
    except (OSError, ValueError):
        return False


def outputs_of(code, timeout):  # noqa: D103
    texts = []

    def hook(msg):
        if msg["msg_type"] == "stream":
            texts.append(msg["content"]["text"])
        elif msg["msg_type"] == "error":
            texts.append("ERROR " + msg["content"].get("ename", ""))

    reply = kc.execute_interactive(code, timeout=timeout, output_hook=hook)
    return reply["content"]["status"], "".join(texts)


try:
    km, kc = start_new_kernel(kernel_name=name, startup_timeout=startup, stdout=log, stderr=log)
    status, text = outputs_of(SETUP, 120)
    if status != "ok":
        raise RuntimeError(f"setup cell failed: {text}")
    msg_id = kc.execute(LONG)
    t0 = time.time()
    sent = None
    stopped = None
    finished_normally = False
    while time.time() - t0 < 60 and stopped is None:
        # Interrupt only once the optimisation is running (its listener has written an iteration) and `delay`
        # seconds have passed: an interrupt that lands while the kernel still compiles the cell stops nothing.
        if sent is None and time.time() - t0 >= delay and running():
            sent = time.time()
            km.interrupt_kernel()
        try:
            msg = kc.get_iopub_msg(timeout=0.05)
        except Exception:  # queue.Empty
            continue
        if msg["msg_type"] == "error" and "Interrupt" in msg["content"].get("ename", ""):
            stopped = time.time()
        elif (msg["msg_type"] == "status" and msg["content"]["execution_state"] == "idle"
              and msg["parent_header"].get("msg_id") == msg_id):
            stopped = time.time()
            finished_normally = sent is None
    result["finished_before_interrupt"] = finished_normally
    result["seconds_to_stop"] = round(stopped - sent, 3) if (stopped and sent) else None
    time.sleep(0.5)
    while True:  # drain what is left of the interrupted cell
        try:
            kc.get_iopub_msg(timeout=0.2)
        except Exception:
            break
    def read(path):
        with open(path) as f:
            return int(f.read().strip() or 0)

    result["progress_after_stop"] = read(progress_file)
    time.sleep(1.5)
    result["progress_later"] = read(progress_file)
    result["next_status"], result["next_printed"] = outputs_of(NEXT, 60)
    result["next_outcome"] = open(next_file).read() if os.path.exists(next_file) else None
    result["ok"] = True
except Exception as e:  # noqa: BLE001 - reported to the Java test
    result["error"] = f"{type(e).__name__}: {e}"
finally:
    if kc is not None:
        kc.stop_channels()
    if km is not None:
        km.shutdown_kernel(now=True)
print(json.dumps(result), flush=True)
os._exit(0)
