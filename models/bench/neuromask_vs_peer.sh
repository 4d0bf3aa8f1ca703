#!/usr/bin/env bash
# The toolkit's NeuroMask iteration (`neuromask bench`) against its PyTorch eager peer (neuromask_peer.py), run
# alternately (toolkit, peer, toolkit, peer, ...) so that other load on the machine falls on both alike; prints every
# measurement as a JSON line, then per model and batch the median of each side's best-of-rounds times and the ratio
# toolkit / peer (below 1: the toolkit is faster); with THREADS=1 also the ratio of the process CPU times per iteration,
# which other load on a shared machine disturbs much less than the elapsed times (with 2 threads the CPU time also
# counts OpenMP's spinning, so compare elapsed times there).
#
# usage: models/bench/neuromask_vs_peer.sh [REPETITIONS] [THREADS]   (defaults 3 and 2)
# environment: MODELS (default "cifar10-resnet20 imagenet-squeezenet1.1"), BATCHES (default "64 1"),
#   ITERATIONS (default 30; the toolkit times iterations 2..N of each round, the peer N after 3 warm-up steps),
#   NEUROMASK_MIRROR (default /work/shared), PYTHON (default /usr/bin/python3, with torch and torchvision),
#   JAVA_OPTS (passed to the toolkit, e.g. -Dneuromask.foldBatchNorm=false for the unfolded ResNets,
#   -Dneuromask.memoryLayout=nchw for the built-in models in NCHW), PEER_TUNABLES=1 (run the peer with the launcher's
#   GLIBC_TUNABLES too, as the toolkit runs; unset, the peer gets glibc's defaults like a plain python3 process),
#   PEER_ARGS (extra arguments for the peer, e.g. --channels-last).
# Both sides use THREADS intra-op threads (NEUROMASK_THREADS for the toolkit, torch.set_num_threads for the peer).
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
reps="${1:-3}"
threads="${2:-2}"
models="${MODELS:-cifar10-resnet20 imagenet-squeezenet1.1}"
batches="${BATCHES:-64 1}"
iterations="${ITERATIONS:-30}"
python="${PYTHON:-/usr/bin/python3}"
export NEUROMASK_MIRROR="${NEUROMASK_MIRROR:-/work/shared}"
log="$(mktemp)"
trap 'rm -f "$log"' EXIT
for rep in $(seq 1 "$reps"); do
  for model in $models; do
    case "$model" in
      cifar10-resnet20) peer=resnet20 ;;
      imagenet-squeezenet1.1) peer=squeezenet ;;
      *) echo "no peer for model $model" >&2; exit 2 ;;
    esac
    for batch in $batches; do
      NEUROMASK_THREADS="$threads" "$root/neuromask" bench --model "$model" --batch "$batch" \
        --iterations "$iterations" --device cpu --json 2>/dev/null \
        | sed "s/^{/{\"side\":\"toolkit\",\"rep\":$rep,/" | tee -a "$log"
      tunables="${GLIBC_TUNABLES:-}"
      if [ "${PEER_TUNABLES:-}" = 1 ]; then
        tunables="glibc.malloc.arena_max=1:glibc.malloc.mmap_max=0:glibc.malloc.trim_threshold=4294967295:glibc.malloc.top_pad=268435456"
      fi
      # shellcheck disable=SC2086
      GLIBC_TUNABLES="$tunables" "$python" "$root/models/bench/neuromask_peer.py" --models "$peer" --batches "$batch" \
        --iterations "$iterations" --rounds 5 --threads "$threads" ${PEER_ARGS:-} \
        | sed "s/^{/{\"side\":\"peer\",\"rep\":$rep,/" | tee -a "$log"
    done
  done
done
"$python" - "$log" <<'EOF'
import json, statistics, sys
rows = [json.loads(l) for l in open(sys.argv[1]) if l.startswith("{")]
keys = sorted({(r["model"], r["batch"]) for r in rows})
for model, batch in keys:
    t = [r["ms_per_iteration"] for r in rows if r["side"] == "toolkit" and r["model"] == model and r["batch"] == batch]
    p = [r["ms_per_iteration"] for r in rows if r["side"] == "peer" and r["model"] == model and r["batch"] == batch]
    pairs = [a / b for a, b in zip(t, p)]
    tc = [r.get("cpu_ms_per_iteration", float("nan")) for r in rows if r["side"] == "toolkit" and r["model"] == model and r["batch"] == batch]
    pc = [r.get("cpu_ms_per_iteration", float("nan")) for r in rows if r["side"] == "peer" and r["model"] == model and r["batch"] == batch]
    print(json.dumps({"model": model, "batch": batch, "toolkit_ms": [round(x, 2) for x in t],
                      "toolkit_cpu_ms": [round(x, 2) for x in tc], "peer_cpu_ms": [round(x, 2) for x in pc],
                      "cpu_ratio_of_medians": statistics.median(tc) / statistics.median(pc),
                      "peer_ms": [round(x, 2) for x in p], "toolkit_median_ms": statistics.median(t),
                      "peer_median_ms": statistics.median(p),
                      "ratio_of_medians": statistics.median(t) / statistics.median(p),
                      "ratio_per_pair": [round(x, 3) for x in pairs]}))
EOF
