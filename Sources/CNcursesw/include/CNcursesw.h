#ifndef CNCURSESW_H
#define CNCURSESW_H

// SwiftPM drops pkg-config's -D flags: without these, cchar_t, setcchar, wadd_wch and
// wget_wch are not declared.
#ifndef NCURSES_WIDECHAR
#define NCURSES_WIDECHAR 1
#endif
#ifndef _XOPEN_SOURCE_EXTENDED
#define _XOPEN_SOURCE_EXTENDED 1
#endif

#include <locale.h>
#include <langinfo.h>
#include <wchar.h>
#include <curses.h>

// Swift 6 rejects the globals stdscr, LINES and COLS (shared mutable state) and cannot
// import function-like macros: small accessors instead.
WINDOW *nd_stdscr(void);
int nd_lines(void);
int nd_cols(void);

// newterm on the process's stdout, reading keys from `input_fd` (stdin, or /dev/tty when
// stdin is not a terminal); NULL on failure (unlike initscr, which exits the process).
SCREEN *nd_newterm(int input_fd);
// Whether the terminal type in TERM can address the cursor (has `cup`): 1 yes, 0 no
// (dumb), -1 unknown or unset. Loads the terminfo entry and frees it again; writes nothing.
int nd_terminal_can_address(void);
// Whether the current locale's character set is UTF-8.
int nd_codeset_is_utf8(void);

// Attribute and colour macros as values.
attr_t nd_a_bold(void);
attr_t nd_a_reverse(void);
attr_t nd_a_underline(void);
attr_t nd_a_dim(void);
int nd_color_pairs(void);

// The terminal's size from the kernel (TIOCGWINSZ on stdin, then stdout); 0 on success.
int nd_window_size(int *rows, int *cols);

// Writes one grapheme (up to CCHARW_MAX wide characters: a base and combining marks)
// with attributes and a colour pair at the cursor.
int nd_add_cluster(const wchar_t *chars, int count, attr_t attrs, short pair);

// Saves the terminal modes now (of stdout, where ncurses sets them), to restore them if
// the process crashes.
void nd_save_terminal(void);
// Installs handlers for SEGV, ILL, TRAP, ABRT, BUS and FPE that restore the terminal
// (leave the alternate screen, show the cursor, reset attributes, restore the saved
// modes: all async-signal-safe) and then let the signal take its default course, so
// the crash is still reported where it happened.
void nd_install_crash_handlers(void);
// The same restoring, unconditionally.
void nd_restore_terminal_raw(void);
// Turns the terminal's mouse reports on (1: buttons and wheel, ESC [ ? 1000 h, in the SGR
// encoding, ESC [ ? 1006 h) or off (0), written straight to stdout (call it between
// frames, when ncurses has nothing buffered). While on, the crash-time restore and the
// atexit backstop turn them off too.
void nd_mouse_reporting(int on);
// Wraps ncurses' SIGTSTP handler (installed by newterm) so that mouse reporting is off
// while the process is stopped (Ctrl-Z) and on again when it continues.
void nd_install_suspend_hook(void);
// Marks whether the terminal is in curses mode; an atexit backstop (installed once by
// nd_install_crash_handlers) restores it only then, for exits that skip endwin.
void nd_set_active(int active);

#endif
