/* Two-stage translation with Sv39x4 (and Sv39 in the VS stage): see gstage.inc. */
#define LEVELS 3
#include "gstage.inc"
