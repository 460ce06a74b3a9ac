#include <stddef.h>
#include <stdint.h>

uint32_t crc32_bytes(const unsigned char *data, size_t len);
