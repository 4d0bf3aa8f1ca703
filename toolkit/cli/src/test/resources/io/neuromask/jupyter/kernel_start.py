"""Starts the 'neuromask-java' kernel once, runs one trivial cell, prints one JSON line. Used by KernelStartNotebookTest.

A start fails when the kernel does not answer kernel_info within the startup timeout (the rapaio 3.0.1
start-up race) or the cell does not return 2.
"""
import json
import os
import subprocess
import sys
import time

from jupyter_client.manager import start_new_kernel

name = sys.argv[1]
timeout = float(sys.argv[2])
log = open(sys.argv[3], "w") if len(sys.argv) > 3 else subprocess.DEVNULL  # the kernel's own output
t0 = time.time()
result = {"ok": False}
km = kc = None
try:
    km, kc = start_new_kernel(kernel_name=name, startup_timeout=timeout,
                              stdout=log, stderr=log)
    result["ready_s"] = round(time.time() - t0, 2)
    values = []

    def hook(msg):
        if msg["msg_type"] == "execute_result":
            values.append(msg["content"]["data"])

    reply = kc.execute_interactive("1 + 1", timeout=timeout, output_hook=hook)
    text = [d.get("text/plain") or d.get("text/html") for d in values]
    result["status"] = reply["content"]["status"]
    result["values"] = text
    result["ok"] = reply["content"]["status"] == "ok" and text == ["2"]
except Exception as e:  # noqa: BLE001 - reported to the Java test
    result["error"] = f"{type(e).__name__}: {e}"
finally:
    result["total_s"] = round(time.time() - t0, 2)
    if kc is not None:
        kc.stop_channels()
    if km is not None:
        km.shutdown_kernel(now=True)
print(json.dumps(result), flush=True)
# Skip interpreter teardown: jupyter_client's __del__ hooks print noise once logging is gone.
os._exit(0)
