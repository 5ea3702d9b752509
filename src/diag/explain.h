/* Known failure patterns turned into explanations (see explain.c). */
#ifndef RIVET_EXPLAIN_H
#define RIVET_EXPLAIN_H

struct virt;

/* Print "rivet: diagnosis: ..." and "rivet:   next step: ..." for every
 * pattern `log` (the kernel log, NUL-terminated) and the machine match. */
void diag_explain(struct virt *v, const char *log);

#endif
