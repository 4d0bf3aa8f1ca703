#!/usr/bin/env bash
# The whole GPU check of the JVM toolkit in one run (issue 32): builds DJL's JNI against the machine's libtorch,
# points DJL at that libtorch, runs bench / quickstart / evaluate on the GPU and the PyTorch stand-in
# (models/bench/gpu_neuromask_timing.py), and writes one JSON, $OUT/gpu-jvm/gpu-jvm-bench.json, with the logs beside
# it (four files). Every check's failure is recorded in the JSON; none stops the others. The whole run keeps to
# GPU_JVM_BUDGET_S seconds (default 520, under the device's 10-minute limit): a check that no longer fits is
# recorded as skipped.
# Needs models/bench/gpu-jvm/stage/ from prepare.sh (carry it). See README.md here.
#   device:  bash models/bench/gpu-jvm/run-checks.sh
#   dry run on a CPU machine (same commands, --device cpu, a few iterations, DJL's CPU native jar from
#   toolkit/cli/target/lib put back on the class path, no JNI build, no stand-in):
#            GPU_JVM_DRY_RUN=1 OUT=/tmp/gpu-jvm-dry bash models/bench/gpu-jvm/run-checks.sh
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
root="$(cd "$here/../../.." && pwd)"
stage="$here/stage"
t0=$(date +%s)
budget="${GPU_JVM_BUDGET_S:-520}"
dry="${GPU_JVM_DRY_RUN:-0}"
res="${OUT:-$root/out}/gpu-jvm"
work="${GPU_JVM_WORK:-/tmp/gpu-jvm-work}"
rm -rf "$work"; mkdir -p "$res" "$work"
exec > >(tee "$res/checks.log") 2>&1
echo "run-checks.sh: $(date -u +%FT%TZ), budget ${budget}s, dry run: $dry, results in $res"
[ -f "$stage/jre.tar.xz" ] && [ -d "$stage/app/lib" ] && [ -d "$stage/mirror" ] \
  || { echo "run-checks.sh: $stage is incomplete; run models/bench/gpu-jvm/prepare.sh and carry models/bench/gpu-jvm/stage" >&2; exit 2; }

left() { echo $((budget - ($(date +%s) - t0))); }
# step NAME MIN_S MAX_S CMD...: runs CMD with stdout in $work/NAME.out and stderr in $work/NAME.err, under a timeout
# of MAX_S (cut to what is left of the budget), unless less than MIN_S is left; records the outcome in steps.jsonl
step() {
  local name="$1" min="$2" max="$3"; shift 3
  local l; l=$(left); local s; s=$(date +%s); local rc status
  if [ -f "$work/skip-jvm" ] && [[ "$name" != standin* ]] && [[ "$name" != env* ]]; then
    status="skipped: $(cat "$work/skip-jvm")"; rc=-1
  elif [ "$l" -lt "$min" ]; then
    status="skipped: ${l}s of the budget left, the check needs at least ${min}s"; rc=-1
  else
    local t=$(( max < l - 10 ? max : l - 10 ))
    echo "== $name (timeout ${t}s): $*"
    if timeout -k 5 "$t" "$@" > "$work/$name.out" 2> "$work/$name.err"; then rc=0; else rc=$?; fi
    if [ "$rc" = 0 ]; then status=ok; elif [ "$rc" = 124 ] || [ "$rc" = 137 ]; then status="timeout after ${t}s"; else status="failed (exit $rc)"; fi
    tail -c 2000 "$work/$name.err" | sed 's/^/   | /' | tail -15
  fi
  echo "   $name: $status ($(( $(date +%s) - s ))s)"
  python3 -c 'import json,sys; print(json.dumps({"name":sys.argv[1],"status":sys.argv[2],"rc":int(sys.argv[3]),"seconds":int(sys.argv[4]),"command":sys.argv[5:]}))' \
    "$name" "$status" "$rc" "$(( $(date +%s) - s ))" "$@" >> "$work/steps.jsonl"
  [ "$rc" = 0 ]
}

# ---- the Java runtime, DJL's environment
rm -rf /tmp/gpu-jvm-jre && tar -C /tmp -xJf "$stage/jre.tar.xz" && mv /tmp/jre /tmp/gpu-jvm-jre
export JAVA_HOME=/tmp/gpu-jvm-jre
java="$JAVA_HOME/bin/java"
export NEUROMASK_MIRROR="$stage/mirror" NEUROMASK_CACHE="$work/neuromask-cache"
export GLIBC_TUNABLES="${GLIBC_TUNABLES:-glibc.malloc.arena_max=1:glibc.malloc.mmap_max=0:glibc.malloc.trim_threshold=4294967295:glibc.malloc.top_pad=268435456}"
export DJL_OFFLINE=true            # ai.djl.util.Utils#isOfflineMode reads DJL_OFFLINE, then -Dai.djl.offline
cp=("$stage/app/neuromask-toolkit.jar")
if [ "$dry" = 1 ]; then
  dev=cpu
  # the dry run only: DJL's bundled CPU libtorch 2.7.1 and its prebuilt JNI, as the normal build runs
  for j in "$root"/toolkit/cli/target/lib/pytorch-native-cpu-*.jar "$root"/toolkit/cli/target/lib/pytorch-jni-*.jar; do
    [ -f "$j" ] || { echo "run-checks.sh: dry run needs $j (mvn package the CLI)" >&2; exit 2; }
    cp+=("$j")
  done
else
  dev=gpu
  export DJL_CACHE_DIR="$work/djl-cache"
fi
classpath="$(IFS=:; echo "${cp[*]}")"
# the CLI as a program (timeout runs programs, not shell functions)
printf '#!/usr/bin/env bash\nexec "%s" -Dai.djl.offline=true ${JAVA_OPTS:-} -cp "%s" io.neuromask.cli.Main "$@"\n' "$java" "$classpath" > "$work/nm"
chmod +x "$work/nm"
nm="$work/nm"

# iterations and sizes: the issue's on the GPU, a few in the dry run
if [ "$dry" = 1 ]; then
  it_r=3; it_s=2; it_q=10; n_c=4; n_i=2; it_e="--iterations 3"; big_r=8; big_s=2; auto="2"
else
  it_r=100; it_s=50; it_q=2000; n_c=1000; n_i=256; it_e=""; big_r=512; big_s=256; auto="auto"
fi

# ---- 1. the machine
step env-gpu 5 30 bash -c 'nvidia-smi --query-gpu=name,driver_version,memory.total --format=csv,noheader' || true
step env-torch 5 60 python3 -c 'import json, torch; print(json.dumps({"torch": torch.__version__, "cuda": torch.version.cuda, "cuda_available": torch.cuda.is_available(), "device": torch.cuda.get_device_name(0) if torch.cuda.is_available() else None, "cmake_prefix_path": torch.utils.cmake_prefix_path}))' || true
step env-java 5 30 "$java" -version || true

# ---- 2. the JNI against the machine's libtorch, and DJL pointed at it
if [ "$dry" = 1 ]; then
  echo '{"name":"build-jni","status":"skipped: dry run (DJL CPU native jar on the class path)","rc":-1,"seconds":0,"command":[]}' >> "$work/steps.jsonl"
elif step build-jni 60 300 bash "$here/build-jni.sh"; then
  line="$(grep '^build-jni.sh: PYTORCH_LIBRARY_PATH=' "$work/build-jni.out" | tail -1)"
  for kv in ${line#build-jni.sh: }; do export "${kv?}"; done     # PYTORCH_LIBRARY_PATH, _VERSION, _FLAVOR, DJL_CACHE_DIR
  echo "   DJL: PYTORCH_LIBRARY_PATH=$PYTORCH_LIBRARY_PATH PYTORCH_VERSION=$PYTORCH_VERSION PYTORCH_FLAVOR=$PYTORCH_FLAVOR DJL_CACHE_DIR=$DJL_CACHE_DIR DJL_OFFLINE=$DJL_OFFLINE"
else
  echo "the JNI did not build (build-jni.err)" > "$work/skip-jvm"
fi

# ---- 3. the toolkit on the device: a smoke test first (one engine start), then the checks by priority
step smoke 20 120 "$nm" bench --model test-cnn32 --batch 4 --iterations 5 --device "$dev" --json \
  || { [ -f "$work/skip-jvm" ] || echo "the smoke test failed (smoke.err)" > "$work/skip-jvm"; }
step bench-resnet20-b64 20 90 "$nm" bench --model cifar10-resnet20 --batch 64 --iterations "$it_r" --device "$dev" --json || true
step bench-squeezenet-b64 20 90 "$nm" bench --model imagenet-squeezenet1.1 --batch 64 --iterations "$it_s" --device "$dev" --json || true
if [ "$dry" = 1 ]; then
  echo '{"name":"standin","status":"skipped: dry run (no CUDA here)","rc":-1,"seconds":0,"command":[]}' >> "$work/steps.jsonl"
else
  step standin 60 150 env PYTHONUNBUFFERED=1 python3 "$root/models/bench/gpu_neuromask_timing.py" \
    "$stage/mirror/models/squeezenet1.1/weights" "$stage/mirror/imagenet-256/images" "$work/standin.json" || true
fi
step bench-resnet20-b1 20 90 "$nm" bench --model cifar10-resnet20 --batch 1 --iterations "$it_r" --device "$dev" --json || true
step bench-squeezenet-b1 20 90 "$nm" bench --model imagenet-squeezenet1.1 --batch 1 --iterations "$it_s" --device "$dev" --json || true
step horse-cpu 20 120 "$nm" quickstart --no-kernel --device cpu --iterations "$it_q" --out "$work/horse-cpu" || true
step horse-gpu 20 90 "$nm" quickstart --no-kernel --device "$dev" --iterations "$it_q" --out "$work/horse-gpu" || true
step bench-squeezenet-b$big_s 20 90 "$nm" bench --model imagenet-squeezenet1.1 --batch "$big_s" --iterations "$it_s" --device "$dev" --json || true
step bench-resnet20-b$big_r 20 90 "$nm" bench --model cifar10-resnet20 --batch "$big_r" --iterations "$it_r" --device "$dev" --json || true
step bench-resnet20-auto 30 120 "$nm" bench --model cifar10-resnet20 --batch "$auto" --iterations "$it_r" --device "$dev" --json || true
step bench-squeezenet-auto 30 120 "$nm" bench --model imagenet-squeezenet1.1 --batch "$auto" --iterations "$it_s" --device "$dev" --json || true
# shellcheck disable=SC2086
step paper-cifar10 60 150 "$nm" evaluate --model cifar10-resnet20 --data cifar10-test --limit "$n_c" --objective neuromask \
  --preset paper-cifar10 --chunk "$n_c" --batch "$n_c" $it_e --device "$dev" --json || true
# shellcheck disable=SC2086
step paper-imagenet 60 200 "$nm" evaluate --model imagenet-squeezenet1.1 --data-dir "$stage/mirror/imagenet-256" --limit "$n_i" \
  --objective neuromask --preset paper-imagenet --chunk "$n_i" --batch "$n_i" $it_e --device "$dev" --json || true

# ---- 4. one JSON
cp "$work/build-jni.out" "$res/build-jni.log" 2>/dev/null && cat "$work/build-jni.err" >> "$res/build-jni.log" || true
[ -f "$work/standin.json" ] && cp "$work/standin.json" "$res/standin.json"
python3 "$here/combine.py" "$work" "$res/gpu-jvm-bench.json" "$dry" "$budget" "$(( $(date +%s) - t0 ))"
echo "run-checks.sh: done in $(( $(date +%s) - t0 ))s; $res: $(ls "$res" | tr '\n' ' ')"
