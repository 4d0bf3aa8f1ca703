#!/usr/bin/env bash
# Builds DJL 0.36.0's PyTorch JNI (libdjl_torch.so) from stage/djl/ (prepare.sh) against the libtorch of this
# machine, and installs it where DJL looks for it when PYTORCH_LIBRARY_PATH points at that libtorch:
#   $DJL_CACHE_DIR/pytorch/<PYTORCH_VERSION>-<PYTORCH_FLAVOR>-linux-x86_64/0.36.0-libdjl_torch.so
# (ai.djl.pytorch.jni.LibUtils#findJniLibrary; see README.md).
# usage: build-jni.sh
# Environment:
#   TORCH_CMAKE_PREFIX  a CMake prefix holding Torch's package config (default: the one of python3's torch,
#                       torch.utils.cmake_prefix_path); e.g. /usr/lib/x86_64-linux-gnu/cmake for Debian's libtorch-dev
#   JAVA_HOME           a Java runtime with include/jni.h (default: /tmp/gpu-jvm-jre, unpacked by run-checks.sh)
#   DJL_CACHE_DIR       where the library is installed (default /tmp/gpu-jvm-djl-cache)
#   PYTORCH_VERSION, PYTORCH_FLAVOR  the names DJL is given (default: the libtorch's version, and cu<NNN> of the
#                       CUDA it was built with, or cpu)
#   BUILD_DIR           (default /tmp/gpu-jvm-jni-build); JNI_FORCE=1 compiles even below the libtorch version needed
# Prints, last, one line 'JNI <path>' on success.
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
src="$here/stage/djl/engines/pytorch/pytorch-native"
need="2.7.0"     # DJL 0.36.0's pytorch-native is written for libtorch 2.7.x (its pytorch-jni is 2.7.1-0.36.0)
djl_version="0.36.0"
die() { echo "build-jni.sh: $*" >&2; exit 1; }
[ -f "$src/CMakeLists.txt" ] || die "no DJL sources in $src; run models/bench/gpu-jvm/prepare.sh on the CPU machine and carry models/bench/gpu-jvm/stage"
export JAVA_HOME="${JAVA_HOME:-/tmp/gpu-jvm-jre}"
[ -f "$JAVA_HOME/include/jni.h" ] || die "no jni.h under JAVA_HOME=$JAVA_HOME/include; unpack stage/jre.tar.xz (run-checks.sh does) or set JAVA_HOME to a JDK"
command -v cmake >/dev/null || die "cmake not found"

prefix="${TORCH_CMAKE_PREFIX:-}"
if [ -z "$prefix" ]; then
  prefix="$(python3 -c 'import torch; print(torch.utils.cmake_prefix_path)' 2>/dev/null)" \
    || die "python3 cannot import torch; set TORCH_CMAKE_PREFIX to a CMake prefix holding Torch/TorchConfig.cmake"
fi
cfgver="$(ls "$prefix"/Torch/TorchConfigVersion.cmake "$prefix"/*/Torch/TorchConfigVersion.cmake 2>/dev/null | head -1 || true)"
[ -n "$cfgver" ] || die "no Torch/TorchConfigVersion.cmake under $prefix"
found="$(sed -n 's/^ *set(PACKAGE_VERSION "\([^"]*\)").*/\1/p' "$cfgver" | head -1)"
[ -n "$found" ] || die "cannot read the libtorch version from $cfgver"
torch_dir="$(cd "$(dirname "$cfgver")/../../.." && pwd)"      # <root>/share/cmake/Torch -> <root>
torch_lib="$torch_dir/lib"
if [ ! -f "$torch_lib/libtorch.so" ]; then     # a distribution's layout, e.g. /usr/lib/x86_64-linux-gnu
  so="$(find "$torch_dir" -maxdepth 3 -name libtorch.so 2>/dev/null | head -1)"
  [ -n "$so" ] || die "no libtorch.so under $torch_dir"
  torch_lib="$(dirname "$so")"
fi
echo "build-jni.sh: libtorch $found (config $cfgver, libraries $torch_lib)"
if [ "$(printf '%s\n%s\n' "$need" "$found" | sort -V | head -1)" != "$need" ] && [ "${JNI_FORCE:-0}" != 1 ]; then
  die "libtorch $found is older than the $need that DJL $djl_version's JNI is made for (its pytorch-jni is 2.7.1-0.36.0; below 2.2 the JNI_FORCE build compiles with PT_VERSION=V1_13_X but is untested); use the GPU machine's PyTorch ($need or newer), or JNI_FORCE=1 to try anyway"
fi

cuda=""
if [ -f "$torch_lib/libtorch_cuda.so" ]; then
  cuda="$(python3 -c 'import torch; print(torch.version.cuda or "")' 2>/dev/null || true)"
  [ -n "$cuda" ] || cuda="$(nvcc --version 2>/dev/null | sed -n 's/.*release \([0-9]*\)\.\([0-9]*\).*/\1.\2/p')"
  [ -n "$cuda" ] || die "libtorch has CUDA libraries but the CUDA version is unknown (no torch.version.cuda, no nvcc)"
fi
export PYTORCH_VERSION="${PYTORCH_VERSION:-${found%%+*}}"
if [ -n "$cuda" ]; then
  major="${cuda%%.*}"; minor="${cuda#*.}"; minor="${minor%%.*}"
  export PYTORCH_FLAVOR="${PYTORCH_FLAVOR:-cu${major}${minor}}"   # 13.0 -> cu130, as DJL names flavors
else
  export PYTORCH_FLAVOR="${PYTORCH_FLAVOR:-cpu}"
fi

build="${BUILD_DIR:-/tmp/gpu-jvm-jni-build}"
rm -rf "$build"; mkdir -p "$build"
gen=(); command -v ninja >/dev/null && gen=(-G Ninja)
# as DJL's build.sh: USE_CUDA for a CUDA libtorch; PT_VERSION=V1_13_X for 1.13-2.1 (below $need: JNI_FORCE only)
args=(-S "$src" -B "$build" "${gen[@]}" -DCMAKE_BUILD_TYPE=Release -DCMAKE_PREFIX_PATH="$prefix"
      -DCMAKE_CXX_FLAGS="-Wno-deprecated-declarations"
      -DCMAKE_SHARED_LINKER_FLAGS="-Wl,-rpath,$torch_lib")
[ -n "$cuda" ] && args+=(-DUSE_CUDA=1)
[[ "$found" =~ ^(1\.13\.|2\.0\.|2\.1\.) ]] && args+=(-DPT_VERSION=V1_13_X)   # build.sh's switch for 1.13.1-2.1
# Torch's CMake config looks for the GPU's architecture when none is named; the check only links, no CUDA code
[ -n "$cuda" ] && export TORCH_CUDA_ARCH_LIST="${TORCH_CUDA_ARCH_LIST:-9.0}"
cmake "${args[@]}" || die "cmake could not configure against libtorch $found at $prefix"
keep=(); [ ${#gen[@]} -gt 0 ] && keep=(-- -k 0)     # ninja: compile every file, so that all errors show at once
if ! cmake --build "$build" -j "$(nproc)" "${keep[@]}"; then
  die "compiling DJL $djl_version's JNI against libtorch $found failed (DJL $djl_version expects libtorch $need-2.7.x); the compiler's errors are above"
fi
so="$build/libdjl_torch.so"
[ -f "$so" ] || die "the build made no $so"
cache="${DJL_CACHE_DIR:-/tmp/gpu-jvm-djl-cache}"
dest="$cache/pytorch/$PYTORCH_VERSION-$PYTORCH_FLAVOR-linux-x86_64"
mkdir -p "$dest"; cp "$so" "$dest/$djl_version-libdjl_torch.so"
echo "build-jni.sh: PYTORCH_LIBRARY_PATH=$torch_lib PYTORCH_VERSION=$PYTORCH_VERSION PYTORCH_FLAVOR=$PYTORCH_FLAVOR DJL_CACHE_DIR=$cache"
echo "JNI $dest/$djl_version-libdjl_torch.so"
