/* progress.h: a long run says how far it is, on stderr, when a person is
 * watching: records read, their rate and the time elapsed, rewritten in
 * place once a second, first after a second (a short run prints nothing).
 *
 * On by default only when stderr is a terminal and stdout is not a pipe
 * (the last stage of a pipeline, so that the stages of one pipeline do not
 * write over each other's line); --progress forces it, --no-progress turns
 * it off. Messages (tool_warn) first clear the line. */
#ifndef TOOL_PROGRESS_H
#define TOOL_PROGRESS_H

#include <stdint.h>

enum { TOOL_PROGRESS_AUTO = 0, TOOL_PROGRESS_ON = 1, TOOL_PROGRESS_OFF = 2 };

/* Choose (TOOL_PROGRESS_*); the clock starts at the first record. */
void tool_progress_mode(int mode);
/* Called for every record read; looks at the clock every 4096 records. */
void tool_progress_check(void);
extern uint64_t tool_progress_n;
static inline void tool_progress_tick(void)
{
	if ((++tool_progress_n & 4095) == 0)
		tool_progress_check();
}
/* Clear the line before a message; a final line with the totals at the
 * end of a run that showed progress. */
void tool_progress_clear(void);
void tool_progress_end(void);

#endif
