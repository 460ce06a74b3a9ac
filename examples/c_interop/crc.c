/* A C source compiled into the Zig module by zigimport (see the //! zigimport: line in crc.zig). */
#include "crc.h"

uint32_t crc32_bytes(const unsigned char *data, size_t len) {
    uint32_t crc = 0xFFFFFFFFu;
    for (size_t i = 0; i < len; i++) {
        crc ^= data[i];
        for (int k = 0; k < 8; k++) crc = (crc >> 1) ^ (0xEDB88320u & (0u - (crc & 1u)));
    }
    return ~crc;
}
