/* plotweb.h: tsplot's small web page (libmicrohttpd): "/" is a page that
 * reloads the chart at the refresh rate, "/chart.png" (or "/chart.svg")
 * the latest chart, served from memory. */
#ifndef TSD_PLOTWEB_H
#define TSD_PLOTWEB_H

#include <stddef.h>

typedef struct tool_plotweb tool_plotweb;

/* Connection limits (see tsplot(1)): idle seconds before a connection is
 * closed, connections from one address, connections in all. */
#define TOOL_PLOTWEB_TIMEOUT 10
#define TOOL_PLOTWEB_PER_IP 32
#define TOOL_PLOTWEB_MAX 4096

/* Listen on bind (an IPv4 address) and port. svg: the chart is SVG, else
 * PNG. 0 on success; -2 when bind is not an IPv4 address, -1 when the
 * socket or the server cannot start (errno set where it says why); err
 * gets a message either way. */
int tool_plotweb_start(tool_plotweb **w, const char *bind, int port, int svg, long refresh_ms,
		       char *err, size_t errlen);
/* The chart is now the file at path (read whole; left as it was when the
 * file cannot be read). */
void tool_plotweb_load(tool_plotweb *w, const char *path);
void tool_plotweb_stop(tool_plotweb *w);

#endif
