/* libtiff's TIFFSetField/TIFFGetField are variadic, which Swift cannot call: typed wrappers.
   Varargs ABI: uint16 tags are passed as int, RATIONAL tags as double. */
#include <stdint.h>
#include <stdarg.h>
#include <tiffio.h>
static inline int ctiff_set_u16(TIFF *t, uint32_t tag, uint16_t v) { return TIFFSetField(t, tag, (int)v); }
static inline int ctiff_set_u32(TIFF *t, uint32_t tag, uint32_t v) { return TIFFSetField(t, tag, v); }
static inline int ctiff_set_float(TIFF *t, uint32_t tag, float v) { return TIFFSetField(t, tag, (double)v); }
static inline int ctiff_set_string(TIFF *t, uint32_t tag, const char *v) { return TIFFSetField(t, tag, v); }
static inline int ctiff_set_u16_pair(TIFF *t, uint32_t tag, uint16_t a, uint16_t b) { return TIFFSetField(t, tag, (int)a, (int)b); }
static inline int ctiff_get_u16(TIFF *t, uint32_t tag, uint16_t *v) { return TIFFGetField(t, tag, v); }
static inline int ctiff_get_u32(TIFF *t, uint32_t tag, uint32_t *v) { return TIFFGetField(t, tag, v); }
static inline int ctiff_get_float(TIFF *t, uint32_t tag, float *v) { return TIFFGetField(t, tag, v); }
static inline int ctiff_get_string(TIFF *t, uint32_t tag, const char **v) { return TIFFGetField(t, tag, v); }
static inline int ctiff_get_u16_pair(TIFF *t, uint32_t tag, uint16_t *a, uint16_t *b) { return TIFFGetField(t, tag, a, b); }
static inline int ctiff_get_u16_defaulted(TIFF *t, uint32_t tag, uint16_t *v) { return TIFFGetFieldDefaulted(t, tag, v); }
static inline int ctiff_get_float_defaulted(TIFF *t, uint32_t tag, float *v) { return TIFFGetFieldDefaulted(t, tag, v); }
/* Silences libtiff's process-wide warning and error printing (spandsp opens files with plain TIFFOpen). */
static inline void ctiff_silence_global_handlers(void) { TIFFSetErrorHandler(NULL); TIFFSetWarningHandler(NULL); }
