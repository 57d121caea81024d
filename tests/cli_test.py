"""End-to-end tests of the `hotpath` command-line tool (run by `meson test`).

Usage: cli_test.py PATH-TO-HOTPATH. Checks output and exit status of every command,
stdin handling, streaming across chunk boundaries, and error messages. Hashes are
checked against the xxhash package when it is installed (the README's test command
installs it).
"""
import os
import subprocess
import sys
import tempfile

EXE = sys.argv[1]
failures = []
passed = 0


def run(*args, stdin=b""):
    p = subprocess.run([EXE, *args], input=stdin, capture_output=True, timeout=60)
    return p.returncode, p.stdout.decode(), p.stderr.decode()


def check(name, cond, detail=""):
    global passed
    if cond:
        passed += 1
    else:
        failures.append(f"{name}: {detail}")


def text_commands(tmp):
    """count / find / split / lines, including matches and separators that straddle the
    1 MiB chunk boundary, against Python's bytes methods."""
    chunk = 1 << 20
    data = ("ab" * ((chunk - 3) // 2)).encode() + "héllo wörld\r\nneedle 😀\rline\n".encode() * 5000
    data += b"no newline at end needle"
    path = os.path.join(tmp, "text.txt")
    with open(path, "wb") as f:
        f.write(data)
    for cmd in ("count", "find", "split", "lines"):
        code, out, _ = run(cmd, "--help")
        check(f"{cmd} --help", code == 0 and f"usage: hotpath {cmd}" in out, out)

    code, out, _ = run("count", "needle", path)
    check("count", out == f"{data.count(b'needle')} {path}\n", out)
    code, out, _ = run("count", "ab", "-", stdin=data)
    check("count stdin", out == f"{data.count(b'ab')} -\n", out)
    overlapping = b"aaba" * 300000  # "aba" straddles the chunk boundary somewhere
    want = sum(1 for i in range(len(overlapping)) if overlapping.startswith(b"aba", i))
    code, out, _ = run("count", "--overlapping", "aba", "-", stdin=overlapping)
    check("count overlapping", out == f"{want} -\n", out)
    code, out, _ = run("count", "--overlapping", "aa", "-", stdin=b"a" * 3000001)
    check("count overlapping run", out == "3000000 -\n", out)
    code, out, _ = run("count", "ö", path)
    check("count non-ASCII", out == f"{data.count('ö'.encode())} {path}\n", out)

    code, out, _ = run("find", "needle", path)
    want = [i for i in range(len(data)) if data.startswith(b"needle", i)]
    got = [int(line.rsplit(":", 1)[1]) for line in out.splitlines()]
    check("find offsets", code == 0 and got == want, out[:200])
    code, out, _ = run("find", "absent-pattern", path)
    check("find nothing exits 1", code == 1 and out == "", out)
    code, out, _ = run("find", "--lines", "wörld", "-", stdin=b"a\nx w\xc3\xb6rld y\r\nb\nw\xc3\xb6rld")
    check("find --lines", out == "-:2:x wörld y\n-:4:wörld\n", out)

    code, out, _ = run("split", "-z", "needle", path)
    check("split -z", out.encode() == b"\0".join(data.split(b"needle")) + b"\0", out[-100:])
    code, out, _ = run("split", ",", "-", stdin=b"a,,b,")
    check("split newline-separated", out == "a\n\nb\n\n", out)

    code, out, _ = run("lines", path)
    check("lines", out == f"{len(data.splitlines())} {path}\n", out)
    code, out, _ = run("lines", "-", stdin=b"a\r\nb\rc\n\nd")
    check("lines mixed endings", out == "5 -\n", out)
    code, out, _ = run("lines", "-", stdin=b"")
    check("lines empty", out == "0 -\n", out)
    code, out, _ = run("split", ",", "-", stdin=b"")
    check("split empty input gives one empty piece", out == "\n", repr(out))
    code, out, _ = run("count", "x", "-", stdin=b"")
    check("count empty input", out == "0 -\n", out)
    code, out, _ = run("validate", "-", stdin=b"")
    check("validate empty input", code == 0 and out == "-: ok\n", out)

    code, _, err = run("count", "x", "-", stdin=b"ok\xffbad")
    check("count invalid UTF-8", code == 1 and "invalid UTF-8 at byte 2" in err, err)
    code, out, _ = run("count", "--binary", "bad", "-", stdin=b"ok\xffbad")
    check("count --binary", code == 0 and out == "1 -\n", out)
    code, _, err = run("count", "", path)
    check("count empty pattern", code == 2 and "empty" in err, err)
    code, _, err = run("find", b"\xffx", path)
    check("find invalid pattern", code == 2 and "not valid UTF-8" in err, err)
    code, _, err = run("lines", os.path.join(tmp, "missing"))
    check("lines missing file", code == 2 and "No such file" in err, err)
    code, _, err = run("split", "x")
    check("split without file", code == 2 and "usage" in err, err)


def fuzzy_commands(tmp):
    """match / pairs: best lines and near-duplicate pairs, against rapidfuzz when it is
    installed (the README's test command installs it), else against fixed answers."""
    lines = ["apple pie", "appel pie", "", "banana split", "apple pies\r", "banana splits",
             "crème brûlée", "creme brulee"] * 3 + ["x" * 5000]
    path = os.path.join(tmp, "fuzzy.txt")
    with open(path, "w", encoding="utf-8", newline="") as f:
        f.write("\n".join(lines))
    for cmd in ("match", "pairs"):
        code, out, _ = run(cmd, "--help")
        check(f"{cmd} --help", code == 0 and f"usage: hotpath {cmd}" in out, out)
    texts = [(i + 1, t.rstrip("\r")) for i, t in enumerate(lines) if t.rstrip("\r")]
    try:
        from rapidfuzz.distance import Levenshtein
        from rapidfuzz.fuzz import ratio
    except ImportError:
        Levenshtein = ratio = None
    code, out, _ = run("match", "apple pie", path, "--scorer", "Levenshtein.distance", "--limit", "4")
    got = [line.split("\t") for line in out.splitlines()]
    if Levenshtein:
        want = sorted(((Levenshtein.distance("apple pie", t), n, t) for n, t in texts))[:4]
        check("match distance", code == 0 and got == [[str(d), str(n), t] for d, n, t in want], out)
    check("match best first", got[0] == ["0", "1", "apple pie"], out)
    code, out, _ = run("match", "--cutoff", "99.5", "zzz", path, "--scorer", "ratio")
    check("match nothing", code == 1 and out == "", out)
    code, out, _ = run("match", "creme brulee", "-", "--limit", "0", "--scorer", "ratio",
                       "--cutoff", "50", stdin="\n".join(lines).encode())
    if ratio:
        want = sorted(((-ratio("creme brulee", t), n) for n, t in texts
                       if ratio("creme brulee", t) >= 50))
        check("match stdin all", [int(line.split("\t")[1]) for line in out.splitlines()] ==
              [n for _, n in want], out)
    code, out, _ = run("pairs", path, "--cutoff", "90")
    got = [tuple(line.split("\t")[:2]) for line in out.splitlines()]
    if ratio:
        want = [(str(a), str(b)) for i, (a, s) in enumerate(texts) for (b, t) in texts[i + 1:]
                if ratio(s, t) >= 90]
        check("pairs ratio", code == 0 and sorted(got) == sorted(want), out[:300])
    check("pairs found duplicates", ("1", "9") in got, out[:300])
    code, out, _ = run("pairs", path, "--cutoff", "1", "--scorer", "Levenshtein.distance",
                       "--threads", "2")
    check("pairs distance", code == 0 and "1\t2\t1" not in out and "1\t9\t0" in out, out[:300])
    code, _, err = run("pairs", path)
    check("pairs needs cutoff", code == 2 and "--cutoff is required" in err, err)
    code, _, err = run("match", "--scorer", "nope", "a", path)
    check("match bad scorer", code == 2 and "unknown scorer" in err, err)
    code, _, err = run("match", "a", os.path.join(tmp, "missing"))
    check("match missing file", code == 2 and "No such file" in err, err)
    code, _, err = run("pairs", "--cutoff", "90", "-", stdin=b"ok\n\xff\n")
    check("pairs invalid UTF-8", code == 1 and "invalid UTF-8 at byte 3" in err, err)
    code, _, err = run("match", "a", "--cutoff", "-3", path)
    check("match bad cutoff", code == 2 and "non-negative" in err, err)


def stats_commands(tmp):
    """stats: numbers from text and CSV (streamed across the 1 MiB chunk boundary),
    against NumPy when it is installed, else against statistics; parse errors name the
    line."""
    import math
    import random
    import statistics
    rnd = random.Random(4)
    values = [rnd.uniform(-1e6, 1e6) for _ in range(120000)]  # about 2 MiB of text
    path = os.path.join(tmp, "numbers.txt")
    with open(path, "w") as f:
        f.write("\n".join(repr(v) for v in values) + "\n\n")
    code, out, _ = run("stats", "--help")
    check("stats --help", code == 0 and "usage: hotpath stats" in out and "memory" in out, out)
    code, out, err = run("stats", path)
    got = dict(line.split("\t") for line in out.splitlines())
    check("stats count", code == 0 and got.get("count") == str(len(values)), out + err)
    check("stats sum", math.isclose(float(got.get("sum", "nan")), math.fsum(values),
                                    rel_tol=1e-12), out)
    check("stats mean/std", math.isclose(float(got.get("mean", "nan")), statistics.fmean(values),
                                         rel_tol=1e-9)
          and math.isclose(float(got.get("std", "nan")), statistics.pstdev(values), rel_tol=1e-9),
          out)
    check("stats min/max", float(got.get("min", "nan")) == min(values)
          and float(got.get("max", "nan")) == max(values), out)
    try:
        import numpy as np
        want = np.quantile(np.array(values), [0.01, 0.25, 0.5, 0.75, 0.9, 0.99]).tolist()
    except ImportError:
        want = None
    names = ["p1", "p25", "p50", "p75", "p90", "p99"]
    if want is not None:
        check("stats quantiles", [float(got.get(n, "nan")) for n in names] == want, out)
    check("stats median", math.isclose(float(got.get("p50", "nan")), statistics.median(values),
                                       rel_tol=1e-12), out)
    csv = "name;score;x\n" + "".join(f'r{i};"{v}";{i}\r\n' for i, v in enumerate([3, 1.5, 2]))
    code, out, err = run("stats", "--column", "2", "--delimiter", ";", "--header", "-",
                         stdin=csv.encode())
    check("stats csv", code == 0 and "count\t3\n" in out and "sum\t6.5\n" in out
          and "p50\t2\n" in out, out + err)
    code, out, err = run("stats", "-", stdin=b"1\n2\nabc\n4\n")
    check("stats bad value", code == 1 and "-:3:" in err and "abc" in err, err)
    code, out, err = run("stats", "--column", "3", "-", stdin=b"1,2,3\n4,5\n")
    check("stats missing column", code == 1 and "-:2: no column 3" in err, err)
    code, out, err = run("stats", "-", stdin=b"")
    check("stats empty", code == 0 and "count\t0\n" in out and "mean\tnan" in out, out + err)
    code, _, err = run("stats")
    check("stats no file", code == 2 and "usage" in err, err)
    code, _, err = run("stats", "--column", "0", path)
    check("stats bad column", code == 2 and "--column" in err, err)
    code, _, err = run("stats", os.path.join(tmp, "missing"))
    check("stats missing file", code == 2 and "No such file" in err, err)


def main():
    tmp = tempfile.mkdtemp()
    good = os.path.join(tmp, "good.txt")
    bad = os.path.join(tmp, "bad.txt")
    big = os.path.join(tmp, "big.txt")
    # A multi-byte character straddling the 1 MiB chunk boundary of the streaming reader.
    big_data = b"a" * ((1 << 20) - 1) + "é€😀".encode() * 1000
    with open(good, "wb") as f:
        f.write("héllo wörld 😀\n".encode())
    with open(bad, "wb") as f:
        f.write(b"abc\xe2\x82")  # truncated 3-byte sequence at byte 3
    with open(big, "wb") as f:
        f.write(big_data)

    code, out, _ = run("version")
    check("version", code == 0 and out.startswith("hotpath "), out)
    code, out, _ = run("cpu")
    check("cpu", code == 0 and "simd in use:" in out and "features:" in out, out)
    for cmd in ("version", "cpu", "validate", "hash"):
        code, out, _ = run(cmd, "--help")
        check(f"{cmd} --help", code == 0 and "usage: hotpath" in out, out)
    code, out, _ = run("--help")
    check("--help", code == 0 and "commands:" in out, out)
    code, _, err = run("frobnicate")
    check("unknown command", code == 2 and "unknown command" in err, err)
    code, _, err = run()
    check("no command", code == 2 and "usage" in err, err)

    code, out, _ = run("validate", good, big)
    check("validate ok", code == 0 and out == f"{good}: ok\n{big}: ok\n", out)
    code, out, _ = run("validate", good, bad)
    check("validate bad", code == 1 and f"{bad}: invalid UTF-8 at byte 3" in out, out)
    code, out, _ = run("validate", "-q", good, bad)
    check("validate quiet", code == 1 and good not in out and bad in out, out)
    big_bad = big_data[: (1 << 20) + 1] + b"\xff" + big_data[(1 << 20) + 1:]
    code, out, _ = run("validate", "-", stdin=big_bad)
    check("validate stdin offset across chunks", code == 1 and f"at byte {(1 << 20) + 1}" in out, out)
    code, out, _ = run("validate", "-", stdin="ok ✓".encode())
    check("validate stdin", code == 0 and out == "-: ok\n", out)
    code, _, err = run("validate", os.path.join(tmp, "missing"))
    check("validate missing file", code == 2 and "No such file" in err, err)
    code, _, err = run("validate")
    check("validate no args", code == 2 and "usage" in err, err)
    code, _, err = run("validate", "--bogus", good)
    check("validate bad option", code == 2 and "unknown option" in err, err)

    code, out, _ = run("hash", good, big)
    lines = out.splitlines()
    check("hash two files", code == 0 and len(lines) == 2 and lines[1].endswith("  " + big), out)
    code, out2, _ = run("hash", "-", stdin=big_data)
    check("hash stdin equals file", out2.split()[0] == lines[1].split()[0], out2)
    code, out3, _ = run("hash", "--seed", "0x10", good)
    check("hash seed changes digest", code == 0 and out3.split()[0] != lines[0].split()[0], out3)
    code, _, err = run("hash", "--seed", "-1", good)
    check("hash bad seed", code == 2 and "bad seed" in err, err)
    code, _, err = run("hash", os.path.join(tmp, "missing"))
    check("hash missing file", code == 2 and "No such file" in err, err)
    try:
        import xxhash
    except ImportError:
        print("xxhash not installed: hash values checked for consistency only")
    else:
        with open(good, "rb") as f:
            check("hash equals xxh3_64", lines[0].split()[0] == xxhash.xxh3_64_hexdigest(f.read()),
                  lines[0])
        check("hash big equals xxh3_64", lines[1].split()[0] == xxhash.xxh3_64_hexdigest(big_data),
              lines[1])
        with open(good, "rb") as f:
            check("hash seed equals xxh3_64",
                  out3.split()[0] == xxhash.xxh3_64_hexdigest(f.read(), seed=16), out3)

    text_commands(tmp)
    fuzzy_commands(tmp)
    stats_commands(tmp)

    for failure in failures:
        print("FAIL", failure)
    print(f"cli: {passed} passed, {len(failures)} failed")
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
