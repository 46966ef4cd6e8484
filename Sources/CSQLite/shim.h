#ifndef W2V_CSQLITE_SHIM_H
#define W2V_CSQLITE_SHIM_H
#include <sqlite3.h>
#endif
