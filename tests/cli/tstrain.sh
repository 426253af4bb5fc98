# tstrain: a small model trained end to end, repeatable with a seed,
# resumable from its checkpoint, progress on stderr, bad use and input.
. "$TSD_ROOT/tests/cli/lib.sh"

tsgen --series-count 3 --points 1200 --step 5m -S 9 --spike-rate 0.005 -e lab4.csv > g.csv
cut -d, -f1-3 lab4.csv > lab.csv   # series,start,end (events reader: 3 fields)
tsgen --points 600 --step 5m -S 10 > v.csv
SMALL="--width 8 --heads 1 --layers 1 --hidden 8 --radius 4 -w 128 -J 3"

ck help 0 '' 'tstrain --help | grep -q "^usage: tstrain"'
ck no-model 2 "tstrain: no model file: name one with -M
Try 'tstrain --help' for more information." 'tstrain g.csv'
ck no-files 2 "tstrain: no training files
Try 'tstrain --help' for more information." 'tstrain -M m.tsdm'
ck bad-heads 2 "tstrain: model size: model width 8 is not a multiple of heads 3
Try 'tstrain --help' for more information." 'tstrain -M m.tsdm --width 8 --heads 3 g.csv'
ck coefs 1 "tstrain: c.csv:2: expected samples, found wavelet coefficients" 'dwt -w 128 -J 3 g.csv > c.csv 2>/dev/null; tstrain -M m.tsdm c.csv'

# training: progress lines on stderr, a model tscore reads
ck train 0 '*' "tstrain -M a.tsdm $SMALL -E 3 -S 5 -e lab.csv --val v.csv g.csv"
ck progress 0 '' 'tstrain -M p.tsdm '"$SMALL"' -E 2 -s 5 --val v.csv g.csv 2>&1 >/dev/null | grep -c "^tstrain: epoch [12]/2 loss [0-9.]* val loss [0-9.]* capture [0-9.]* (magnitude [0-9.]*) .* left$" | grep -qx 2'
ck scores 0 '' 'dwt -w 128 -J 3 g.csv 2>/dev/null | tscore -M a.tsdm | thresh -r 4 | merge --shape long > /dev/null'
# trained on the candidates that tscore --ratio 4 --candidates 2 shows it
ck train-candidates 0 '' "tstrain -q -M k.tsdm $SMALL -E 2 -S 5 --candidates 2 --ratios 4 g.csv"
ck scores-candidates 0 '' 'dwt -w 128 -J 3 g.csv 2>/dev/null | tscore -M k.tsdm --ratio 4 --candidates 2 | thresh -r 4 | merge --shape long | grep -q .'
ck candidates-zero 2 "tstrain: --candidates: '0' out of range (above 0)
Try 'tstrain --help' for more information." 'tstrain -M z.tsdm --candidates 0 g.csv'
# the same seed gives the same file
ok again "tstrain -q -M b.tsdm $SMALL -E 3 -S 5 -e lab.csv --val v.csv g.csv"
same seed a.tsdm b.tsdm
# stop after epoch 1, resume from the checkpoint: the uninterrupted run
ok stop "tstrain -q -M s.tsdm -c ck $SMALL -E 3 -S 5 -e lab.csv --stop-after 1 g.csv"
ok resume "tstrain -q -M r.tsdm --resume ck -w 128 -J 3 -e lab.csv g.csv"
same resumed a.tsdm r.tsdm
ck resume-size 2 "tstrain: --resume takes the model size from the checkpoint
Try 'tstrain --help' for more information." 'tstrain -M x.tsdm --resume ck --width 8 g.csv'
ck resume-model 1 'tstrain: a.tsdm: not a tsdown checkpoint (magic is not "TSDC"); pass a file that tstrain --checkpoint wrote' \
	'tstrain -q -M x.tsdm --resume a.tsdm g.csv'
ck resume-trunc 1 "tstrain: t.ck: truncated: 100 of 128 header bytes; resume from another checkpoint or train from scratch" \
	'head -c 100 ck > t.ck; tstrain -q -M x.tsdm --resume t.ck g.csv'
ck bad-value 1 "tstrain: i.csv:3: infinite value 'inf'" 'printf "timestamp,value\n2024-01-01 00:00:00,1\n2024-01-01 00:05:00,inf\n" > i.csv; tstrain -q -M x.tsdm i.csv'
ck short 1 "tstrain: no window of the training files is long enough to train on" 'head -5 v.csv > s.csv; tstrain -q -M x.tsdm s.csv'
