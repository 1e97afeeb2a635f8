#include "CNcursesw.h"

#include <signal.h>
#include <stdio.h>
#include <term.h>
#include <string.h>
#include <sys/ioctl.h>
#include <termios.h>
#include <stdlib.h>
#include <unistd.h>
#include <errno.h>

WINDOW *nd_stdscr(void) { return stdscr; }
int nd_lines(void) { return LINES; }
int nd_cols(void) { return COLS; }

SCREEN *nd_newterm(int input_fd) {
    FILE *input = input_fd == STDIN_FILENO ? stdin : fdopen(input_fd, "r");
    if (input == NULL) return NULL;
    return newterm(NULL, stdout, input);
}

int nd_terminal_can_address(void) {
    const char *term = getenv("TERM");
    if (term == NULL || term[0] == '\0') return -1;
    int error = 0;
    TERMINAL *previous = cur_term;
    if (setupterm(term, STDOUT_FILENO, &error) != OK) return -1;
    const char *cup = tigetstr("cup");
    int can = cup != NULL && cup != (const char *)-1;
    del_curterm(set_curterm(previous));
    return can;
}

int nd_codeset_is_utf8(void) {
    const char *codeset = nl_langinfo(CODESET);
    return codeset != NULL && strcmp(codeset, "UTF-8") == 0;
}

attr_t nd_a_bold(void) { return A_BOLD; }
attr_t nd_a_reverse(void) { return A_REVERSE; }
attr_t nd_a_underline(void) { return A_UNDERLINE; }
attr_t nd_a_dim(void) { return A_DIM; }
int nd_color_pairs(void) { return COLOR_PAIRS; }

int nd_window_size(int *rows, int *cols) {
    struct winsize ws;
    if (ioctl(STDIN_FILENO, TIOCGWINSZ, &ws) != 0 && ioctl(STDOUT_FILENO, TIOCGWINSZ, &ws) != 0) return -1;
    *rows = ws.ws_row;
    *cols = ws.ws_col;
    return 0;
}

int nd_add_cluster(const wchar_t *chars, int count, attr_t attrs, short pair) {
    wchar_t buffer[CCHARW_MAX + 1];
    if (count > CCHARW_MAX) count = CCHARW_MAX;
    memcpy(buffer, chars, sizeof(wchar_t) * (size_t)count);
    buffer[count] = L'\0';
    cchar_t cell;
    if (setcchar(&cell, buffer, attrs, pair, NULL) == ERR) return ERR;
    return wadd_wch(stdscr, &cell);
}

// Crash restoring: everything here is async-signal-safe (write, tcsetattr, sigaction, raise).
static volatile sig_atomic_t terminal_active = 0;
static struct termios saved_modes;
static int have_saved_modes = 0;
static const char restore_sequence[] = "\033[?1049l\033[?25h\033[0m\r\n";
static volatile sig_atomic_t mouse_on = 0;
static const char mouse_on_sequence[] = "\033[?1000h\033[?1006h";
static const char mouse_off_sequence[] = "\033[?1006l\033[?1000l";

static void write_all(const char *bytes, size_t count) {
    while (count > 0) {
        ssize_t n = write(STDOUT_FILENO, bytes, count);
        if (n < 0) {
            if (errno == EINTR) continue;
            return;
        }
        bytes += n;
        count -= (size_t)n;
    }
}

void nd_mouse_reporting(int on) {
    if (on) {
        write_all(mouse_on_sequence, sizeof(mouse_on_sequence) - 1);
        mouse_on = 1;
    } else {
        mouse_on = 0;
        write_all(mouse_off_sequence, sizeof(mouse_off_sequence) - 1);
    }
}

void nd_save_terminal(void) {
    if (tcgetattr(STDOUT_FILENO, &saved_modes) == 0) have_saved_modes = 1;
}

void nd_restore_terminal_raw(void) {
    if (mouse_on) {
        mouse_on = 0;
        write_all(mouse_off_sequence, sizeof(mouse_off_sequence) - 1);
    }
    ssize_t ignored = write(STDOUT_FILENO, restore_sequence, sizeof(restore_sequence) - 1);
    (void)ignored;
    if (have_saved_modes) tcsetattr(STDOUT_FILENO, TCSANOW, &saved_modes);
}

static const int crash_signals[] = {SIGSEGV, SIGILL, SIGTRAP, SIGABRT, SIGBUS, SIGFPE};
#define CRASH_SIGNAL_COUNT (sizeof(crash_signals) / sizeof(crash_signals[0]))
static struct sigaction previous_actions[CRASH_SIGNAL_COUNT];

static void crash_handler(int sig, siginfo_t *info, void *context) {
    (void)context;
    if (terminal_active) nd_restore_terminal_raw();
    terminal_active = 0;
    // Put back whoever handled this signal before us (Swift's backtracer, or the default).
    for (size_t i = 0; i < CRASH_SIGNAL_COUNT; i++) {
        if (crash_signals[i] == sig) sigaction(sig, &previous_actions[i], NULL);
    }
    // A fault returns to the faulting instruction, which faults again into that handler,
    // which then reports the real location. A signal sent by kill/raise/abort is re-sent.
    if (info == NULL || info->si_code <= 0) raise(sig);
}

void nd_set_active(int active) { terminal_active = active; }

// Ctrl-Z: ncurses' own SIGTSTP handler leaves curses mode, stops the process and, once
// continued, redraws. Mouse reporting is ours, so it is turned off around that stop (the
// shell would get the reports) and on again after it.
static struct sigaction curses_tstp;

static void suspend_handler(int sig) {
    int saved_errno = errno;
    int reporting = mouse_on;
    if (reporting) write_all(mouse_off_sequence, sizeof(mouse_off_sequence) - 1);
    if (curses_tstp.sa_handler != SIG_DFL && curses_tstp.sa_handler != SIG_IGN) curses_tstp.sa_handler(sig);
    if (reporting && mouse_on) write_all(mouse_on_sequence, sizeof(mouse_on_sequence) - 1);
    errno = saved_errno;
}

void nd_install_suspend_hook(void) {
    static int installed = 0;
    if (installed) return;
    struct sigaction current;
    if (sigaction(SIGTSTP, NULL, &current) != 0) return;
    // Only around a plain handler of ncurses' (none: Ctrl-Z is ignored, or stops as it is).
    if ((current.sa_flags & SA_SIGINFO) || current.sa_handler == SIG_DFL || current.sa_handler == SIG_IGN) return;
    installed = 1;
    curses_tstp = current;
    struct sigaction action = current;
    action.sa_handler = suspend_handler;
    sigaction(SIGTSTP, &action, NULL);
}

static void atexit_restore(void) {
    if (terminal_active) {
        if (mouse_on) nd_mouse_reporting(0);
        endwin();
        terminal_active = 0;
    }
}

void nd_install_crash_handlers(void) {
    static int installed = 0;
    if (installed) return;
    installed = 1;
    atexit(atexit_restore);
    for (size_t i = 0; i < CRASH_SIGNAL_COUNT; i++) {
        struct sigaction action;
        memset(&action, 0, sizeof(action));
        action.sa_sigaction = crash_handler;
        sigemptyset(&action.sa_mask);
        action.sa_flags = SA_SIGINFO | SA_NODEFER;
        sigaction(crash_signals[i], &action, &previous_actions[i]);
    }
}
