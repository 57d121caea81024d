"""Call libhotpath with plain ctypes — no hotpath Python wrapper, no compiler.

Shows the ABI conventions from Python: status codes, the thread-local error message, and
a library-allocated result released by its own free function.
"""
import ctypes

import hotpath  # only to find the bundled library; any libhotpath.so.0 works

lib = ctypes.CDLL(hotpath.library_path())
lib.hp_hash64.restype = ctypes.c_uint64
lib.hp_hash64.argtypes = [ctypes.c_char_p, ctypes.c_size_t, ctypes.c_uint64]
lib.hp_utf8_validate.restype = ctypes.c_int
lib.hp_utf8_validate.argtypes = [ctypes.c_char_p, ctypes.c_size_t, ctypes.POINTER(ctypes.c_size_t)]
lib.hp_last_error_message.restype = ctypes.c_char_p

print("hash64(b'hello') =", hex(lib.hp_hash64(b"hello", 5, 0)))

offset = ctypes.c_size_t()
status = lib.hp_utf8_validate(b"abc\xff", 4, ctypes.byref(offset))
print("validate:", status, offset.value, lib.hp_last_error_message().decode())


class Strings(ctypes.Structure):
    _fields_ = [("data", ctypes.c_void_p), ("offsets", ctypes.POINTER(ctypes.c_int64)),
                ("count", ctypes.c_size_t)]


lib.hp_split.restype = ctypes.c_int
lib.hp_split.argtypes = [ctypes.POINTER(ctypes.POINTER(Strings)), ctypes.c_char_p, ctypes.c_size_t,
                         ctypes.c_char_p, ctypes.c_size_t, ctypes.c_int64]
lib.hp_strings_free.argtypes = [ctypes.POINTER(Strings)]
out = ctypes.POINTER(Strings)()
assert lib.hp_split(ctypes.byref(out), b"a,b,,c", 6, b",", 1, -1) == 0
batch = out.contents
offs = batch.offsets[: batch.count + 1]
print("split:", [ctypes.string_at(batch.data + offs[i], offs[i + 1] - offs[i])
                 for i in range(batch.count)])
lib.hp_strings_free(out)  # never libc free
