/* dynlib.c: functions of a shared library looked up when first needed. */
#include "dynlib.h"

#include <dlfcn.h>
#include <stdio.h>

#include "tsd.h"

int tsd_dynlib_load(void **fns, const char *const *names, size_t n, const char *soname,
		    char *errbuf, size_t errlen)
{
	/* never closed: the functions stay in use */
	void *h = dlopen(soname, RTLD_NOW | RTLD_LOCAL);

	if (!h) {
		snprintf(errbuf, errlen, "%s", dlerror());
		return TSD_EIO;
	}
	for (size_t i = 0; i < n; i++) {
		dlerror();
		if (!(fns[i] = dlsym(h, names[i]))) {
			const char *why = dlerror(); /* names the file and the symbol */
			if (why)
				snprintf(errbuf, errlen, "%s", why);
			else
				snprintf(errbuf, errlen, "%s: %s is null", soname, names[i]);
			return TSD_EIO;
		}
	}
	return 0;
}
