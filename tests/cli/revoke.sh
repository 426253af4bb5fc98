# revoke: a revoked source partition ('#tsd revoke', tsconsume writes it
# when a rebalance takes the partition away) makes every windowing tool
# discard the open windows and held positions of that partition's series,
# forget their order (the next reader replays them from the committed
# offset), and pass the revocation on. No Kafka needed: the stream is
# written by hand, as tsconsume writes it.
. "$TSD_ROOT/tests/cli/lib.sh"

# partition 0 carries series a, partition 1 series b; a's window of
# 00:02 is open when partition 0 is revoked; the partition comes back and
# is read again from offset 0 (its committed offset then)
cat >in.csv <<'X'
series,timestamp,value
a,2024-01-01 00:00:00,1
#tsd pos topic=t partition=0 offset=1
b,2024-01-01 00:00:00,5
#tsd pos topic=t partition=1 offset=1
a,2024-01-01 00:01:00,2
#tsd pos topic=t partition=0 offset=2
b,2024-01-01 00:01:00,6
#tsd pos topic=t partition=1 offset=2
a,2024-01-01 00:02:00,3
#tsd pos topic=t partition=0 offset=3
b,2024-01-01 00:02:00,7
#tsd pos topic=t partition=1 offset=3
#tsd revoke topic=t partition=0 offset=3
a,2024-01-01 00:00:00,1
#tsd pos topic=t partition=0 offset=1
a,2024-01-01 00:01:00,2
#tsd pos topic=t partition=0 offset=2
b,2024-01-01 00:03:00,8
#tsd pos topic=t partition=1 offset=4
a,2024-01-01 00:02:00,3
#tsd pos topic=t partition=0 offset=3
a,2024-01-01 00:03:00,4
#tsd pos topic=t partition=0 offset=4
#tsd pos topic=- partition=-1 offset=-1
X
# count windows of 2: a's replayed windows are the same windows again (an
# identical duplicate), never a's 00:02 sample paired with the replayed
# 00:00; b's window and position are untouched; partition 0's position 3
# (inside the discarded window) is never released
cat >want.csv <<'X'
series,timestamp,value
a,2024-01-01 00:00:30,1.5
#tsd pos topic=t partition=0 offset=2
b,2024-01-01 00:00:30,5.5
#tsd pos topic=t partition=1 offset=2
#tsd revoke topic=t partition=0 offset=3
a,2024-01-01 00:00:30,1.5
#tsd pos topic=t partition=0 offset=2
b,2024-01-01 00:02:30,7.5
#tsd pos topic=t partition=1 offset=4
a,2024-01-01 00:02:30,3.5
#tsd pos topic=t partition=0 offset=4
#tsd pos topic=- partition=-1 offset=-1
X
ck paa-count 0 '' 'paa -w 2 -g 2 -Z in.csv >got.csv'
same paa-count-out want.csv got.csv
# binary frames carry the revocation the same way
ck paa-count-bin 0 '' 'tsconv -o bin in.csv | paa -w 2 -g 2 -Z | tsconv -o csv >gotb.csv'
same paa-count-bin-out want.csv gotb.csv
# time windows of 2 minutes: the same windows (the replay is not dropped
# as out of order)
# (the last windows close at the end mark, a's first)
{ sed -n 1,8p want.csv; sed -n 11,12p want.csv; sed -n 9,10p want.csv; tail -1 want.csv; } >wantt.csv
ck paa-time 0 '' 'paa -w 2m -g 2 -Z in.csv >gott.csv'
same paa-time-out wantt.csv gott.csv
# the wavelet pipeline: dwt discards, thresh and merge pass it on;
# thresh --ratio saves each series' budget before a position and forgets
# it at the revocation (a's replayed window starts again at n=2)
cat >wantw.csv <<'X'
series,timestamp,value
a,2024-01-01 00:00:00,1
a,2024-01-01 00:01:00,2
#tsd save thresh 1:a upto=1704067260000000000 n=2 pts=2
#tsd pos topic=t partition=0 offset=2
b,2024-01-01 00:00:00,5
b,2024-01-01 00:01:00,6
#tsd save thresh 1:b upto=1704067260000000000 n=2 pts=2
#tsd pos topic=t partition=1 offset=2
#tsd revoke topic=t partition=0 offset=3
a,2024-01-01 00:00:00,1
a,2024-01-01 00:01:00,2
#tsd save thresh 1:a upto=1704067260000000000 n=2 pts=2
#tsd pos topic=t partition=0 offset=2
b,2024-01-01 00:02:00,7
b,2024-01-01 00:03:00,8
#tsd save thresh 1:b upto=1704067380000000000 n=2 pts=2
#tsd pos topic=t partition=1 offset=4
a,2024-01-01 00:02:00,3
a,2024-01-01 00:03:00,4
#tsd save thresh 1:a upto=1704067380000000000 n=4 pts=4
#tsd pos topic=t partition=0 offset=4
#tsd pos topic=- partition=-1 offset=-1
X
ck dwt-pipeline 0 '' 'dwt -w 2 -J 1 -W haar -m periodization in.csv | tscore | thresh --ratio 1 |
	merge --values sample --full --shape long --precision 6 >gotw.csv'
same dwt-pipeline-out wantw.csv gotw.csv
# a downsampler
ck lttb-count 0 '' 'lttb -w 2 -n 2 in.csv | grep -c "^a,2024-01-01 00:00:00,1$" | grep -qx 2'
# a malformed revocation is an error with its line
ck bad-revoke 1 'paa: in2.csv:2: bad #tsd directive' 'printf "series,timestamp,value\n#tsd revoke topic=t partition=0\n" >in2.csv; paa -w 2 -g 2 in2.csv'
