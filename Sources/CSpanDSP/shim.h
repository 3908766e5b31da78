/* spandsp 0.0.6: only the umbrella header compiles on its own. */
#include <stdint.h>
#include <inttypes.h>
#include <stdbool.h>
#include <tiffio.h>
#include <spandsp.h>
/* spandsp's TRUE is `#define TRUE (!FALSE)`, which Swift cannot import. */
static const int CSPANDSP_TRUE = 1;
static const int CSPANDSP_FALSE = 0;
