#!/usr/bin/env python3
"""Print the XXH3-64 (default) or XXH3-128 (--128) reference table of tests/c/test_hash.c.

The input is the prefix of length n of the pattern test_hash.c rebuilds in C: a 64-bit
LCG (state = state * 6364136223846793005 + 1442695040888963407 mod 2**64, starting
from 1, stepped before each byte) whose top byte is the data byte. Expected values
come from the xxhash package (pip install xxhash), i.e. XXH3_64bits_withSeed and
XXH3_128bits_withSeed; a 128-bit row is {len, seed, low 64 bits, high 64 bits}.

    python3 tests/c/gen_hash_vectors.py > /tmp/vectors.inc
    python3 tests/c/gen_hash_vectors.py --128 > /tmp/vectors128.inc
"""
import sys

import xxhash

LENGTHS = [
    0, 1, 2, 3, 4, 5, 7, 8, 9, 12, 15, 16, 17, 31, 32, 33, 48, 63, 64, 65, 96, 127, 128,
    129, 130, 143, 144, 159, 160, 191, 192, 208, 239, 240, 241, 242, 255, 256, 257, 319,
    320, 321, 511, 512, 513, 1023, 1024, 1025, 1087, 1088, 1089, 2047, 2048, 2049, 4095,
    4096, 4097, 10000, 16383, 16384, 16385, 100000, 1048576 + 17,
]
# XXH3-128 has its own chunking in 17..240 (32-byte pairs): add the edges of those.
LENGTHS_128 = sorted(set(LENGTHS) | {6, 10, 11, 13, 14, 97, 112, 113, 161, 175, 176, 193,
                                     207, 209, 223, 224, 225})
SEEDS = [0, 42, 0x100000000, 0xDEADBEEFCAFEF00D]
MASK = (1 << 64) - 1


def pattern(n):
    out = bytearray(n)
    state = 1
    for i in range(n):
        state = (state * 6364136223846793005 + 1442695040888963407) & MASK
        out[i] = state >> 56
    return bytes(out)


def main():
    wide = "--128" in sys.argv[1:]
    data = pattern(max(LENGTHS))
    for seed in SEEDS:
        for n in LENGTHS_128 if wide else LENGTHS:
            if wide:
                h = xxhash.xxh3_128_intdigest(data[:n], seed)
                print(f"    {{{n}, 0x{seed:016X}ULL, 0x{h & MASK:016X}ULL, "
                      f"0x{h >> 64:016X}ULL}},")
            else:
                h = xxhash.xxh3_64_intdigest(data[:n], seed)
                print(f"    {{{n}, 0x{seed:016X}ULL, 0x{h:016X}ULL}},")


if __name__ == "__main__":
    main()
