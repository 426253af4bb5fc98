# progress: a long run says how far it is on stderr when a person watches
# (stderr a terminal, stdout not a pipe), rewriting one line once a second;
# never in a pipe's middle stage, never in a cron job or a test (stderr not
# a terminal), and --progress / --no-progress decide when given. A terminal
# is made with script(1). The runs are paced by tsgen --realtime (2.5 s).
. "$TSD_ROOT/tests/cli/lib.sh"
command -v script >/dev/null || { echo "progress.sh: script(1) missing (bsdutils)" >&2; exit 1; }

gen='tsgen --series-count 100 --points 300 --step 1s --realtime=120 -o bin'
# on a terminal: what script captured, carriage returns as new lines
# (the escape that clears the rest of a line removed)
tty_run() { script -qec "$1" /dev/null </dev/null | tr '\r' '\n' | sed 's/\x1b\[K//g' | { grep -v '^$' || true; }; }
export -f tty_run

ok tty-last-stage "tty_run '$gen | paa -w 60 -Z -o bin >p.out' >t1 && grep -qE '^paa: [0-9.]+ k records, [0-9.]+ k records/s, 0:00:0[1-9]' t1"
# the last line is the total: every record read
ok tty-total "tail -1 t1 | grep -q '^paa: 30.0 k records, '"
# the output is the same as without a terminal
ok tty-same-output "$gen | paa -w 60 -Z -o bin | cmp -s - p.out"
ok no-tty "$gen | paa -w 60 -Z -o bin 2>e1 >/dev/null && ! test -s e1"
ok tty-middle-stage "tty_run '$gen | paa -w 60 -Z -o bin | cat >/dev/null' >t2 && ! grep -q records t2"
ok tty-middle-forced "tty_run '$gen | paa --progress -w 60 -Z -o bin | cat >/dev/null' >t3 && grep -q '^paa: .* records/s' t3"
ok tty-off "tty_run '$gen | paa --no-progress -w 60 -Z -o bin >/dev/null' >t4 && ! grep -q records t4"
ok forced-no-tty "$gen | paa --progress -w 60 -Z -o bin 2>e2 >/dev/null && grep -q 'records/s' e2"
# a short run prints nothing, even on a terminal
ok tty-short "tty_run 'tsgen --series-count 3 | dwt -w 64 >/dev/null' >t5 && ! grep -q records t5"
# a message clears the line first: it starts a line of its own (a sample of
# 2000 after the paced ones is dropped, and said so at the end of input)
ok tty-message-own-line "tty_run '{ tsgen --series-count 100 --points 300 --step 1s --realtime=120; echo s001,2000-01-01 00:00:00,1; } | nth -k 1 >/dev/null' >t6 && grep -q '^nth: .* records/s' t6 && grep -q '^nth: <stdin>: 1 sample not later' t6"
