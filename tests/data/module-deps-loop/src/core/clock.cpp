// A broken tree for tools/check-module-deps: HDF5 outside output.
#include <hdf5.h>
