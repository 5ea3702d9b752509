/* Bring-up diagnostics: the boot timeline (-d boot), the kernel log read
 * out of guest memory when the console is silent, and explained failures.
 *
 * The CPU and the board report events through the hooks below. They sit
 * only on slow paths (traps, xRET, satp writes, console output) and cost a
 * load and a branch once their event has been seen. Everything printed goes
 * to stderr or the -D log, never into the guest's console stream. */
#ifndef RIVET_DIAG_H
#define RIVET_DIAG_H

#include "util/common.h"

struct hart;
struct virt;
struct chardev;
struct symtab;

/* The boot stages, in the order a healthy boot reaches them. */
enum diag_kind {
    DIAG_RESET, DIAG_FIRMWARE, DIAG_S_ENTRY, DIAG_MMU_ON, DIAG_S_OUTPUT, DIAG_CONSOLE,
    DIAG_INITRAMFS, DIAG_U_ENTRY, DIAG_STDIN_READ, DIAG_END, DIAG_KINDS
};

/* Set by the command line: -M virt,symbols=FILE and -M virt,silence=SECONDS. */
struct diag_options {
    const char *symbols;
    int silence_s;          /* -1: the default (10 s; off under -icount); 0: off */
};
extern struct diag_options diag_opts;

/* The hart the calling thread is running (diag_slice). */
extern __thread struct hart *diag_current_hart;

/* Record the first occurrence of a stage (thread-safe; later ones are
 * ignored). `note` may be NULL. */
void diag_event(enum diag_kind kind, const struct hart *h, uint64_t pc, const char *note);

/* CPU hooks. diag_trap: before the trap changes any state (h->pc is the
 * epc, h->priv the privilege trapped from). diag_xret: after MRET/SRET. */
void diag_trap(struct hart *h, uint64_t cause, uint64_t tval, bool interrupt);
void diag_xret(const struct hart *h);
/* satp written with a translation mode: the MMU is on. */
void diag_satp(const struct hart *h, uint64_t satp);

/* Board hooks. */
void diag_start(struct virt *v);
/* The console the UART writes through, with the timeline's tap on it. */
struct chardev *diag_console_tap(struct chardev *inner);
/* The guest ended: poweroff/exit status, or a reset. */
void diag_guest_end(bool reset, int status);
/* Each slice of a hart, on its thread: who runs there (the console tap
 * tells kernel output from firmware output by it), and a pc sample. */
void diag_slice(struct hart *h);
/* From the run loops' I/O side, often: is a report due (silence timer,
 * Ctrl-A d, panic)? Cheap when not. */
bool diag_due(struct virt *v);
/* Print the report diag_due asked for. With harts on threads, the caller
 * holds them first: the report reads every hart's state. */
void diag_report(struct virt *v);
/* Ctrl-A d (the console): report at the next poll. */
void diag_request_report(void);
/* At exit: the -d boot summary, and the report after a failed boot. */
void diag_at_exit(struct virt *v, int status);

#endif
