/* tsgen: deterministic synthetic sensor series with labelled events. */
#include <getopt.h>
#include <limits.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "gen.h"
#include "tool.h"

static const char usage[] =
"usage: tsgen [options]\n"
"Write synthetic time series (trend, daily season, noise, spikes, level\n"
"shifts, dropouts, gaps) to stdout. The same seed gives the same data;\n"
"series i is the same whatever the number of series.\n"
"\n"
"      --series-count N   number of series (default 1)\n"
"      --points N         time steps per series; 0 = unbounded (default 1440)\n"
"      --step DUR         time between steps: 1s, 5m, 250ms... (default 1m)\n"
"      --start TIME       first timestamp (default 2024-01-01T00:00:00Z)\n"
"  -S, --seed N           random seed (default 1)\n"
"      --prefix P         series names are P followed by a number, zero-padded\n"
"                         to the widest: s1..s9, s01..s12 (default s)\n"
"      --level X          base level (default 10); --level-sd X its spread\n"
"      --trend X          level change per day (default 0)\n"
"      --period DUR       seasonal period (default 1d; 0 = none)\n"
"      --amplitude X      seasonal amplitude (default 1)\n"
"      --noise X          noise standard deviation (default 0.1)\n"
"      --spike-rate P     spikes per sample (default 0.001)\n"
"      --spike-amp X      spike size in noise sigmas (default 8)\n"
"      --shift-rate P     level shifts per sample (default 0.0001)\n"
"      --shift-size X     level shift size (default 2)\n"
"      --dropout-rate P   dropout runs per sample (default 0.0001)\n"
"      --dropout-len N    mean dropout length in samples (default 10)\n"
"      --dropout-mode M   zero, missing or hold (default zero)\n"
"      --gap-rate P       gaps per sample (default 0.0001)\n"
"      --gap-len N        mean gap length in samples (default 10)\n"
"      --no-events        no spikes, shifts, dropouts or gaps\n"
"      --process-sd X     slow random process (AR(1)): its sd (default 0)\n"
"      --process-tau N    its time constant in samples (default 1)\n"
"      --quantum X        round values to multiples of X (default 0: no)\n"
"      --family plant     noisy 1 Hz plant sensor: step 1s, no season, level\n"
"                         50, process sd 2 tau 600, noise 0.3, quantum 0.1,\n"
"                         spikes 2e-4, steps 2e-4 of size 3, no dropouts or\n"
"                         gaps; options after it override these\n"
"  -e, --events FILE      write the events as CSV: series,start,end,kind\n"
"      --realtime[=X]     pace the output at X times wall-clock speed\n"
"                         (default 1), flushing every step\n"
"  -o, --output-format F  csv (default) or bin\n"
"  -t, --time-format S    iso (default), iso-t, s, ms, us, ns or sf\n"
"      --shape S          CSV shape: long (default for several series) or single\n"
"      --precision N      significant digits of CSV values (default: exact)\n"
"      --no-header        no CSV header line\n"
"  -h, --help             this help;  -V, --version  the version\n"
"Deprecated, for this release only (one meaning per letter, see tsdown(7)):\n"
"-n N and --series N for --series-count (-n will be --points, as in the\n"
"other tools), -p for --points, -r for --step, -s for -S, -l and --labels\n"
"for -e.\n"
"\nExit status: 0 success, 1 write error, 2 usage error.\n";

static void sleep_until(int64_t wall_ns)
{
	struct timespec ts = { .tv_sec = wall_ns / 1000000000, .tv_nsec = wall_ns % 1000000000 };
	while (clock_nanosleep(CLOCK_MONOTONIC, TIMER_ABSTIME, &ts, NULL) != 0)
		;
}

static int64_t now_ns(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (int64_t)ts.tv_sec * 1000000000 + ts.tv_nsec;
}

int main(int argc, char **argv)
{
	enum { O_START = 2000, O_PREFIX, O_LEVEL, O_LEVELSD, O_TREND, O_PERIOD, O_AMP, O_NOISE,
	       O_SPR, O_SPA, O_SHR, O_SHS, O_DRR, O_DRL, O_DRM, O_GR, O_GL, O_NOEV, O_RT,
	       O_NSERIES, O_POINTS, O_STEP, O_OLD_SERIES, O_OLD_LABELS, O_PSD, O_PTAU, O_QUANT, O_FAMILY };
	static const struct option lopts[] = {
		{ "series-count", required_argument, 0, O_NSERIES }, { "points", required_argument, 0, O_POINTS },
		{ "step", required_argument, 0, O_STEP }, { "seed", required_argument, 0, 'S' },
		{ "events", required_argument, 0, 'e' }, { "start", required_argument, 0, O_START },
		{ "series", required_argument, 0, O_OLD_SERIES }, { "labels", required_argument, 0, O_OLD_LABELS },
		{ "prefix", required_argument, 0, O_PREFIX }, { "level", required_argument, 0, O_LEVEL },
		{ "level-sd", required_argument, 0, O_LEVELSD }, { "trend", required_argument, 0, O_TREND },
		{ "period", required_argument, 0, O_PERIOD }, { "amplitude", required_argument, 0, O_AMP },
		{ "noise", required_argument, 0, O_NOISE }, { "spike-rate", required_argument, 0, O_SPR },
		{ "spike-amp", required_argument, 0, O_SPA }, { "shift-rate", required_argument, 0, O_SHR },
		{ "shift-size", required_argument, 0, O_SHS }, { "dropout-rate", required_argument, 0, O_DRR },
		{ "dropout-len", required_argument, 0, O_DRL }, { "dropout-mode", required_argument, 0, O_DRM },
		{ "gap-rate", required_argument, 0, O_GR }, { "gap-len", required_argument, 0, O_GL },
		{ "no-events", no_argument, 0, O_NOEV },
		{ "process-sd", required_argument, 0, O_PSD }, { "process-tau", required_argument, 0, O_PTAU },
		{ "quantum", required_argument, 0, O_QUANT }, { "family", required_argument, 0, O_FAMILY }, { "realtime", optional_argument, 0, O_RT },
		TOOL_COMMON_LONG,
		{ 0, 0, 0, 0 },
	};
	tsd_gen_config cfg;
	tsd_gen *g;
	tsd_gen_point p;
	tool_io io;
	const char *labels = NULL, *prefix = "s";
	FILE *lf = NULL;
	double realtime = 0;
	char errbuf[256];
	int c, rc;
	uint32_t *ids;

	tool_name = "tsgen";
	tool_io_init(&io);
	tsd_gen_defaults(&cfg);
	cfg.seed = 1;
	while ((c = getopt_long(argc, argv, "n:p:r:s:l:S:e:hV" TOOL_COMMON_SHORT, lopts, NULL)) != -1) {
		if (c != 'd' && c != 'N' && tool_io_option(&io, c, optarg))
			continue;
		switch (c) { /* the old spellings */
		case 'n':
			tool_deprecated("-n", "--series-count (from the next release -n is --points, "
					"as in the other tools)");
			c = O_NSERIES;
			break;
		case O_OLD_SERIES: tool_deprecated("--series", "--series-count"); c = O_NSERIES; break;
		case 'p': tool_deprecated("-p", "--points"); c = O_POINTS; break;
		case 'r': tool_deprecated("-r", "--step"); c = O_STEP; break;
		case 's': tool_deprecated("-s", "-S"); c = 'S'; break;
		case 'l': tool_deprecated("-l", "-e"); c = 'e'; break;
		case O_OLD_LABELS: tool_deprecated("--labels", "--events"); c = 'e'; break;
		}
		switch (c) {
		case O_NSERIES: cfg.nseries = (size_t)tool_long("--series-count", optarg, 1, 10000000); break;
		case O_POINTS: cfg.npoints = (uint64_t)tool_long("--points", optarg, 0, LONG_MAX); break;
		case O_STEP: cfg.step = tool_duration("--step", optarg); break;
		case 'S': cfg.seed = (uint64_t)tool_long("-S", optarg, 0, LONG_MAX); break;
		case 'e': labels = optarg; break;
		case O_START: {
			tsd_tstyle st = { 0 };
			if (tsd_time_parse(&cfg.start, &st, optarg, strlen(optarg)))
				tool_usage_error("--start: bad time '%s'", optarg);
			break;
		}
		case O_PREFIX: prefix = optarg; break;
		case O_LEVEL: cfg.level = tool_double("--level", optarg); break;
		case O_LEVELSD: cfg.level_sd = tool_double("--level-sd", optarg); break;
		case O_TREND: cfg.trend = tool_double("--trend", optarg); break;
		case O_PERIOD:
			cfg.period = strcmp(optarg, "0") ? tool_duration("--period", optarg) : 0;
			break;
		case O_AMP: cfg.amplitude = tool_double("--amplitude", optarg); break;
		case O_NOISE: cfg.noise_sd = tool_double("--noise", optarg); break;
		case O_SPR: cfg.spike_rate = tool_double("--spike-rate", optarg); break;
		case O_SPA: cfg.spike_amp = tool_double("--spike-amp", optarg); break;
		case O_SHR: cfg.shift_rate = tool_double("--shift-rate", optarg); break;
		case O_SHS: cfg.shift_size = tool_double("--shift-size", optarg); break;
		case O_DRR: cfg.dropout_rate = tool_double("--dropout-rate", optarg); break;
		case O_DRL: cfg.dropout_len = tool_double("--dropout-len", optarg); break;
		case O_DRM:
			if (!strcmp(optarg, "zero"))
				cfg.dropout_mode = TSD_GEN_DROP_ZERO;
			else if (!strcmp(optarg, "missing"))
				cfg.dropout_mode = TSD_GEN_DROP_MISSING;
			else if (!strcmp(optarg, "hold"))
				cfg.dropout_mode = TSD_GEN_DROP_HOLD;
			else
				tool_usage_error("--dropout-mode: unknown mode '%s' (zero, missing, hold)", optarg);
			break;
		case O_GR: cfg.gap_rate = tool_double("--gap-rate", optarg); break;
		case O_GL: cfg.gap_len = tool_double("--gap-len", optarg); break;
		case O_PSD: cfg.process_sd = tool_double("--process-sd", optarg); break;
		case O_PTAU: cfg.process_tau = tool_double("--process-tau", optarg); break;
		case O_QUANT: cfg.quantum = tool_double("--quantum", optarg); break;
		case O_FAMILY:
			if (strcmp(optarg, "plant"))
				tool_usage_error("--family: unknown family '%s' (plant)", optarg);
			tsd_gen_plant(&cfg);
			break;
		case O_NOEV:
			cfg.spike_rate = cfg.shift_rate = cfg.dropout_rate = cfg.gap_rate = 0;
			break;
		case O_RT:
			realtime = optarg ? tool_double("--realtime", optarg) : 1;
			if (!(realtime > 0))
				tool_usage_error("--realtime: speed must be above 0");
			break;
		case 'h':
			tool_help(usage);
		default:
			tool_bad_option();
		}
	}
	if (optind < argc)
		tool_usage_error("unexpected argument '%s'", argv[optind]);
	if ((rc = tsd_gen_new(&g, &cfg, errbuf, sizeof errbuf)) < 0)
		tool_usage_error("%s", errbuf);
	if (labels && !(lf = fopen(labels, "w")))
		tool_die(EXIT_DATA, "%s:", labels);

	/* series names: prefix + zero-padded number, s001..s100 */
	ids = malloc(cfg.nseries * sizeof *ids);
	if (!ids)
		tool_die(EXIT_DATA, "out of memory");
	int width = snprintf(NULL, 0, "%zu", cfg.nseries);
	for (size_t i = 0; i < cfg.nseries; i++) {
		char name[TSD_SERIES_NAME_MAX];
		int n = snprintf(name, sizeof name, "%s%0*zu", prefix, width, i + 1);
		if (n >= (int)sizeof name || tsd_series_intern(&ids[i], io.tab, name, (size_t)n) < 0)
			tool_die(EXIT_DATA, "bad series name prefix");
	}
	io.nfiles = 0;
	if (!io.out_tstyle.kind)
		tsd_tstyle_parse(&io.out_tstyle, "iso");
	if (!io.out_shape)
		io.out_shape = cfg.nseries == 1 ? TSD_SHAPE_SINGLE : TSD_SHAPE_LONG;
	tool_open_output(&io);
	if (lf)
		fprintf(lf, "series,start,end,kind\n");

	int64_t wall0 = now_ns();
	uint64_t last_step = UINT64_MAX;
	while ((rc = tsd_gen_next(g, &p)) == 1) {
		if (realtime > 0 && p.step != last_step) {
			if (tsd_writer_flush(io.w) < 0)
				tool_die(EXIT_DATA, "%s", tsd_writer_errmsg(io.w));
			sleep_until(wall0 + (int64_t)((double)(p.t - cfg.start) / realtime));
			last_step = p.step;
		}
		if (lf && p.end) {
			for (unsigned k = 1; k <= TSD_GEN_EV_GAP; k <<= 1) {
				char a[TSD_TIME_MAX], b[TSD_TIME_MAX];
				int64_t t0 = p.t, t1 = p.t;
				if (!(p.end & k))
					continue;
				if (k == TSD_GEN_EV_DROPOUT)
					t0 = p.dropout_start;
				if (k == TSD_GEN_EV_GAP)
					t0 = p.gap_start, t1 = p.gap_end;
				tsd_time_format(a, t0, &io.out_tstyle);
				tsd_time_format(b, t1, &io.out_tstyle);
				fprintf(lf, "%s,%s,%s,%s\n", tsd_series_name(io.tab, ids[p.series]), a, b,
					tsd_gen_event_name(k));
			}
		}
		if (p.missing)
			continue;
		tool_sample(&io, ids[p.series], p.t, p.v);
	}
	if (rc < 0)
		tool_die(EXIT_DATA, "timestamps overflow");
	if (lf && (fflush(lf) || ferror(lf) || fclose(lf)))
		tool_die(EXIT_DATA, "%s: write error:", labels);
	tsd_gen_free(g);
	free(ids);
	tool_finish(&io);
	return 0;
}
