/* -kernel uImage with gzip compression forced, checksums fixed up: the
 * decompressor and its bound on the output. */
#include "uimage.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    return uimage_run(data, size, 1);
}
