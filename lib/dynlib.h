/* dynlib.h: functions of a shared library looked up when first needed.
 *
 * The storage backends (store_sqlite.c, store_pg.c) reach libsqlite3 and
 * libpq this way, so that no tool links them: a tool that never opens a
 * database (tsconsume without --positions) does not load them and the
 * libraries they bring (libpq alone brings about twenty), which took about
 * 2.3 ms of CPU at every start. The library stays loaded until the process
 * ends.
 */
#ifndef TSD_DYNLIB_H
#define TSD_DYNLIB_H

#include <stddef.h>

/* Load the library soname (e.g. "libpq.so.5") and put the address of each
 * of the n functions names[i] in fns[i]. 0, or TSD_EIO with the loader's
 * message ("libpq.so.5: cannot open shared object file: ...") in errbuf
 * (errlen bytes); fns is then not to be used. */
int tsd_dynlib_load(void **fns, const char *const *names, size_t n, const char *soname,
		    char *errbuf, size_t errlen);

#endif
