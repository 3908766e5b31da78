/* Ghostscript's embedding API (libgs-dev ships no pkg-config file). */
#include <stddef.h>
#include <ghostscript/iapi.h>
#include <ghostscript/ierrors.h>
