#!/usr/bin/env bash
# Runs the PyTorch reference (bench/torch_sip_step.py) and
# `sipflow bench` on the same workload, alternating, and prints sipflow/torch per measurement.
#
# Usage: bench/compare-with-torch.sh [--batch 128] [--resolution 64] [--steps 20] [--warmup 3] [--threads 2] [--rounds 1]
#                                    [--avx2] [--sweep]
# Each round runs torch, then sipflow; the ratio uses the median over rounds of each side's median_ms.
# --avx2 measures an AVX2-only machine on an AVX-512 one: the JVM runs with -XX:UseAVX=2 (256-bit vector species),
# torch with ATEN_CPU_CAPABILITY=avx2 and DNNL_MAX_CPU_ISA=AVX2 (its oneDNN convolutions).
# --sweep: instead, the SIP step at 8x16², 32x32², 128x64² and 32x128² (`sipflow bench --compare-torch`: torch runs
# just before sipflow at each size, in the same process's run) with the ratio per size; --steps/--warmup/--threads
# apply, smaller sizes repeat more (BenchSizeSweep).
# Needs /usr/bin/python3 with torch (Debian: apt-get install -y python3-torch); without it only sipflow runs.
# Extra JVM options for sipflow: SIPFLOW_JAVA_OPTS, the JVM: SIPFLOW_JAVA (as for ./sipflow). Another reference
# script: SIPFLOW_TORCH_SCRIPT=/path/to/torch_sip_step.py.
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
TORCH_SCRIPT="${SIPFLOW_TORCH_SCRIPT:-$ROOT/bench/torch_sip_step.py}"
PYTHON=/usr/bin/python3

BATCH=128 RES=64 STEPS=20 WARMUP=3 THREADS=2 ROUNDS=1 AVX2=0 SWEEP=0
while [ $# -gt 0 ]; do
    case "$1" in
        --batch) BATCH="$2"; shift 2 ;;
        --resolution) RES="$2"; shift 2 ;;
        --steps) STEPS="$2"; shift 2 ;;
        --warmup) WARMUP="$2"; shift 2 ;;
        --threads) THREADS="$2"; shift 2 ;;
        --rounds) ROUNDS="$2"; shift 2 ;;
        --avx2) AVX2=1; shift ;;
        --sweep) SWEEP=1; shift ;;
        -h|--help) sed -n '2,15p' "$0"; exit 0 ;;
        *) echo "compare-with-torch: unknown option $1 (see --help)" >&2; exit 2 ;;
    esac
done

HAVE_TORCH=1
if [ ! -f "$TORCH_SCRIPT" ]; then
    echo "compare-with-torch: $TORCH_SCRIPT not found; skipping torch, running sipflow only" >&2
    HAVE_TORCH=0
elif ! "$PYTHON" -c 'import torch' >/dev/null 2>&1; then
    echo "compare-with-torch: $PYTHON cannot import torch (apt-get install -y python3-torch); skipping torch, running sipflow only" >&2
    HAVE_TORCH=0
fi

sipflow_bench() {
    "$ROOT/sipflow" bench "$@"
}

if [ "$AVX2" = 1 ]; then
    export SIPFLOW_JAVA_OPTS="-XX:UseAVX=2 ${SIPFLOW_JAVA_OPTS:-}"
    export ATEN_CPU_CAPABILITY=avx2 DNNL_MAX_CPU_ISA=AVX2
    echo "compare-with-torch: --avx2: SIPFLOW_JAVA_OPTS=$SIPFLOW_JAVA_OPTS ATEN_CPU_CAPABILITY=avx2 DNNL_MAX_CPU_ISA=AVX2" >&2
fi

if [ "$SWEEP" = 1 ]; then
    echo "machine: $(lscpu | sed -n 's/^Model name: *//p' | head -1), $(nproc) cores; load average $(cut -d' ' -f1-3 /proc/loadavg)"
    if [ "$HAVE_TORCH" = 1 ]; then
        TORCH_OPTS=(--compare-torch --torch-script "$TORCH_SCRIPT" --python "$PYTHON")
    else
        TORCH_OPTS=(--sweep)
    fi
    for round in $(seq 1 "$ROUNDS"); do
        echo "round $round: size sweep" >&2
        sipflow_bench --threads "$THREADS" --steps "$STEPS" --warmup "$WARMUP" --no-layers "${TORCH_OPTS[@]}" \
            2> >(grep -v 'Using incubator modules' >&2) | grep -E '^sipflow (backend|size_sweep)'
    done
    exit 0
fi

OUT="$(mktemp -d)"
trap 'rm -rf "$OUT"' EXIT
echo "machine: $(lscpu | sed -n 's/^Model name: *//p' | head -1), $(nproc) cores; load average $(cut -d' ' -f1-3 /proc/loadavg)"
echo "cpu flags: $(grep -m1 '^flags' /proc/cpuinfo | tr ' ' '\n' | grep -E '^(fma|avx.*)$' | tr '\n' ' ')"
for round in $(seq 1 "$ROUNDS"); do
    if [ "$HAVE_TORCH" = 1 ]; then
        echo "round $round: torch" >&2
        "$PYTHON" "$TORCH_SCRIPT" --threads "$THREADS" --batch "$BATCH" --res "$RES" --steps "$STEPS" \
            --warmup "$WARMUP" | tee -a "$OUT/torch.txt"
    fi
    echo "round $round: sipflow" >&2
    sipflow_bench --threads "$THREADS" --batch "$BATCH" --resolution "$RES" --steps "$STEPS" --warmup "$WARMUP" \
        2> >(grep -v 'Using incubator modules' >&2) | tee -a "$OUT/sipflow.txt"
done

# name -> median over rounds of median_ms, for lines "<tool> <name> median_ms=<m> ..."
medians() {
    awk -v tool="$1" '$1 == tool && $3 ~ /^median_ms=/ { sub("median_ms=", "", $3); v[$2] = v[$2] " " $3 }
        END { for (k in v) { n = split(substr(v[k], 2), a, " "); for (i = 1; i <= n; i++) for (j = i + 1; j <= n; j++)
              if (a[j] + 0 < a[i] + 0) { t = a[i]; a[i] = a[j]; a[j] = t }
              print k, (n % 2 ? a[(n + 1) / 2] : (a[n / 2] + a[n / 2 + 1]) / 2) } }' "$2"
}

echo
echo "measurement sipflow_ms torch_ms sipflow/torch"
medians sipflow "$OUT/sipflow.txt" | sort > "$OUT/s.txt"
if [ "$HAVE_TORCH" = 1 ]; then
    medians torch "$OUT/torch.txt" | sort > "$OUT/t.txt"
    join -a 1 "$OUT/s.txt" "$OUT/t.txt" | awk '{ if (NF == 3) printf "%s %.1f %.1f %.2f\n", $1, $2, $3, $2 / $3;
        else printf "%s %.1f - -\n", $1, $2 }'
else
    awk '{ printf "%s %.1f - -\n", $1, $2 }' "$OUT/s.txt"
fi
