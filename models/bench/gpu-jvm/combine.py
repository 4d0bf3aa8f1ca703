"""Combines the outputs of run-checks.sh into one JSON (the record of issue 32, item 3). Standard library only.

usage: python3 combine.py WORK_DIR OUT.json DRY_RUN(0|1) BUDGET_S ELAPSED_S
"""
import json, os, re, struct, sys, time

work, out_path, dry, budget, elapsed = sys.argv[1], sys.argv[2], sys.argv[3] == "1", int(sys.argv[4]), int(sys.argv[5])
RATIO_GOAL = 1.2  # the JVM within 1.2x of the PyTorch stand-in's time per iteration at batch 64 and above


def text(name, ext):
    p = os.path.join(work, name + ext)
    return open(p, errors="replace").read() if os.path.exists(p) else ""


def last_json(s):
    """The last JSON object printed on stdout (bench --json prints one line, evaluate --json a pretty object)."""
    found, dec, i = None, json.JSONDecoder(), 0
    while True:
        i = s.find("{", i)
        if i < 0:
            return found
        try:
            obj, end = dec.raw_decode(s, i)
            found, i = obj, end
        except ValueError:
            i += 1


steps = []
if os.path.exists(os.path.join(work, "steps.jsonl")):
    steps = [json.loads(l) for l in open(os.path.join(work, "steps.jsonl")) if l.strip()]
for s in steps:
    if s["status"] != "ok" and not s["status"].startswith("skipped"):
        s["stderr_tail"] = text(s["name"], ".err")[-1500:]
status = {s["name"]: s for s in steps}


def result(name):
    s = status.get(name)
    if s is None:
        return {"status": "not run"}
    if s["status"] != "ok":
        return {"status": s["status"], "error": s.get("stderr_tail", "")[-600:]}
    j = last_json(text(name, ".out"))
    return j if j is not None else {"status": "ok, but no JSON on stdout", "stdout_tail": text(name, ".out")[-600:]}


rec = {
    "what": "issue 32: the toolkit on a GPU through DJL 0.36.0's JNI built against the machine's libtorch; "
            "written by models/bench/gpu-jvm/run-checks.sh",
    "mode": "cpu dry run (not a GPU measurement)" if dry else "gpu",
    "date_utc": time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime()),
    "seconds": elapsed, "budget_seconds": budget,
}
gpu = text("env-gpu", ".out").strip().splitlines()
if gpu:
    f = [x.strip() for x in gpu[0].split(",")]
    rec["device"] = {"name": f[0], "driver": f[1] if len(f) > 1 else None, "memory": f[2] if len(f) > 2 else None}
else:
    rec["device"] = {"name": None, "driver": None, "note": "nvidia-smi gave nothing"}
rec["torch"] = last_json(text("env-torch", ".out"))
rec["java"] = (text("env-java", ".err") or text("env-java", ".out")).strip().splitlines()[:3]
jni = {"status": status.get("build-jni", {}).get("status", "not run")}
for line in text("build-jni", ".out").splitlines():
    if line.startswith("build-jni.sh: PYTORCH_LIBRARY_PATH="):
        jni["djl_environment"] = dict(kv.split("=", 1) for kv in line.split(": ", 1)[1].split())
    elif line.startswith("JNI "):
        jni["library"] = line[4:]
    elif line.startswith("build-jni.sh: libtorch "):
        jni["libtorch"] = line.split(": ", 1)[1]
errs = [l for l in text("build-jni", ".err").splitlines() if "error" in l]
if errs:
    jni["first_errors"] = errs[:20]
rec["jni"] = jni

bench = {}
for s in steps:
    m = re.match(r"bench-(resnet20|squeezenet)-(b\d+|auto)$", s["name"])
    if m:
        model = {"resnet20": "cifar10-resnet20", "squeezenet": "imagenet-squeezenet1.1"}[m.group(1)]
        bench.setdefault(model, {})[m.group(2)] = result(s["name"])
rec["smoke"] = result("smoke")
rec["bench"] = bench


def npy(path):
    """A float32/float64 little-endian .npy as a flat list (the mask.npy of explain/quickstart)."""
    with open(path, "rb") as f:
        assert f.read(6) == b"\x93NUMPY", path
        major = f.read(2)[0]
        hlen = struct.unpack("<H" if major == 1 else "<I", f.read(2 if major == 1 else 4))[0]
        header = f.read(hlen).decode("latin1")
        descr = re.search(r"'descr':\s*'([^']+)'", header).group(1)
        data = f.read()
    code = {"<f4": "f", "<f8": "d"}[descr]
    return list(struct.unpack("<%d%s" % (len(data) // struct.calcsize(code), code), data))


def horse(d):
    e = json.load(open(os.path.join(work, d, "explanation.json")))
    return e, npy(os.path.join(work, d, "mask.npy"))


agree = {"cpu": status.get("horse-cpu", {}).get("status", "not run"),
         "gpu": status.get("horse-gpu", {}).get("status", "not run")}
try:
    (ec, mc), (eg, mg) = horse("horse-cpu"), horse("horse-gpu")
    diffs = [abs(a - b) for a, b in zip(mc, mg)]
    agree.update({
        "pixels": len(diffs), "same_size": len(mc) == len(mg),
        "max_abs_diff": max(diffs), "mean_abs_diff": sum(diffs) / len(diffs),
        "cpu": {k: ec.get(k) for k in ("predicted_original", "predicted_masked", "class_preserved")},
        "gpu": {k: eg.get(k) for k in ("predicted_original", "predicted_masked", "class_preserved")},
    })
    agree["class_kept_on_both"] = bool(ec.get("class_preserved")) and bool(eg.get("class_preserved"))
except Exception as ex:  # recorded, not raised: the other checks still count
    agree["error"] = "%s: %s" % (type(ex).__name__, ex)
rec["horse_mask_agreement"] = agree


def explanations_per_second(name):
    r = result(name)
    out = {"evaluate": r}
    # evaluate --json: per method a 'seconds_per_image'; the NeuroMask one gives explanations per second
    found = []

    def walk(o, path):
        if isinstance(o, dict):
            for k, v in o.items():
                if k in ("seconds_per_image", "secondsPerImage") and isinstance(v, (int, float)) and v > 0:
                    found.append((path, v))
                walk(v, path + [k])
        elif isinstance(o, list):
            for i, v in enumerate(o):
                walk(v, path + [str(i)])
    walk(r, [])
    nm = [(p, v) for p, v in found if any("neuromask" in str(x).lower() for x in p)] or found
    if nm:
        out["seconds_per_image"] = nm[0][1]
        out["explanations_per_second"] = 1.0 / nm[0][1]
        out["from"] = "/".join(nm[0][0])
    return out


rec["paper_cifar10"] = explanations_per_second("paper-cifar10")
rec["paper_imagenet"] = explanations_per_second("paper-imagenet")

standin = None
if os.path.exists(os.path.join(work, "standin.json")):
    standin = json.load(open(os.path.join(work, "standin.json")))
rec["standin"] = standin if standin is not None else {"status": status.get("standin", {}).get("status", "not run")}
ratios = []
if standin:
    py = {r["batch"]: r["seconds_per_iteration"] * 1000 for r in standin.get("rows", [])}
    for key, r in bench.get("imagenet-squeezenet1.1", {}).items():
        b, ms = r.get("batch"), r.get("ms_per_iteration")
        if isinstance(b, int) and ms and b in py:
            ratios.append({"model": "imagenet-squeezenet1.1", "batch": b, "run": key, "jvm_ms_per_iteration": ms,
                           "pytorch_ms_per_iteration": py[b], "ratio": ms / py[b]})
ratios.sort(key=lambda r: r["batch"])
rec["ratios_jvm_over_pytorch"] = ratios
big = [r for r in ratios if r["batch"] >= 64]
rec["goal"] = {"ratio_at_most": RATIO_GOAL, "at_batch": ">= 64",
               "met": (all(r["ratio"] <= RATIO_GOAL for r in big) if big else None),
               "note": "only SqueezeNet 1.1 has a PyTorch stand-in; ResNet20 has no ratio"}
rec["steps"] = steps
json.dump(rec, open(out_path, "w"), indent=1)
print("combine.py: wrote", out_path)
