#!/usr/bin/env bash
# Prepares, on a machine with a JDK 17, Maven and the model mirror, everything the GPU check needs, in the ignored
# folder models/bench/gpu-jvm/stage/ (the one path named in the device call's `carry`; see README.md here):
#   stage/jre.tar.xz   a jlink'd Java 17 runtime (only the modules the CLI needs, native code stripped) with the
#                      JDK's include/ (jni.h) beside it, xz-compressed; run-checks.sh unpacks it into /tmp
#   stage/djl/         DJL v0.36.0's engines/pytorch/pytorch-native and api/src/main/native (from a git snapshot of
#                      deepjavalibrary/djl, never committed) plus the JNI header made here with javac -h
#   stage/app/         the CLI's shaded jar and its lib/, without the CPU libtorch jar, without DJL's prebuilt JNI
#                      jar for libtorch 2.7.1, and without the table/chart/PDF libraries (see SKIP_JARS)
#   stage/mirror/      the model and data files the checks read, laid out like the mirror (NEUROMASK_MIRROR)
# and prints the size of what travels.
# Environment: DJL_SNAPSHOT (git directory of a deepjavalibrary/djl snapshot, default the one the fetch tool made),
#   DJL_TAG (v0.36.0), NEUROMASK_MIRROR (/work/shared), NEUROMASK_CACHE (~/.neuromask/cache; used where the
#   mirror lacks a file), JAVA_HOME (the JDK 17 that jlink and javac come from).
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
root="$(cd "$here/../../.." && pwd)"
stage="$here/stage"
snap="${DJL_SNAPSHOT:-/work/.mirror/deepjavalibrary+djl/repo}"
tag="${DJL_TAG:-v0.36.0}"
mirror="${NEUROMASK_MIRROR:-/work/shared}"
cache="${NEUROMASK_CACHE:-$HOME/.neuromask/cache}"
java_home="${JAVA_HOME:-$(dirname "$(dirname "$(readlink -f "$(command -v javac)")")")}"
# libraries only the table, chart, PDF and sweep code uses (Tablesaw with fastutil and icu4j, XChart, PDFBox): 46 MB
# that would not fit the 64 MiB the device call carries. The checks (bench, quickstart, evaluate --json) never load
# them; the CPU dry run of run-checks.sh (README.md) runs the same commands on this class path to prove it.
SKIP_JARS='^(pytorch-native-|pytorch-jni-|tablesaw-|fastutil-|icu4j-|RoaringBitmap-|univocity-|classgraph-|xchart-|VectorGraphics2D-|graphics2d-|pdfbox-|fontbox-|commons-logging-)'
MODULES=java.base,java.desktop,java.logging,java.management,java.net.http,java.sql,jdk.unsupported,jdk.zipfs

die() { echo "prepare.sh: $*" >&2; exit 1; }
for tool in jlink javac git xz tar strip; do
  command -v "$tool" >/dev/null || die "'$tool' not found; install it (jlink/javac: a JDK 17, e.g. apt-get install openjdk-17-jdk-headless)"
done
"$java_home/bin/javac" -version 2>&1 | grep -q ' 17\.' \
  || die "JAVA_HOME=$java_home is not a JDK 17 ($("$java_home/bin/javac" -version 2>&1)); the runtime must match the jars' release 17"
git --git-dir="$snap" rev-parse -q --verify "$tag^{commit}" >/dev/null \
  || die "no tag $tag in the DJL snapshot $snap; fetch github:deepjavalibrary/djl and set DJL_SNAPSHOT to its git directory"

rm -rf "$stage"; mkdir -p "$stage"/{app/lib,djl,mirror}

echo "== 1. the CLI's jars"
(cd "$root" && mvn -B -q -o -Dneuromask.cliOnly -pl toolkit/cli -am -DskipTests package) || die "the CLI build failed"
cp "$root/toolkit/cli/target/neuromask-toolkit.jar" "$stage/app/"
for j in "$root"/toolkit/cli/target/lib/*.jar; do
  n="$(basename "$j")"
  if [[ "$n" =~ $SKIP_JARS ]]; then echo "   left out: $n"; else cp "$j" "$stage/app/lib/"; fi
done

echo "== 2. jlink runtime ($MODULES)"
rm -rf "$stage/.jre-tmp"; mkdir -p "$stage/.jre-tmp"
# --compress=0: xz below compresses the uncompressed module image better (17 MB) than jlink's zip (28 MB)
"$java_home/bin/jlink" --add-modules "$MODULES" --compress=0 --strip-debug --no-header-files --no-man-pages \
  --output "$stage/.jre-tmp/jre"
strip --strip-unneeded "$stage/.jre-tmp/jre/lib/server/libjvm.so"
cp -r "$java_home/include" "$stage/.jre-tmp/jre/include"        # jni.h and linux/jni_md.h for build-jni.sh
tar -C "$stage/.jre-tmp" -cf - jre | xz -T0 -6 > "$stage/jre.tar.xz"
"$stage/.jre-tmp/jre/bin/java" -cp "$stage/app/neuromask-toolkit.jar" io.neuromask.cli.Main --version \
  || die "the jlink runtime does not start the CLI"
rm -rf "$stage/.jre-tmp"

echo "== 3. DJL $tag pytorch-native sources from $snap"
git --git-dir="$snap" archive "$tag" engines/pytorch/pytorch-native api/src/main/native \
    engines/pytorch/pytorch-engine/src/main/java/ai/djl/pytorch/jni/PyTorchLibrary.java | tar -x -C "$stage/djl"
git --git-dir="$snap" rev-parse "$tag^{commit}" > "$stage/djl/COMMIT"
# the JNI header (build.sh makes it with javac -h on the device; no javac travels, so it is made here against the
# same DJL jars the CLI runs with)
mkdir -p "$stage/.javac"
"$java_home/bin/javac" -nowarn -h "$stage/djl/engines/pytorch/pytorch-native/build/include" -d "$stage/.javac" \
  -cp "$stage/app/lib/*" "$stage/djl/engines/pytorch/pytorch-engine/src/main/java/ai/djl/pytorch/jni/PyTorchLibrary.java"
rm -rf "$stage/.javac"
ls "$stage/djl/engines/pytorch/pytorch-native/build/include/ai_djl_pytorch_jni_PyTorchLibrary.h" >/dev/null

echo "== 4. model and data files (from $mirror, else $cache)"
copy() {  # copy a mirror-relative path into stage/mirror
  local rel="$1" src=""
  if [ -e "$mirror/$rel" ]; then src="$mirror/$rel"; elif [ -e "$cache/$rel" ]; then src="$cache/$rel"; fi
  [ -n "$src" ] || die "$rel is neither in the mirror ($mirror) nor in the cache ($cache); run './neuromask models fetch' or set NEUROMASK_MIRROR"
  mkdir -p "$stage/mirror/$(dirname "$rel")"; cp -r "$src" "$stage/mirror/$rel"
}
copy models/cifar10-resnet/resnet20-12fca82f.th
copy models/squeezenet1.1/weights
copy data/cifar10/test_batch_first1000.bin
copy data/imagenet/synset_words.txt                  # SqueezeNet's class names (the dry run found it missing)
# 256 ImageNet images in the val-sample layout (evaluate --data-dir; the stand-in reads the same images/)
vs="data/imagenet/val-sample"
src_vs="$mirror/$vs"; [ -d "$src_vs" ] || src_vs="$cache/$vs"
[ -f "$src_vs/annotations.csv" ] || die "$vs/annotations.csv not found in $mirror or $cache"
mkdir -p "$stage/mirror/imagenet-256/images"
head -1 "$src_vs/annotations.csv" > "$stage/mirror/imagenet-256/annotations.csv"
tail -n +2 "$src_vs/annotations.csv" | sort | head -256 > "$stage/.rows"
while IFS=, read -r file _; do cp "$src_vs/images/$file" "$stage/mirror/imagenet-256/images/"; done < "$stage/.rows"
cat "$stage/.rows" >> "$stage/mirror/imagenet-256/annotations.csv"; rm "$stage/.rows"
[ "$(ls "$stage/mirror/imagenet-256/images" | wc -l)" = 256 ] || die "expected 256 ImageNet images in $src_vs"

echo "== sizes (the device call carries at most 64 MiB: this folder plus the repository's tracked and untracked files)"
du -sh "$stage"/* | sed 's/^/   /'
stage_b=$(du -sb "$stage" | cut -f1)
tree_b=$(cd "$root" && { git ls-files -z; git ls-files -z --others --exclude-standard; } | xargs -0 -r du -cb 2>/dev/null | awk '/\ttotal$/ {s+=$1} END {print s+0}')
total=$((stage_b + tree_b))
printf '   stage %.1f MiB + working tree %.1f MiB = %.1f MiB of 64 MiB\n' \
  "$(echo "$stage_b/1048576" | bc -l)" "$(echo "$tree_b/1048576" | bc -l)" "$(echo "$total/1048576" | bc -l)"
[ "$total" -lt $((64 * 1048576)) ] || die "over the 64 MiB the device call carries"
echo "prepare.sh: ready; see models/bench/gpu-jvm/README.md for the device call"
