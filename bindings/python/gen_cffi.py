"""Emit the C source of the cffi out-of-line API-mode module hotpath._hotpath_cffi.

Usage: gen_cffi.py CDEF OUTPUT. The compiled module includes hotpath.h, so a cdef that
disagrees with the header is a compile error, not a crash.
"""
import os
import sys

import cffi


def main():
    cdef_path, output = sys.argv[1], sys.argv[2]
    with open(cdef_path, encoding="utf-8") as f:
        cdef = f.read()
    ffi = cffi.FFI()
    ffi.cdef(cdef)
    ffi.set_source("hotpath._hotpath_cffi", '#include "hotpath.h"')
    # emit_c_code does not rewrite an identical file; remove it so the build step's
    # output is always newer than its inputs.
    if os.path.exists(output):
        os.remove(output)
    ffi.emit_c_code(output)


if __name__ == "__main__":
    main()
