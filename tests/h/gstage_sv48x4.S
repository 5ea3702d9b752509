/* Two-stage translation with Sv48x4 (and Sv48 in the VS stage): see gstage.inc. */
#define LEVELS 4
#include "gstage.inc"
