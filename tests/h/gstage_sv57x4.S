/* Two-stage translation with Sv57x4 (and Sv57 in the VS stage): see gstage.inc. */
#define LEVELS 5
#include "gstage.inc"
