#!/bin/bash
# kafka.sh: throughput of tsconsume and tsproduce beside kcat -C and kcat -P
# on the same data against the same mock cluster (tsbroker), in one run; and
# the latency from a record's production to its output through
# tsconsume | paa | tsproduce (median and 99th percentile).
# Usage: B=build/rel bench/kafka.sh [RECORDS]   (tools from $B/bin)
set -eu
BIN=${B:-build/rel}/bin
case $BIN in /*) ;; *) BIN=$PWD/$BIN ;; esac
export PATH=$BIN:$PATH
N=${1:-500000}
T=$(mktemp -d)
BP=
trap '[ -n "$BP" ] && kill $BP 2>/dev/null; wait 2>/dev/null; rm -rf "$T"' EXIT
cd "$T"
# 16 partitions: the mock keeps only the newest 5 MiB of each partition
# (tsbroker(1)); keyed by series, 10 series of 50000 one-sample messages
# (about 53 bytes each on the log) over 8 partitions put two series, 5.3 MB,
# in some partitions, whose oldest batches were then dropped
tsbroker -p 16 -t kin -t tin -t bin -t kp -t tp1 -t tp2 -t tp3 -t tp4 -t lin -t lout </dev/null >bs & BP=$!
for i in $(seq 50); do [ -s bs ] && break; sleep 0.1; done
BR=$(cat bs)
S=$((N / 10))
tsgen --series-count 10 --points $S -S 1 --no-events >data.csv
tail -n +2 data.csv >lines.csv
N=$(wc -l <lines.csv)
now() { date +%s.%N; }
# best of 3 runs of a command (stdin from $IN; $RUNS runs when set):
# prints "start end"
best() {
	local bs= be= a b
	for k in $(seq "${RUNS:-3}"); do
		a=$(now); "$@" <"$IN" >/dev/null; b=$(now)
		if [ -z "$bs" ] || awk -v x="$a" -v y="$b" -v p="$bs" -v q="$be" 'BEGIN { exit !(y - x < q - p) }'; then
			bs=$a be=$b
		fi
	done
	echo "$bs $be"
}
rate() { awk -v n="$N" -v a="$1" -v b="$2" 'BEGIN { printf "%9.0f rec/s  (%.3f s)", n / (b - a), b - a }'; }
echo "kafka bench: $N records (CSV lines, ~$(( $(wc -c <lines.csv) / N )) bytes), mock cluster $BR, 16 partitions"

FW="-X fetch.wait.max.ms=10"   # the same for kcat and tsconsume
tsconv -o bin data.csv >data.bin
# producers write topics of their own (best of 3: three copies); the
# consumers read the same messages: tin (one sample a message, keyed by
# series, as tsproduce writes them; kin holds the lines as kcat -P wrote
# them) and bin (64 samples a message)
IN=lines.csv; echo "produce  kcat -P                              $(rate $(best kcat -P -b "$BR" -t kp -X linger.ms=5))"
IN=data.csv;  echo "produce  tsproduce --commit none  (CSV in)    $(rate $(best tsproduce -b "$BR" -t tp1 --commit none))"
# CSV in against binary in: runs taken in turn (CSV first, then binary
# first), each into a topic of its own, best of 5 each, so that neither
# meets a broker already holding the other's records
faster() { # "start end" of a run, the best so far: prints the faster
	if [ -z "$2" ] || awk -v r="$1" -v c="$2" 'BEGIN { split(r, p, " "); split(c, q, " "); exit !(p[2] - p[1] < q[2] - q[1]) }'; then
		echo "$1"
	else
		echo "$2"
	fi
}
once() { local a b; a=$(now); tsproduce -b "$BR" -t "$1" --commit ack <"$2" >/dev/null; b=$(now); echo "$a $b"; }
pc= pb=
for k in 1 2 3 4 5; do
	if [ $((k % 2)) = 1 ]; then
		pc=$(faster "$(once tp2c$k data.csv)" "$pc"); pb=$(faster "$(once tp2b$k data.bin)" "$pb")
	else
		pb=$(faster "$(once tp2b$k data.bin)" "$pb"); pc=$(faster "$(once tp2c$k data.csv)" "$pc")
	fi
done
echo "produce  tsproduce --commit ack   (CSV in)    $(rate $pc)"
echo "produce  tsproduce --commit ack   (binary in) $(rate $pb)"
# issue 18: binary input at least as fast as CSV input (same run, same records)
awk -v c="$pc" -v b="$pb" 'BEGIN { split(c, x, " "); split(b, y, " "); tc = x[2] - x[1]; tb = y[2] - y[1];
	printf "produce  binary in / CSV in: %.2fx the rate (goal >= 1: %s)\n", tc / tb, (tc / tb >= 1) ? "met" : "not met" }'
IN=data.bin;  echo "produce  tsproduce --commit txn   (binary in) $(rate $(best tsproduce -q -b "$BR" -t tp3 --commit txn))"
IN=data.csv;  echo "produce  tsproduce --commit ack --batch 64    $(rate $(best tsproduce -b "$BR" -t tp4 --commit ack --batch 64))"
kcat -P -b "$BR" -t kin <lines.csv
tsproduce -b "$BR" -t tin --commit none <data.csv
tsproduce -b "$BR" -t bin --commit none --batch 64 <data.csv
IN=/dev/null
echo "consume  kcat -C -e (kcat -P's messages)       $(rate $(best kcat -C -b "$BR" -t kin -e -q $FW))"
echo "consume  kcat -C -e (the same messages)        $(rate $(best kcat -C -b "$BR" -t tin -e -q $FW))"
echo "consume  tsconsume -e (checked, positions)    $(rate $(best tsconsume -q -b "$BR" -t tin -e $FW))"
echo "consume  tsconsume -e --output-format bin     $(rate $(best tsconsume -q -b "$BR" -t tin -e --output-format bin $FW))"
echo "consume  tsconsume -e -G (a position a message) $(rate $(best tsconsume -q -b "$BR" -G bench -a -t tin -e $FW))"
# a tenth of a second each: best of 5
kc=$(RUNS=5 best kcat -C -b "$BR" -t bin -e -q $FW)
echo "consume  kcat -C -e, 64 a message              $(rate $kc)"
tc=$(RUNS=5 best tsconsume -q -b "$BR" -t bin -e $FW)
echo "consume  tsconsume -e, 64 a message           $(rate $tc)"
# issue 18: tsconsume with batched messages at least 0.8x kcat -C (same run, same messages)
awk -v k="$kc" -v c="$tc" 'BEGIN { split(k, x, " "); split(c, y, " "); r = (x[2] - x[1]) / (y[2] - y[1]);
	printf "consume  tsconsume / kcat -C, 64 a message: %.2fx the rate (goal >= 0.8: %s)\n", r, (r >= 0.8) ? "met" : "not met" }'
got=$(tsconsume -q -b "$BR" -t tin -e --no-header | grep -vc "^#"); test "$got" = "$N" || { echo "tsconsume lost records: $got of $N" >&2; exit 1; }
test "$(tsconsume -q -b "$BR" -t bin -e --no-header | grep -vc '^#')" = "$N" || { echo "tsconsume lost batched records" >&2; exit 1; }

# latency: records produced at 1000/s for 10 s, each carrying its send time
# (ms) as its value, through tsconsume | paa -w 1 -g 1 | tsproduce (ack
# commits every 200 ms); the reader stamps each output's arrival.
mkfifo l1 l2
tsconsume -q -b "$BR" -G lat -a -t lin -o end $FW >l1 2>/dev/null & LC=$!
paa -w 1 -g 1 -Z <l1 >l2 2>/dev/null & LA=$!
tsproduce -b "$BR" -t lout -G lat --commit ack <l2 2>/dev/null & LP=$!
sleep 2
/usr/bin/python3 - "$BR" <<'PY'
import subprocess, sys, time, threading
br = sys.argv[1]
reader = subprocess.Popen(["kcat", "-C", "-u", "-q", "-b", br, "-t", "lout", "-o", "end", "-f", "%s\n",
                           "-X", "fetch.wait.max.ms=10"],
                          stdout=subprocess.PIPE, text=True, bufsize=1)
time.sleep(1.5)
lat = []
def read():
    for line in reader.stdout:
        f = line.strip().split(",")
        if len(f) == 3:
            lat.append(time.time() * 1000 - float(f[2]))
th = threading.Thread(target=read, daemon=True)
th.start()
prod = subprocess.Popen(["tsproduce", "-b", br, "-t", "lin", "--commit", "none", "-X", "linger.ms=0"],
                        stdin=subprocess.PIPE, text=True, bufsize=1)
n = 10000
t0 = time.time()
for i in range(n):
    while time.time() < t0 + i / 1000.0:
        time.sleep(0.0002)
    prod.stdin.write("lat,%d,%.3f\n" % (1700000000 + i, time.time() * 1000))
    prod.stdin.flush()
prod.stdin.close()
prod.wait()
deadline = time.time() + 10
while len(lat) < n and time.time() < deadline:
    time.sleep(0.1)
reader.kill()
lat.sort()
if not lat:
    print("latency  no output arrived"); sys.exit(1)
med = lat[len(lat) // 2]
p99 = lat[min(len(lat) - 1, int(len(lat) * 0.99))]
print("latency  produce -> tsconsume | paa -w 1 | tsproduce -> consumer: %d of %d records, median %.1f ms, p99 %.1f ms"
      % (len(lat), n, med, p99))
PY
kill $LC $LA $LP 2>/dev/null || true
