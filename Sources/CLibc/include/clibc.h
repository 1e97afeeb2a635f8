#ifndef CLIBC_H
#define CLIBC_H
#include <stddef.h>
#include <malloc.h>
#include <spawn.h>

// glibc declares memmem only under _GNU_SOURCE, which Swift's Glibc module does not
// set; declare it here (the same prototype) so NewsCore can call libc's optimized
// search on its contiguous title buffers. <malloc.h> (mallinfo2, for the memory
// benchmark) is not part of Swift's Glibc module either.
void *memmem(const void *haystack, size_t haystacklen, const void *needle, size_t needlelen);


// The pseudo-terminal calls (for the start-up benchmark), declared only under
// _XOPEN_SOURCE by glibc.
int posix_openpt(int flags);
int grantpt(int fd);
int unlockpt(int fd);
char *ptsname(int fd);

// glibc (2.34 and later) declares it only under _GNU_SOURCE: the link opener closes every
// descriptor but 0-2 in the program it starts.
int posix_spawn_file_actions_addclosefrom_np(posix_spawn_file_actions_t *actions, int from);

#endif
