"""Use hotpath's compiled cffi module directly: the fastest bridge, C types visible.

`hotpath._hotpath_cffi` is an out-of-line API-mode module compiled against hotpath.h,
so `lib` has every public function and enum constant. Prefer the `hotpath.text` wrappers
unless you need to shave the last few ns per call.
"""
from hotpath._hotpath_cffi import ffi, lib

data = b"hello world"
print("hash64:", hex(lib.hp_hash64(data, len(data), 0)))

h = ffi.new("hp_hasher64 **")
assert lib.hp_hasher64_new(h, 0) == lib.HP_OK
hasher = ffi.gc(h[0], lib.hp_hasher64_free)  # safety net; free explicitly when you can
lib.hp_hasher64_update(hasher, b"hello ", 6)
lib.hp_hasher64_update(hasher, b"world", 5)
out = ffi.new("uint64_t *")
lib.hp_hasher64_digest(hasher, out)
print("streamed:", hex(out[0]))

# Caller buffer: ask for the bound, decode into it.
text = "naïve café 😀".encode()
cap = lib.hp_utf8_to_utf32_bound(len(text))
cps, n = ffi.new("uint32_t[]", cap), ffi.new("size_t *")
assert lib.hp_utf8_to_utf32(cps, cap, n, text, len(text)) == lib.HP_OK
print("code points:", list(cps[0:n[0]]))

# Too small: HP_EBUFSIZE, with the needed size in *n and in the message.
st = lib.hp_utf8_to_utf32(cps, 3, n, text, len(text))
print(ffi.string(lib.hp_status_name(st)).decode(), n[0],
      ffi.string(lib.hp_last_error_message()).decode())
