"""Fail if the shared library exports any dynamic symbol that is not public hp_ API.

Usage: check_symbols.py LIBRARY. Prints the exported list, then exits 1 on any
symbol that does not start with "hp_" (or starts with the internal "hp__").
"""
import subprocess
import sys


def exported(path):
    out = subprocess.run(["nm", "-D", "--defined-only", path], check=True,
                         capture_output=True, text=True).stdout
    names = []
    for line in out.splitlines():
        parts = line.split()
        if len(parts) >= 3 and parts[1] in "TDBRVWtdbr" and parts[2] != "HOTPATH_0":
            names.append(parts[2].split("@")[0])
    return sorted(set(names))


def main():
    names = exported(sys.argv[1])
    bad = [n for n in names if not n.startswith("hp_") or n.startswith("hp__")]
    print(f"{len(names)} exported symbols: {' '.join(names)}")
    if not names:
        print("no symbols exported at all")
        return 1
    if bad:
        print("not hp_ API:", " ".join(bad))
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
