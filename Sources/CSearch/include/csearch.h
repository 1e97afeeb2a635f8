#ifndef CSEARCH_H
#define CSEARCH_H
#include <stddef.h>

// glibc declares memmem only under _GNU_SOURCE, which Swift's Glibc module does not
// set; declare it here (the same prototype) so NewsCore can call the SIMD-optimized
// libc search on its contiguous title buffers.
void *memmem(const void *haystack, size_t haystacklen, const void *needle, size_t needlelen);

#endif
