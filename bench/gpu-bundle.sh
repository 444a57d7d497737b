#!/usr/bin/env bash
# Packs what bench/gpu-check.sh needs into one folder, for a GPU machine that has no JDK, no Maven and no network
# (a cloud GPU box, a cluster node): a trimmed Java runtime, the runnable jar, the test classes of the OpenCL tests
# with their libraries and JUnit's console launcher, and Debian's OpenCL ICD loader and clinfo packages (GPU images
# often ship the vendor's OpenCL driver without the loader that finds it).
# Usage (on a machine with the JDK, Maven and apt):
#   bench/gpu-bundle.sh DIR        then copy the repository with DIR to the GPU machine and run there
#   SIPFLOW_GPU_BUNDLE=DIR bench/gpu-check.sh
#   MVN="mvn -o" bench/gpu-bundle.sh DIR     (offline Maven)
# The runtime is linked from $JAVA_HOME (or Temurin 25 where installed), so it is x86-64 Linux like this machine.
set -euo pipefail
cd "$(dirname "$0")/.."
out="${1:?usage: bench/gpu-bundle.sh DIR}"
mkdir -p "$out"
out="$(cd "$out" && pwd)"
mvn="${MVN:-mvn} -B -ntp -q"
jdk="${JAVA_HOME:-}"
[ -z "$jdk" ] && [ -d /usr/lib/jvm/temurin-25-jdk-amd64 ] && jdk=/usr/lib/jvm/temurin-25-jdk-amd64
[ -x "$jdk/bin/jlink" ] || { echo "gpu-bundle: no jlink under JAVA_HOME='$jdk'" >&2; exit 2; }

echo "== build (tests compiled, not run)"
# -DskipTests still compiles the test classes; the tests module is the reactor's last, so its test classpath is
# the one left in the file
$mvn package dependency:build-classpath -DskipTests -Dmaven.javadoc.skip -Dmaven.source.skip \
    -Dmdep.includeScope=test -Dmdep.outputFile="$out/m2-classpath.txt" -pl physics/app,gpu,tests -am
grep -q jqwik "$out/m2-classpath.txt" || { echo "gpu-bundle: the test classpath was not the tests module's" >&2; exit 1; }
$mvn -N dependency:copy -Dartifact=org.junit.platform:junit-platform-console-standalone:1.14.1 \
    -DoutputDirectory="$out/lib"

echo "== runtime: jlink from $jdk, packed as jre.tar.xz (21 MB instead of 98; gpu-check.sh unpacks it)"
tmp="$(mktemp -d)"
trap 'rm -rf "$tmp"' EXIT
"$jdk/bin/jlink" --add-modules java.base,java.logging,java.management,java.desktop,java.xml,java.naming,java.sql,jdk.incubator.vector,jdk.jfr,jdk.management,jdk.unsupported,java.scripting,jdk.zipfs \
    --strip-debug --no-header-files --no-man-pages --output "$tmp/jre" 2>&1 | grep -v 'incubator modules' || true
XZ_OPT=-9 tar -C "$tmp" -cJf "$out/jre.tar.xz" jre

echo "== jar and test classpath"
# the runnable jar without the natives of other systems (Windows' libstdc++ alone is 50 MB)
cp physics/app/target/sipflow.jar "$out/sipflow.jar"
zip -q -d "$out/sipflow.jar" 'win/*' 'osx/*' 'linux/libaparapi_aarch64.so' 'linux/libaparapi_armhf.so' \
    'linux/libaparapi_x86.so' 'org/jline/nativ/FreeBSD/*' 'org/jline/nativ/Windows/*' 'org/jline/nativ/Mac/*' \
    >/dev/null 2>&1 || true
rm -rf "$out/classes"
mkdir -p "$out/classes" "$out/lib"
cp -r gpu/target/test-classes "$out/classes/gpu-tests"
cp -r tests/target/test-classes "$out/classes/tests"
# sipflow.jar holds the main modules and their libraries; the tests also need this build's test kit
# module (never the jars a repository cache may hold from an older build) and the test libraries; JUnit comes
# from the console launcher, Aparapi's natives from sipflow.jar
cp tests/testkit/target/sipflow-testkit-0.2.0.jar "$out/lib/"
bundled="$(unzip -Z1 "$out/sipflow.jar" 'META-INF/maven/*/pom.properties' | cut -d/ -f3-4 | sort -u)"
tr ':' '\n' <"$out/m2-classpath.txt" | grep -v "^$PWD/" | grep -v -E '/io/sipflow/|/org/junit/|/aparapi-jni/' | while read -r jar; do
    artifact="$(basename "$(dirname "$(dirname "$jar")")")"
    group="$(dirname "$(dirname "$(dirname "$jar")")")"
    group="${group#*/repository/}"
    grep -qx "${group//\//.}/$artifact" <<<"$bundled" || cp "$jar" "$out/lib/"
done
rm -f "$out/m2-classpath.txt"

echo "== OpenCL ICD loader and clinfo (Debian packages, unpacked on the GPU machine into the bundle)"
rm -rf "$out/debs"
mkdir -p "$out/debs"
(cd "$out/debs" && apt-get download ocl-icd-libopencl1 clinfo >/dev/null)
du -sh "$out"
