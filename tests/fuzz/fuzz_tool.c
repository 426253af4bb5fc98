/* fuzz_tool.c: libFuzzer target that runs a whole tool, its main() and
 * read-transform-write loop, in-process on each input, so that what the
 * tool does with a record (windows, coefficient assembly, downsampling,
 * the writer) is reached, not only the library's decoders.
 *
 * Built once per tool family with -DFUZZ_TOOL=name and the tool's
 * cmd/<name>.c compiled with -Dmain=fuzz_tool_main (see the Makefile's
 * fuzz target). The first input byte picks one of the tool's option sets;
 * the rest is the input file, given to the tool as /proc/self/fd/N.
 *
 * A tool ends by calling exit() (errors, --help) or by returning from
 * main; exit is wrapped (-Wl,--wrap=exit) to jump back here. What the run
 * allocated and did not free (a tool that dies leaves its state behind,
 * as a process may) is freed here: malloc, calloc, realloc and free are
 * wrapped to keep a set of the live blocks of the run. stdout goes to
 * /dev/null, and fclose(stdout) only flushes it (wrapped too), so that
 * the next run can write. Exit statuses other than 0, 1 and 2 abort (a
 * tool must never end otherwise).
 */
#include <fcntl.h>
#include <getopt.h>
#include <setjmp.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "fuzz.h"

int fuzz_tool_main(int argc, char **argv);
void tool_reset(void);
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);
int LLVMFuzzerInitialize(int *argc, char ***argv);

#define STR2(x) #x
#define STR(x) STR2(x)

/* option sets per tool; "F" is replaced by the input file */
static const char *const sets[][6] = {
#if defined(FUZZ_tsconv)
	{ "F" }, { "-o", "bin", "F" }, { "-o", "csv", "--order", "any", "F" },
	{ "--order", "strict", "--shape", "long", "F" },
#elif defined(FUZZ_paa)
	{ "-o", "csv", "-w", "8", "-g", "2", "F" }, { "-o", "bin", "-w", "1h", "F" },
	{ "-Z", "-w", "4", "-g", "4", "F" }, { "-w", "30s", "-g", "1", "F" },
#elif defined(FUZZ_sax)
	{ "-o", "csv", "-w", "8", "-g", "2", "F" }, { "-w", "16", "-g", "4", "-a", "4", "F" },
	{ "-D", "F" }, { "-w", "1m", "-g", "2", "F" },
#elif defined(FUZZ_dwt)
	{ "-W", "haar", "-w", "8", "-J", "2", "-o", "csv", "F" }, { "-w", "32", "-J", "2", "F" },
	{ "-W", "db2", "-m", "periodization", "-w", "1m", "F" }, { "-W", "sym3", "-w", "16", "-J", "1", "-o", "bin", "F" },
#elif defined(FUZZ_lttb)
	{ "-w", "16", "-n", "4", "F" }, { "-r", "3", "F" }, { "-w", "1m", "-n", "5", "-o", "bin", "F" },
	{ "--whole", "-n", "3", "F" },
#elif defined(FUZZ_sdt)
	{ "-w", "16", "-n", "4", "F" }, { "-r", "2", "F" }, { "-w", "1m", "-n", "5", "-o", "bin", "F" },
	{ "--whole", "-n", "3", "F" },
#elif defined(FUZZ_thresh)
	{ "F" }, { "-r", "2", "F" }, { "-k", "0.5", "-e", "F" }, { "-u", "-o", "csv", "F" },
#elif defined(FUZZ_merge)
	{ "F" }, { "--full", "F" }, { "-o", "csv", "--shape", "long", "F" }, { "--full", "-o", "bin", "F" },
#elif defined(FUZZ_tscore)
	{ "F" }, { "-o", "csv", "F" },
#else
#error "define FUZZ_<tool>"
#endif
};

/* ---- exit */

static jmp_buf back;
static int in_run, status;

void __real_exit(int code) __attribute__((noreturn));
void __wrap_exit(int code) __attribute__((noreturn));
void __wrap_exit(int code)
{
	if (!in_run)
		__real_exit(code);
	status = code;
	longjmp(back, 1);
}

int __real_fclose(FILE *f);
int __wrap_fclose(FILE *f);
int __wrap_fclose(FILE *f)
{
	if (f == stdout)
		return fflush(f);
	return __real_fclose(f);
}

/* ---- the live blocks of a run: open addressing on the pointer */

void *__real_malloc(size_t n);
void *__real_calloc(size_t a, size_t b);
void *__real_realloc(void *p, size_t n);
void __real_free(void *p);
void *__wrap_malloc(size_t n);
void *__wrap_calloc(size_t a, size_t b);
void *__wrap_realloc(void *p, size_t n);
void __wrap_free(void *p);

#define LIVE_BITS 16
#define LIVE_CAP ((size_t)1 << LIVE_BITS)
static void **live;            /* (LIVE_CAP) NULL empty, TOMB deleted */
static size_t nlive;
static char tomb;
#define TOMB ((void *)&tomb)

static size_t slot_of(void *p)
{
	return (size_t)(((uintptr_t)p >> 4) * 0x9E3779B97F4A7C15ull >> (64 - LIVE_BITS));
}

static void live_add(void *p)
{
	if (!in_run || !p || nlive >= LIVE_CAP / 2)
		return; /* past half full: let it leak rather than slow down */
	for (size_t i = slot_of(p);; i = (i + 1) & (LIVE_CAP - 1))
		if (!live[i] || live[i] == TOMB) {
			live[i] = p;
			nlive++;
			return;
		}
}

static void live_del(void *p)
{
	if (!p || !nlive)
		return;
	for (size_t i = slot_of(p);; i = (i + 1) & (LIVE_CAP - 1)) {
		if (!live[i])
			return;
		if (live[i] == p) {
			live[i] = TOMB;
			nlive--;
			return;
		}
	}
}

void *__wrap_malloc(size_t n)
{
	void *p = __real_malloc(n);
	live_add(p);
	return p;
}

void *__wrap_calloc(size_t a, size_t b)
{
	void *p = __real_calloc(a, b);
	live_add(p);
	return p;
}

void *__wrap_realloc(void *p, size_t n)
{
	void *q = __real_realloc(p, n);
	if (q || !n) {
		live_del(p);
		live_add(q);
	}
	return q;
}

void __wrap_free(void *p)
{
	live_del(p);
	__real_free(p);
}

static unsigned char fd_open0[1024]; /* open before the first run */

static void close_new_fds(void)
{
	for (int i = 3; i < 1024; i++)
		if (!fd_open0[i])
			close(i);
}

static void free_live(void)
{
	for (size_t i = 0; i < LIVE_CAP && nlive; i++)
		if (live[i] && live[i] != TOMB) {
			__real_free(live[i]);
			nlive--;
		}
	memset(live, 0, LIVE_CAP * sizeof *live);
	nlive = 0;
}

int LLVMFuzzerInitialize(int *argc, char ***argv)
{
	(void)argc;
	(void)argv;
	live = __real_calloc(LIVE_CAP, sizeof *live);
	if (!live || !freopen("/dev/null", "w", stdout))
		abort();
	setvbuf(stdout, NULL, _IOFBF, 1 << 16);
	for (int i = 3; i < 1024; i++)
		fd_open0[i] = fcntl(i, F_GETFD) != -1;
	return 0;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static char file[64];
	char *argv[16];
	const char *const *set;
	int fd, argc = 0;
	size_t nsets = sizeof sets / sizeof sets[0];

	if (size < 1)
		return 0;
	set = sets[data[0] % nsets];
	data++, size--;
	if ((fd = fuzz_fd(data, size)) < 0)
		return 0;
	snprintf(file, sizeof file, "/proc/self/fd/%d", fd);
	argv[argc++] = (char *)STR(FUZZ_TOOL);
	for (int i = 0; i < 6 && set[i]; i++)
		argv[argc++] = (char *)(strcmp(set[i], "F") ? set[i] : file);
	argv[argc] = NULL;
	optind = 0; /* getopt starts afresh */
	tool_reset();
	status = 0;
	in_run = 1;
	if (!setjmp(back))
		status = fuzz_tool_main(argc, argv);
	in_run = 0;
	free_live();
	close(fd);
	close_new_fds(); /* files a dying tool left open */
	clearerr(stdout);
	if (status < 0 || status > 2)
		abort(); /* a tool ends with 0, 1 or 2 (signals are not sent here) */
	return 0;
}
