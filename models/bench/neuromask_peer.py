"""The PyTorch eager peer of the toolkit's NeuroMask iteration on a CPU, for `neuromask bench` to be compared with.

The same optimisation loop as io.neuromask.engine.neuromask.NeuroMaskLoss + internal.RmsProp, written the way a
PyTorch user would write it: input x * sigmoid(w / T) normalised with ImageNet's mean and std, loss per image
lp * CE(logits, target) + ls * mean|w + limit| + lsm * mean(laplacian_k(w)^2) (VALID border, k^2 (w - mean of the
k x k window)), summed over the batch; TF1 RMSProp without momentum (ms = 0.9 ms + 0.1 g^2, w -= lr g / sqrt(ms +
1e-10), ms from 1); the paper presets of io.neuromask.Preset (PAPER_CIFAR10 for ResNet20, PAPER_IMAGENET for
SqueezeNet 1.1). Like the toolkit's `bench` (io.neuromask.bench.Benchmark): seeded uniform-noise images of the
model's input size, the target the model's prediction, w ~ U(-10, 10); fp32, eager, no autocast, no JIT.

The weights come from the mirror (NEUROMASK_MIRROR or --mirror, laid out like /work/shared), as models/models.json
names them: ResNet20 from the akamaster checkpoint (models/cifar10-resnet/resnet20-12fca82f.th), SqueezeNet 1.1 from
the ONNX-zoo .npy files loaded into torchvision's architecture (as models/bench/gpu_neuromask_timing.py loads them).

It times `--iterations` steps after `--warmup` steps, `--rounds` times, and prints one JSON line per model and batch
with the best (smallest, the least disturbed by other load, as Benchmark reports) and the median ms per iteration, and
the best process CPU time per iteration (with one thread, the time on a CPU of its own; `bench --json` reports the
same as cpu_ms_per_iteration).

usage: /usr/bin/python3 models/bench/neuromask_peer.py [--models resnet20,squeezenet] [--batches 64,1]
           [--iterations 30] [--rounds 5] [--threads 2] [--mirror /work/shared] [--channels-last]
"""
import argparse
import json
import os
import statistics
import time

import numpy as np
import torch
import torch.nn as nn
import torch.nn.functional as F

# io.neuromask.Preset: (lp, ls, lsm, T, k, lr) with the paper's RMSProp (decay 0.9, eps 1e-10, accumulator 1) and
# start U(-10, 10)
PRESETS = {
    "paper-cifar10": dict(lp=0.4, ls=0.35, lsm=0.15, T=1.0, k=3, lr=0.03),
    "paper-imagenet": dict(lp=0.4, ls=0.35, lsm=0.03, T=0.3, k=5, lr=0.03),
}
DECAY, EPS, ACC0, LIMIT = 0.9, 1e-10, 1.0, 10.0


class BasicBlock(nn.Module):
    """The CIFAR ResNet basic block with the "option A" shortcut (subsample, zero-pad the channels)."""

    def __init__(self, cin, planes, stride):
        super().__init__()
        self.conv1 = nn.Conv2d(cin, planes, 3, stride, 1, bias=False)
        self.bn1 = nn.BatchNorm2d(planes)
        self.conv2 = nn.Conv2d(planes, planes, 3, 1, 1, bias=False)
        self.bn2 = nn.BatchNorm2d(planes)
        self.pad = (planes - cin) // 2 if (stride != 1 or cin != planes) else None
        self.stride = stride

    def forward(self, x):
        out = F.relu(self.bn1(self.conv1(x)))
        out = self.bn2(self.conv2(out))
        short = x
        if self.pad is not None:
            short = F.pad(x[:, :, ::self.stride, ::self.stride], (0, 0, 0, 0, self.pad, self.pad))
        return F.relu(out + short)


class CifarResNet(nn.Module):
    """He et al.'s CIFAR-10 ResNet of depth 6n + 2, with the module names of akamaster/pytorch_resnet_cifar10."""

    def __init__(self, depth, classes=10):
        super().__init__()
        n = (depth - 2) // 6
        self.conv1 = nn.Conv2d(3, 16, 3, 1, 1, bias=False)
        self.bn1 = nn.BatchNorm2d(16)
        cin = 16
        for stage, planes in enumerate([16, 32, 64]):
            blocks = []
            for i in range(n):
                blocks.append(BasicBlock(cin, planes, 2 if stage > 0 and i == 0 else 1))
                cin = planes
            setattr(self, "layer%d" % (stage + 1), nn.Sequential(*blocks))
        self.linear = nn.Linear(64, classes)

    def forward(self, x):
        out = F.relu(self.bn1(self.conv1(x)))
        out = self.layer3(self.layer2(self.layer1(out)))
        return self.linear(F.adaptive_avg_pool2d(out, 1).flatten(1))


def manifest(root):
    here = os.path.dirname(os.path.abspath(__file__))
    with open(os.path.join(here, "..", "models.json")) as f:
        models = {m["name"]: m for m in json.load(f)["models"]}
    return models


def resnet20(mirror, entry):
    ckpt = torch.load(os.path.join(mirror, entry["weights"]), map_location="cpu")
    state = ckpt.get("state_dict", ckpt)
    state = {k[len("module."):] if k.startswith("module.") else k: v for k, v in state.items()}
    model = CifarResNet(entry["depth"])
    model.load_state_dict(state)
    return model, (entry["inputHeight"], entry["inputWidth"]), "paper-cifar10"


def squeezenet(mirror, entry):
    import torchvision
    model = torchvision.models.squeezenet1_1()
    convs = [m for m in model.modules() if isinstance(m, nn.Conv2d)]
    folder = os.path.join(mirror, entry["weights"])
    assert len(convs) == 26, len(convs)
    with torch.no_grad():
        for i, c in enumerate(convs):
            c.weight.copy_(torch.from_numpy(np.load(os.path.join(folder, "squeezenet0_conv%d_weight.npy" % i))))
            c.bias.copy_(torch.from_numpy(np.load(os.path.join(folder, "squeezenet0_conv%d_bias.npy" % i))))
    return model, (entry["inputHeight"], entry["inputWidth"]), "paper-imagenet"


LOADERS = {"resnet20": ("cifar10-resnet20", resnet20), "squeezenet": ("imagenet-squeezenet1.1", squeezenet)}


def time_model(model, size, hp, batch, iterations, rounds, warmup, seed, channels_last=False):
    model = model.eval()
    if channels_last:
        model = model.to(memory_format=torch.channels_last)
    for p in model.parameters():
        p.requires_grad_(False)
    mean = torch.tensor([0.485, 0.456, 0.406]).view(1, 3, 1, 1)
    std = torch.tensor([0.229, 0.224, 0.225]).view(1, 3, 1, 1)
    h, w_ = size
    gen = torch.Generator().manual_seed(seed)
    x = torch.rand(batch, 3, h, w_, generator=gen)
    if channels_last:
        x = x.contiguous(memory_format=torch.channels_last)
    with torch.no_grad():
        target = model((x - mean) / std).argmax(1)
    k, r = hp["k"], hp["k"] // 2
    inv_t = 1.0 / hp["T"]

    def fresh():
        w = ((torch.rand(batch, 1, h, w_, generator=gen) * 2 - 1) * LIMIT).requires_grad_(True)
        return w, torch.full_like(w, ACC0)

    def step(w, ms):
        mask = torch.sigmoid(w * inv_t)
        logits = model((x * mask - mean) / std)
        ce = F.cross_entropy(logits, target, reduction="none")
        l1 = (w + LIMIT).abs().flatten(1).mean(1)
        lap = (w[:, :, r:-r, r:-r] - F.avg_pool2d(w, k, 1, 0)) * (k * k)
        smooth = lap.square().flatten(1).mean(1)
        loss = (hp["lp"] * ce + hp["ls"] * l1 + hp["lsm"] * smooth).sum()
        g, = torch.autograd.grad(loss, w)
        with torch.no_grad():
            ms.mul_(DECAY).addcmul_(g, g, value=1 - DECAY)
            w.sub_(hp["lr"] * g / (ms + EPS).sqrt())
        return loss

    times, cpu = [], []
    for _ in range(rounds):
        w, ms = fresh()
        for _ in range(warmup):
            step(w, ms)
        start, start_cpu = time.perf_counter(), time.process_time()
        for _ in range(iterations):
            step(w, ms)
        times.append((time.perf_counter() - start) * 1e3 / iterations)
        cpu.append((time.process_time() - start_cpu) * 1e3 / iterations)
    return times, cpu


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--models", default="resnet20,squeezenet")
    ap.add_argument("--batches", default="64,1")
    ap.add_argument("--iterations", type=int, default=30)
    ap.add_argument("--rounds", type=int, default=5)
    ap.add_argument("--warmup", type=int, default=3)
    ap.add_argument("--threads", type=int, default=2)
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument("--mirror", default=os.environ.get("NEUROMASK_MIRROR", "/work/shared"))
    ap.add_argument("--channels-last", action="store_true",
                    help="the model and images in torch.channels_last (a tuned peer; the default is PyTorch's NCHW)")
    args = ap.parse_args()
    torch.set_num_threads(args.threads)
    entries = manifest(args.mirror)
    for key in args.models.split(","):
        name, loader = LOADERS[key]
        model, size, preset = loader(args.mirror, entries[name])
        for batch in [int(b) for b in args.batches.split(",")]:
            times, cpu = time_model(model, size, PRESETS[preset], batch, args.iterations, args.rounds, args.warmup,
                               args.seed, args.channels_last)
            print(json.dumps({"peer": "pytorch-eager", "torch": torch.__version__, "threads": torch.get_num_threads(),
                              "model": name, "preset": preset, "batch": batch,
                              "memory_format": "channels_last" if args.channels_last else "nchw", "iterations": args.iterations,
                              "rounds": args.rounds, "ms_per_iteration": min(times),
                              "median_ms_per_iteration": statistics.median(times),
                              "cpu_ms_per_iteration": min(cpu),
                              "all_ms": [round(t, 3) for t in times]}), flush=True)


if __name__ == "__main__":
    main()
