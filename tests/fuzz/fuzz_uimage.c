/* -kernel uImage (any compression byte), checksums fixed up. */
#include "uimage.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    return uimage_run(data, size, -1);
}
