#ifndef W2V_CLAPACKE_SHIM_H
#define W2V_CLAPACKE_SHIM_H
#include <lapacke.h>
#endif
