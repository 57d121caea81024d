#!/usr/bin/env python3
"""Generate lib/text/unicode_tables.c from Python's unicodedata (and RapidFuzz).

    python3 scripts/gen_unicode_tables.py            # rewrite lib/text/unicode_tables.c
    python3 scripts/gen_unicode_tables.py --check    # exit 1 if the committed file differs

The output is deterministic: the same Python Unicode version and RapidFuzz version give
the same bytes. Both versions are written into the file; hp_unicode_version() returns
unicodedata.unidata_version, and tests/python/test_text_case.py fails with "regenerate"
when the running Python's version differs from the committed tables.

What is extracted, per code point (surrogates excluded, they never occur in UTF-8):

  ALNUM, SPACE     chr(cp).isalnum(), chr(cp).isspace() (used by the split kernels).
  lower/upper/fold chr(cp).lower(), .upper(), .casefold(): the full mappings (1..3 code
                   points). For U+03A3 the table holds the non-final σ; the Final_Sigma
                   context is applied in lib/text/case.c exactly as CPython's
                   handle_capital_sigma() does.
  CASE_IGNORABLE,  the two properties CPython's Final_Sigma rule reads. unicodedata does
  CASED            not expose them, so they are read back from str.lower() itself:
                     r1 = (c + "Σ").lower() ends in "ς"        -> cased(c) and not ci(c)
                     r2 = ("A" + c + "Σ").lower() ends in "ς"  -> ci(c) or cased(c)
                   so ci(c) = r2 and not r1, and CASED is r1. The rule skips
                   case-ignorable characters in both directions before it looks at
                   casedness, so casedness of a case-ignorable character is never
                   observed; CASED is therefore "cased and not case-ignorable".
  RF_ALNUM,        rapidfuzz.utils.default_process (the C++ implementation RapidFuzz
  rf_lower         uses) maps every code point independently to exactly one code point:
                   a space if the character is not alphanumeric in RapidFuzz's own
                   table (which follows a different Unicode version than Python's, so
                   it cannot be derived from unicodedata), else its simple lowercase.
                   It is read back by calling default_process("a" + c + "a") for every
                   code point (the "a"s keep the trimming away). After that mapping the
                   only whitespace left is U+0020, and default_process(c) for every c
                   shows that trimming removes exactly the leading and trailing U+0020.
                   The script checks both facts, and the model on random strings,
                   before writing anything.

Layout: every code point gets a record index through a two-stage table
(stage1[cp >> SHIFT] selects a block of 2**SHIFT uint16 indices in stage2; identical
blocks are stored once). A record holds the property flags and the four mappings; each
mapping is a delta (mapped - cp) when it is one code point, or EXPANSION + i when it is
several, i indexing hp__ucd_expansions (a length followed by the code points). Deltas
make the records shared by whole ranges (A..Z all have lower delta +32), which keeps
the record table small. SHIFT is chosen to minimise the total table size.

Two derived tables serve the fast paths of lib/text/case.c: hp__ucd_changing_leads
(per mapping, the UTF-8 lead bytes of which some character does not map to itself, as
a 16-entry nibble table for vpshufb) and hp__ucd_two_byte (per mapping, the output
bytes of each U+0080..U+07FF character whose mapping is one two-byte character).
The script fails rather than write tables that break an assumption of the C code
(more than 3 code points in a mapping, UTF-8 growth above 3x, a default_process
mapping that is not one code point per code point).
"""

import argparse
import difflib
import os
import random
import sys
import unicodedata

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
OUT = os.path.join(ROOT, "lib", "text", "unicode_tables.c")
OUT_H = os.path.join(ROOT, "lib", "text", "unicode_tables.h")
MAX_CP = 0x110000
EXPANSION = 0x40000000  # mapping values at or above this index the expansion table
MAX_EXPANSION = 3  # code points; hp_utf8_case_bound relies on the byte ratio below

FLAG_ALNUM = 1
FLAG_SPACE = 2
FLAG_CASE_IGNORABLE = 4
FLAG_CASED = 8
FLAG_RF_ALNUM = 16


def code_points():
    for cp in range(MAX_CP):
        if not 0xD800 <= cp <= 0xDFFF:
            yield cp


def load_rapidfuzz():
    try:
        from rapidfuzz import __version__ as version
        from rapidfuzz.utils import default_process
    except ImportError:
        sys.exit(
            "gen_unicode_tables.py: the Python package 'rapidfuzz' is needed to regenerate "
            "the default_process table (pip install rapidfuzz); the committed "
            "lib/text/unicode_tables.c is what builds use, so only regeneration needs it."
        )
    return default_process, version


def rapidfuzz_table(default_process):
    """{cp: lowered cp} for the code points default_process keeps (all others -> space)."""
    kept = {}
    for cp in code_points():
        c = chr(cp)
        m = default_process("a" + c + "a")
        if len(m) != 3 or m[0] != "a" or m[2] != "a":
            sys.exit(f"default_process does not map U+{cp:04X} to one code point: {m!r}")
        if m[1] != " ":
            if m[1].isspace():
                sys.exit(f"default_process keeps U+{cp:04X} as whitespace {m[1]!r}")
            kept[cp] = ord(m[1])
        # the trimming rule: only U+0020 is removed, from both ends
        if default_process(c) != m[1].strip(" "):
            sys.exit(f"default_process trims U+{cp:04X} unexpectedly")
    return kept


def rapidfuzz_model(s, kept):
    return "".join(chr(kept[ord(c)]) if ord(c) in kept else " " for c in s).strip(" ")


def check_rapidfuzz_model(default_process, kept):
    rng = random.Random(12345)
    alphabet = [chr(cp) for cp in range(0x250)] + [
        "\u0130", "\u03a3", "\u00df", "\u3000", "\u2028", "\u00a0", "\U0001f600",
        "\U00010400", "\u0660", "\u2160", "_", "\t", "\n", " ",
    ]
    samples = ["", " ", "  ab_c-d  \t", "\u3000x\u3000", "_a_", "İstanbul ΣΑΣ", " \x00a\x1f "]
    for _ in range(3000):
        n = rng.randrange(0, 24)
        samples.append("".join(rng.choice(alphabet) for _ in range(n)))
    for _ in range(300):
        n = rng.randrange(0, 40)
        samples.append("".join(chr(random_code_point(rng)) for _ in range(n)))
    for s in samples:
        if default_process(s) != rapidfuzz_model(s, kept):
            sys.exit(f"the per-code-point model of default_process fails on {s!r}")


def random_code_point(rng):
    while True:
        cp = rng.randrange(MAX_CP)
        if not 0xD800 <= cp <= 0xDFFF:
            return cp


def final_sigma_properties(c):
    r1 = (c + "\u03a3").lower()[-1] == "\u03c2"
    r2 = ("A" + c + "\u03a3").lower()[-1] == "\u03c2"
    return (r2 and not r1), r1


def utf8_len(cp):
    return 1 if cp < 0x80 else 2 if cp < 0x800 else 3 if cp < 0x10000 else 4


def build(rf_kept):
    expansions = []  # flat list of uint32: n, cp1..cpn
    expansion_index = {}
    records = []
    record_index = {}
    cp_record = [0] * MAX_CP
    worst_ratio = 1.0

    def encode(cp, mapped):
        nonlocal worst_ratio
        m = [ord(x) for x in mapped]
        if not 1 <= len(m) <= MAX_EXPANSION:
            sys.exit(f"U+{cp:04X} maps to {len(m)} code points")
        worst_ratio = max(worst_ratio, sum(utf8_len(x) for x in m) / utf8_len(cp))
        if len(m) == 1:
            return m[0] - cp
        key = tuple(m)
        if key not in expansion_index:
            expansion_index[key] = len(expansions)
            expansions.extend([len(m)] + m)
        return EXPANSION + expansion_index[key]

    identity = (0, 0, 0, 0, 0)
    records.append(identity)
    record_index[identity] = 0
    for cp in code_points():
        c = chr(cp)
        flags = 0
        if c.isalnum():
            flags |= FLAG_ALNUM
        if c.isspace():
            flags |= FLAG_SPACE
        ci, cased = final_sigma_properties(c)
        if ci:
            flags |= FLAG_CASE_IGNORABLE
        if cased:
            flags |= FLAG_CASED
        rf = 0
        if cp in rf_kept:
            flags |= FLAG_RF_ALNUM
            rf = rf_kept[cp] - cp
        rec = (flags, encode(cp, c.lower()), encode(cp, c.upper()), encode(cp, c.casefold()), rf)
        if rec not in record_index:
            record_index[rec] = len(records)
            records.append(rec)
        cp_record[cp] = record_index[rec]
    changing = changing_leads(records, cp_record)
    if worst_ratio > 3:
        sys.exit(f"a mapping grows {worst_ratio}x in UTF-8; hp_utf8_case_bound assumes 3")
    if len(records) > 0xFFFF:
        sys.exit("too many records for uint16 indices")
    return records, expansions, cp_record, changing


def lead_range(lead):
    """The code points whose UTF-8 encoding starts with byte `lead` (C2..F4)."""
    if lead < 0xE0:
        return range((lead & 0x1F) << 6, ((lead & 0x1F) + 1) << 6)
    if lead < 0xF0:
        return range(max((lead & 0x0F) << 12, 0x800), ((lead & 0x0F) + 1) << 12)
    return range(max((lead & 0x07) << 18, 0x10000), min(((lead & 0x07) + 1) << 18, MAX_CP))


def changing_leads(records, cp_record):
    """Per mapping (fold, lower, upper, default_process): the lead bytes 0xC0..0xFF of
    which some character does not map to itself (for default_process: is not kept, or
    lowercases). Bytes that never lead a valid sequence are included."""
    result = []
    for field in (3, 1, 2, 4):  # record layout: flags, lower, upper, fold, rf
        leads = set(range(0xC0, 0x100))
        for lead in range(0xC2, 0xF5):
            def changes(cp):
                if 0xD800 <= cp <= 0xDFFF:
                    return False
                rec = records[cp_record[cp]]
                if field == 4:
                    return not (rec[0] & FLAG_RF_ALNUM) or rec[4] != 0
                return rec[field] != 0
            if not any(changes(cp) for cp in lead_range(lead)):
                leads.discard(lead)
        result.append(leads)
    return result


def nibble_table(leads):
    """lo[b & 15] has bit (b >> 4) - 12 set for each lead byte b in leads."""
    lo = [0] * 16
    for b in leads:
        lo[b & 15] |= 1 << ((b >> 4) - 12)
    return lo


def two_stage(values, shift):
    size = 1 << shift
    blocks = {}
    stage1 = []
    stage2 = []
    for start in range(0, MAX_CP, size):
        block = tuple(values[start:start + size])
        if block not in blocks:
            blocks[block] = len(stage2) // size
            stage2.extend(block)
        stage1.append(blocks[block])
    return stage1, stage2


def c_array(ctype, name, values, per_line, width):
    lines = [f"const {ctype} {name}[{len(values)}] = {{"]
    for i in range(0, len(values), per_line):
        chunk = values[i:i + per_line]
        lines.append("    " + " ".join(f"{v:>{width}}," for v in chunk).rstrip())
    lines.append("};")
    return "\n".join(lines)


DECLARATIONS = """\
#ifndef HOTPATH_TEXT_UNICODE_TABLES_H
#define HOTPATH_TEXT_UNICODE_TABLES_H

#include <stdbool.h>
#include <stdint.h>

#define HP__UCD_VERSION "{version}"
#define HP__UCD_SHIFT {shift}
#define HP__UCD_BLOCK_MASK {mask}u
#define HP__UCD_EXPANSION 0x40000000 /* mapping >= this: hp__ucd_expansions[m - this] */

enum {{
    HP__UCD_ALNUM = 1,          /* str.isalnum() */
    HP__UCD_SPACE = 2,          /* str.isspace() */
    HP__UCD_CASE_IGNORABLE = 4, /* Case_Ignorable, as CPython's Final_Sigma rule reads it */
    HP__UCD_CASED = 8,          /* Cased and not Case_Ignorable (see the generator) */
    HP__UCD_RF_ALNUM = 16       /* kept (not replaced by a space) by RapidFuzz */
}};

/* Mappings: delta to add to the code point, or HP__UCD_EXPANSION + index. rf_lower is
 * only meaningful with HP__UCD_RF_ALNUM (the others become U+0020). */
typedef struct hp__ucd_record {{
    int32_t lower, upper, fold, rf_lower;
    uint8_t flags;
}} hp__ucd_record;

extern const {t1} hp__ucd_stage1[{n1}];
extern const uint16_t hp__ucd_stage2[{n2}];
extern const hp__ucd_record hp__ucd_records[{nrec}];
extern const uint32_t hp__ucd_expansions[{nexp}]; /* n, then n code points */

/* For each mapping (in the order fold, lower, upper, default_process), the lead bytes
 * of which some character does not map to itself, as a nibble table for a SIMD
 * membership test: byte b >= 0xC0 is one iff
 * hp__ucd_changing_leads[mapping][b & 15] & (1 << ((b >> 4) - 12)). */
extern const uint8_t hp__ucd_changing_leads[4][16];

/* For each mapping (same order), the two-byte characters U+0080..U+07FF whose mapping is
 * one two-byte character: its UTF-8 bytes as a little-endian uint16 (lead byte low),
 * indexed by code point; 0 for every other character (and for U+03A3 in lower, whose
 * mapping depends on the context). A shortcut for the commonest cased scripts. Each row
 * ends with two zero entries so that a 32-bit vector gather of entry 2047 stays inside. */
extern const uint16_t hp__ucd_two_byte[4][2050];

/* The record of a code point (cp < 0x110000). */
static inline const hp__ucd_record *hp__ucd_record_of(uint32_t cp) {{
    uint32_t block = hp__ucd_stage1[cp >> HP__UCD_SHIFT];
    uint32_t index = hp__ucd_stage2[(block << HP__UCD_SHIFT) | (cp & HP__UCD_BLOCK_MASK)];
    return &hp__ucd_records[index];
}}

#endif /* HOTPATH_TEXT_UNICODE_TABLES_H */
"""

FUNCTIONS = """\
bool hp__ucd_is_alnum(uint32_t cp) {
    return cp < 0x110000 && (hp__ucd_record_of(cp)->flags & HP__UCD_ALNUM) != 0;
}

bool hp__ucd_is_space(uint32_t cp) {
    return cp < 0x110000 && (hp__ucd_record_of(cp)->flags & HP__UCD_SPACE) != 0;
}
"""


def render(records, expansions, cp_record, changing, rf_version):
    version = unicodedata.unidata_version
    best = None
    for shift in range(5, 11):
        s1, s2 = two_stage(cp_record, shift)
        size = (1 if max(s1) < 256 else 2) * len(s1) + 2 * len(s2)
        if best is None or size < best[0]:
            best = (size, shift, s1, s2)
    _, shift, stage1, stage2 = best
    t1 = "uint8_t" if max(stage1) < 256 else "uint16_t"
    banner = f"""\
 * GENERATED by scripts/gen_unicode_tables.py; do not edit.
 * Regenerate with: python3 scripts/gen_unicode_tables.py
 *
 * Source: Python unicodedata, Unicode {version}; rapidfuzz {rf_version}
 * (utils.default_process). {len(records)} records, {len(expansions)} expansion words,
 * two-stage index with blocks of {1 << shift} code points ({len(stage2) >> shift} distinct).
 * The generator's docstring explains how each property is derived.
 */
"""
    header = ("/*\n * lib/text/unicode_tables.h — the table declarations, shared by\n"
              " * unicode_tables.c and case.c.\n" + banner
              + DECLARATIONS.format(version=version, shift=shift, mask=(1 << shift) - 1,
                                    t1=t1, n1=len(stage1), n2=len(stage2), nrec=len(records),
                                    nexp=max(1, len(expansions))))
    out = ["/*\n * lib/text/unicode_tables.c — the tables.\n" + banner,
           '#include "text/unicode_tables.h"\n#include "text/ucd.h"\n\n']
    out.append(c_array(t1, "hp__ucd_stage1", stage1, 16, 4) + "\n\n")
    out.append(c_array("uint16_t", "hp__ucd_stage2", stage2, 16, 4) + "\n\n")
    lines = [f"const hp__ucd_record hp__ucd_records[{len(records)}] = {{"]
    for flags, lo, up, fo, rf in records:
        lines.append(f"    {{{fmt_map(lo)}, {fmt_map(up)}, {fmt_map(fo)}, {rf}, {flags}}},")
    lines.append("};")
    out.append("\n".join(lines) + "\n\n")
    out.append(c_array("uint32_t", "hp__ucd_expansions", expansions or [0], 8, 10) + "\n\n")
    lines = ["const uint8_t hp__ucd_changing_leads[4][16] = {"]
    for name, leads in zip(("fold", "lower", "upper", "default_process"), changing):
        row = ", ".join(str(v) for v in nibble_table(leads))
        lines.append(f"    {{{row}}}, /* {name} */")
    lines.append("};")
    out.append("\n".join(lines) + "\n\n")
    out.append(two_byte_tables(records, cp_record))
    out.append(FUNCTIONS)
    return header, "".join(out)


def two_byte_tables(records, cp_record):
    lines = ["const uint16_t hp__ucd_two_byte[4][2050] = {"]
    for name, field in (("fold", 3), ("lower", 1), ("upper", 2), ("default_process", 4)):
        values = []
        for cp in range(2048):
            rec = records[cp_record[cp]]
            m = rec[field]
            value = 0
            if cp >= 0x80 and m < EXPANSION and not (field == 1 and cp == 0x3A3):
                if field != 4 or rec[0] & FLAG_RF_ALNUM:
                    to = cp + m
                    if 0x80 <= to < 0x800:
                        value = (0xC0 | to >> 6) | (0x80 | (to & 0x3F)) << 8
            values.append(value)
        values += [0, 0]  # padding for 32-bit gathers
        lines.append(f"    /* {name} */")
        lines.append("    {")
        for i in range(0, len(values), 12):
            lines.append("        " + " ".join(f"{v:>5}," for v in values[i:i + 12]).rstrip())
        lines.append("    },")
    lines.append("};")
    return "\n".join(lines) + "\n\n"


def fmt_map(v):
    return f"HP__UCD_EXPANSION + {v - EXPANSION}" if v >= EXPANSION else str(v)


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--check", action="store_true", help="compare with the committed file")
    ap.add_argument("--output", default=OUT)
    args = ap.parse_args()
    default_process, rf_version = load_rapidfuzz()
    kept = rapidfuzz_table(default_process)
    check_rapidfuzz_model(default_process, kept)
    records, expansions, cp_record, changing = build(kept)
    header, text = render(records, expansions, cp_record, changing, rf_version)
    outputs = ((OUT_H if args.output == OUT else os.path.splitext(args.output)[0] + ".h",
                header), (args.output, text))
    if args.check:
        stale = []
        for path, want in outputs:
            with open(path, encoding="utf-8") as f:
                old = f.read()
            if old != want:
                diff = difflib.unified_diff(old.splitlines(), want.splitlines(), lineterm="", n=1)
                print("\n".join(list(diff)[:40]))
                stale.append(path)
        if stale:
            sys.exit(f"{', '.join(stale)} out of date: run python3 scripts/gen_unicode_tables.py")
        print(f"{args.output} is up to date (Unicode {unicodedata.unidata_version})")
        return
    for path, want in outputs:
        with open(path, "w", encoding="utf-8", newline="\n") as f:
            f.write(want)
        print(f"wrote {path}: {len(want)} bytes")
    print(f"Unicode {unicodedata.unidata_version}, {len(records)} records")


if __name__ == "__main__":
    main()
