#!/usr/bin/env bash
# Starts a one-node Slurm cluster on this machine (controller and compute node on localhost), for the Slurm
# executor's test and for trying `sipflow sweep --executor slurm` without a cluster. Needs root and Debian's
# slurm-wlm and munge packages (apt-get install slurm-wlm munge). No systemd is assumed: the daemons are started
# directly. Idempotent: when the node already answers, it only prints its state.
#   sudo .ci/start-slurm.sh          # then: sinfo; sbatch --wrap 'hostname'
# Stop it again with: .ci/start-slurm.sh stop
set -euo pipefail

CONF_DIR=/etc/slurm
CONF="$CONF_DIR/slurm.conf"
STATE=/var/spool/slurmctld
SPOOL=/var/spool/slurmd
LOGS=/var/log/slurm
NODE="$(hostname -s)"

if [ "${1:-}" = stop ]; then
    # only the daemons this script started, by their pid files; each is waited for (slurmctld saves its state)
    for pidfile in /run/slurmd.pid /run/slurmctld.pid /run/munge/munged.pid; do
        [ -f "$pidfile" ] || continue
        pid="$(cat "$pidfile")"
        kill "$pid" 2>/dev/null || continue
        for _ in $(seq 100); do
            kill -0 "$pid" 2>/dev/null || break
            sleep 0.1
        done
    done
    exit 0
fi

for program in munged slurmctld slurmd sbatch; do
    if ! command -v "$program" >/dev/null 2>&1 && [ ! -x "/usr/sbin/$program" ]; then
        echo "start-slurm: $program is not installed (apt-get install slurm-wlm munge)" >&2
        exit 1
    fi
done
if [ "$(id -u)" -ne 0 ]; then
    echo "start-slurm: run as root (it writes $CONF and starts munged, slurmctld and slurmd)" >&2
    exit 1
fi

if sinfo -h -N -o '%T' 2>/dev/null | grep -qE '^(idle|mixed|allocated)'; then
    echo "start-slurm: a cluster is already up:"
    sinfo
    exit 0
fi

# munge: the authentication Slurm's daemons and clients share (a key created by the package, owned by munge)
mkdir -p /run/munge /var/log/munge /var/lib/munge
chown munge:munge /run/munge /var/log/munge /var/lib/munge
chmod 0755 /run/munge
if [ ! -s /etc/munge/munge.key ]; then
    dd if=/dev/urandom of=/etc/munge/munge.key bs=1 count=1024 status=none
    chown munge:munge /etc/munge/munge.key
    chmod 0400 /etc/munge/munge.key
fi
if ! munge -n 2>/dev/null | unmunge >/dev/null 2>&1; then
    runuser -u munge -- /usr/sbin/munged --force
    for _ in $(seq 50); do
        munge -n 2>/dev/null | unmunge >/dev/null 2>&1 && break
        sleep 0.1
    done
fi
munge -n | unmunge >/dev/null

# slurm.conf: one node with this machine's CPUs and memory; processes tracked through /proc (no cgroups needed),
# no task binding; CPUs handed out one by one (cons_tres, CR_CPU) so an array's tasks run side by side.
CPUS="$(nproc)"
MEMORY_MB="$(awk '/MemTotal/ {print int($2 / 1024 * 0.9)}' /proc/meminfo)"
mkdir -p "$CONF_DIR" "$STATE" "$SPOOL" "$LOGS"
cat > "$CONF" <<CONF
# Written by sipflow's .ci/start-slurm.sh: a one-node cluster on localhost.
ClusterName=sipflow
SlurmctldHost=$NODE(127.0.0.1)
SlurmUser=root
SlurmdUser=root
AuthType=auth/munge
CredType=cred/munge
MpiDefault=none
ProctrackType=proctrack/linuxproc
TaskPlugin=task/none
JobAcctGatherType=jobacct_gather/none
AccountingStorageType=accounting_storage/none
JobCompType=jobcomp/none
SchedulerType=sched/backfill
SelectType=select/cons_tres
SelectTypeParameters=CR_CPU
ReturnToService=2
StateSaveLocation=$STATE
SlurmdSpoolDir=$SPOOL
SlurmctldPidFile=/run/slurmctld.pid
SlurmdPidFile=/run/slurmd.pid
SlurmctldLogFile=$LOGS/slurmctld.log
SlurmdLogFile=$LOGS/slurmd.log
SlurmctldTimeout=30
SlurmdTimeout=30
InactiveLimit=0
KillWait=5
MinJobAge=300
NodeName=$NODE NodeAddr=127.0.0.1 CPUs=$CPUS RealMemory=$MEMORY_MB State=UNKNOWN
PartitionName=local Nodes=$NODE Default=YES MaxTime=INFINITE State=UP
CONF

pgrep -F /run/slurmctld.pid >/dev/null 2>&1 || /usr/sbin/slurmctld
pgrep -F /run/slurmd.pid >/dev/null 2>&1 || /usr/sbin/slurmd
for _ in $(seq 100); do
    if sinfo -h -N -o '%T' 2>/dev/null | grep -qE '^(idle|mixed|allocated)'; then
        sinfo
        exit 0
    fi
    sleep 0.2
done
echo "start-slurm: the node did not come up; the daemons' logs:" >&2
tail -n 20 "$LOGS/slurmctld.log" "$LOGS/slurmd.log" >&2 || true
sinfo >&2 || true
exit 1
