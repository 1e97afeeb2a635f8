// The header only declares libc's memmem; this file exists because SwiftPM needs a
// source file in every C target.
#include "csearch.h"
