"""GPU timing of the NeuroMask optimisation loop, for the scale-out projection in docs/scale-out.md.

The Java toolkit runs on DJL's libtorch 2.7.1; the lent GPU machine has no JVM build of DJL for its CUDA, so this
script re-states the same loop in PyTorch to time it on the GPU: SqueezeNet 1.1 (the mirror's ONNX-zoo weights,
loaded into torchvision's architecture), input x * sigmoid(w / T), loss = lp * CE + ls * mean|w + limit|
+ lsm * mean(laplacian_k(w)^2) per image, TF1 RMSProp (io.neuromask.internal.Objective, Preset.PAPER_IMAGENET and
FAST_IMAGENET). It measures seconds per iteration at several batch sizes (fp32, PyTorch defaults, eager) and
prints seconds per image at the presets' iteration counts. It is a timing proxy, not the toolkit.

usage: python3 gpu_neuromask_timing.py WEIGHTS_DIR IMAGES_DIR OUT.json
"""
import json, os, sys, time, glob
import numpy as np
import torch
import torch.nn.functional as F
import torchvision
from PIL import Image

weights_dir, images_dir, out_path = sys.argv[1:4]
dev = torch.device("cuda")
torch.manual_seed(0)

model = torchvision.models.squeezenet1_1(weights=None)
convs = [m for m in model.modules() if isinstance(m, torch.nn.Conv2d)]
assert len(convs) == 26, len(convs)
with torch.no_grad():
    for i, c in enumerate(convs):
        c.weight.copy_(torch.from_numpy(np.load(f"{weights_dir}/squeezenet0_conv{i}_weight.npy")))
        c.bias.copy_(torch.from_numpy(np.load(f"{weights_dir}/squeezenet0_conv{i}_bias.npy")))
model = model.to(dev).eval()
for p in model.parameters():
    p.requires_grad_(False)
mean = torch.tensor([0.485, 0.456, 0.406], device=dev).view(1, 3, 1, 1)
std = torch.tensor([0.229, 0.224, 0.225], device=dev).view(1, 3, 1, 1)

def logits(x):
    return model((x - mean) / std)

files = sorted(glob.glob(f"{images_dir}/*.JPEG"))
imgs = [torch.from_numpy(np.asarray(Image.open(f).convert("RGB").resize((224, 224), Image.BILINEAR),
                                    dtype=np.float32) / 255.0).permute(2, 0, 1) for f in files]
base = torch.stack(imgs).to(dev)
with torch.no_grad():
    pred = logits(base).argmax(1)

PRESETS = {
    "paper-imagenet": dict(lp=0.4, ls=0.35, lsm=0.03, T=0.3, k=5, its=2000, lr=0.03, decay=0.9, eps=1e-10, acc0=1.0,
                           limit=10.0, spread=1.0),
    "fast-imagenet": dict(lp=0.4, ls=0.35, lsm=0.03, T=0.3, k=5, its=200, lr=0.1, decay=0.9, eps=1e-10, acc0=0.0,
                          limit=10.0, spread=0.0),
}

def run(n, hp, iterations, warmup=3):
    idx = torch.arange(n, device=dev) % base.shape[0]
    x = base[idx]
    target = pred[idx]
    w = ((torch.rand(n, 1, 224, 224, device=dev) * 2 - 1) * hp["limit"] * hp["spread"]).requires_grad_(True)
    ms = torch.full_like(w, hp["acc0"])
    k, r = hp["k"], hp["k"] // 2
    def step():
        mask = torch.sigmoid(w / hp["T"])
        ce = F.cross_entropy(logits(x * mask), target, reduction="none")
        l1 = (w + hp["limit"]).abs().flatten(1).mean(1)
        lap = (w[:, :, r:-r, r:-r] - F.avg_pool2d(w, k, 1, 0)) * (k * k)
        smooth = lap.square().flatten(1).mean(1)
        loss = (hp["lp"] * ce + hp["ls"] * l1 + hp["lsm"] * smooth).sum()
        g, = torch.autograd.grad(loss, w)
        with torch.no_grad():
            ms.mul_(hp["decay"]).addcmul_(g, g, value=1 - hp["decay"])
            w.sub_(hp["lr"] * g / (ms + hp["eps"]).sqrt())
    for _ in range(warmup):
        step()
    torch.cuda.synchronize()
    t = time.perf_counter()
    for _ in range(iterations):
        step()
    torch.cuda.synchronize()
    return (time.perf_counter() - t) / iterations

res = {"device": torch.cuda.get_device_name(0), "torch": torch.__version__, "images": len(files), "rows": []}
for n in [1, 8, 32, 64, 128, 256, 512]:
    per_it = run(n, PRESETS["paper-imagenet"], 30 if n <= 128 else 15)
    row = {"batch": n, "seconds_per_iteration": per_it,
           "paper_s_per_image": per_it * 2000 / n, "fast_s_per_image": per_it * 200 / n}
    res["rows"].append(row)
    print(json.dumps(row), flush=True)
# one whole run of each preset at batch 64, to check the extrapolation from the timed iterations
for name in ["fast-imagenet", "paper-imagenet"]:
    hp = PRESETS[name]
    t = time.perf_counter()
    per_it = run(64, hp, hp["its"], warmup=0)
    whole = time.perf_counter() - t
    res["whole_run_batch64_" + name] = {"seconds": whole, "s_per_image": whole / 64}
    print(name, "whole run, batch 64:", whole, "s", flush=True)
json.dump(res, open(out_path, "w"), indent=1)
