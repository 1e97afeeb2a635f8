// SwiftPM needs a source file in every C target; the header only declares libc functions.
#include "clibc.h"
