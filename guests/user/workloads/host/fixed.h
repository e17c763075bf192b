/* host/fixed.h - the kit's <fixed.h> (guests/lib), for host builds. */
#include "../../../lib/include/fixed.h"
