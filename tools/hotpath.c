/*
 * hotpath — the command-line tool. Links the shared library like any C user would.
 *
 *   hotpath version | cpu | validate FILE... | hash [--seed N] FILE...
 *   hotpath count PATTERN FILE... | find PATTERN FILE... | split SEP FILE... | lines FILE...
 *   hotpath match QUERY FILE | pairs --cutoff X FILE
 *
 * Files are streamed in fixed chunks (never loaded whole); "-" is standard input.
 * Exit status: 0 success, 1 a file failed the check (validate, invalid UTF-8) or find
 * matched nothing, 2 usage or I/O error.
 */
#include "cli.h"
#include "hotpath.h"

#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

enum { CHUNK = CLI_CHUNK }; /* hash reads in chunks of this size */

static const char *const main_usage =
    "usage: hotpath <command> [options] [args]\n"
    "\n"
    "commands:\n"
    "  version            print the library version\n"
    "  cpu                print CPU features and the SIMD level in use\n"
    "  validate FILE...   check that files are valid UTF-8\n"
    "  hash FILE...       print the XXH3-64 hash of each file\n"
    "  count PATTERN FILE...  count occurrences of PATTERN\n"
    "  find PATTERN FILE...   print offsets (or --lines) of PATTERN\n"
    "  split SEP FILE...  print the pieces between separators\n"
    "  lines FILE...      count lines\n"
    "  match QUERY FILE   print the lines that best match QUERY (fuzzy), with scores\n"
    "  pairs FILE         print near-duplicate line pairs (--cutoff required)\n"
    "  stats FILE         count, sum, mean, std, min, max, quantiles of numbers\n"
    "\n"
    "Run 'hotpath <command> --help' for a command's options. FILE '-' is stdin.\n";

static const char *const validate_usage =
    "usage: hotpath validate [--quiet] FILE...\n"
    "\n"
    "Check that each FILE ('-' for stdin) is well-formed UTF-8, streaming it.\n"
    "Prints 'FILE: ok' or 'FILE: invalid UTF-8 at byte N: reason' for each file.\n"
    "  -q, --quiet   print only invalid files\n"
    "Exit status: 0 all valid, 1 some file invalid, 2 usage or read error.\n";

static const char *const hash_usage =
    "usage: hotpath hash [--seed N] FILE...\n"
    "\n"
    "Print the 64-bit XXH3 hash (same as xxh3_64 / xxhsum -H3) of each FILE ('-' for\n"
    "stdin) as 16 hex digits followed by the file name, streaming the file.\n"
    "  --seed N   hash with seed N (decimal or 0x hex), default 0\n"
    "Exit status: 0 success, 2 usage or read error.\n";

/* Returns 0 valid, 1 invalid, 2 read error. */
static int validate_one(const char *path, int quiet) {
    cli_stream s;
    int rc = cli_stream_open(&s, path, 1);
    if (rc) return rc;
    size_t keep = 0;
    while ((rc = cli_stream_fill(&s, keep)) > 0) keep = s.eof ? s.len : s.avail;
    if (rc < 0) rc = -rc;
    if (rc == EXIT_INVALID) {
        printf("%s: invalid UTF-8 at byte %" PRIu64 "%s\n", path, s.bad_offset, s.why);
    } else if (rc == 0 && !quiet) {
        printf("%s: ok\n", path);
    }
    cli_stream_close(&s);
    return rc;
}

static int cmd_validate(int argc, char **argv) {
    int quiet = 0, first = 0, status = 0;
    for (first = 0; first < argc && argv[first][0] == '-' && argv[first][1] != '\0'; first++) {
        if (cli_is_help(argv[first])) {
            fputs(validate_usage, stdout);
            return 0;
        } else if (strcmp(argv[first], "-q") == 0 || strcmp(argv[first], "--quiet") == 0) {
            quiet = 1;
        } else {
            fprintf(stderr, "hotpath validate: unknown option '%s'\n%s", argv[first], validate_usage);
            return EXIT_USAGE;
        }
    }
    if (first == argc) {
        fputs(validate_usage, stderr);
        return EXIT_USAGE;
    }
    for (int i = first; i < argc; i++) {
        int r = validate_one(argv[i], quiet);
        if (r > status) status = r;
    }
    return status;
}

static int hash_one(const char *path, uint64_t seed, hp_hasher64 *h, char *buf) {
    FILE *f = cli_open(path);
    if (f == NULL) return EXIT_USAGE;
    hp_hasher64_reset(h, seed);
    size_t got;
    while ((got = fread(buf, 1, CHUNK, f)) > 0) hp_hasher64_update(h, buf, got);
    int bad = ferror(f);
    cli_close(f);
    if (bad) {
        fprintf(stderr, "hotpath: %s: read error\n", path);
        return EXIT_USAGE;
    }
    uint64_t digest = 0;
    hp_hasher64_digest(h, &digest);
    printf("%016" PRIx64 "  %s\n", digest, path);
    return 0;
}

static int cmd_hash(int argc, char **argv) {
    uint64_t seed = 0;
    int first;
    for (first = 0; first < argc && argv[first][0] == '-' && argv[first][1] != '\0'; first++) {
        if (cli_is_help(argv[first])) {
            fputs(hash_usage, stdout);
            return 0;
        } else if (strcmp(argv[first], "--seed") == 0 && first + 1 < argc) {
            char *end;
            errno = 0;
            seed = strtoull(argv[++first], &end, 0);
            if (errno || *end != '\0' || argv[first][0] == '-') {
                fprintf(stderr, "hotpath hash: bad seed '%s'\n", argv[first]);
                return EXIT_USAGE;
            }
        } else {
            fprintf(stderr, "hotpath hash: unknown option '%s'\n%s", argv[first], hash_usage);
            return EXIT_USAGE;
        }
    }
    if (first == argc) {
        fputs(hash_usage, stderr);
        return EXIT_USAGE;
    }
    hp_hasher64 *h = NULL;
    char *buf = malloc(CHUNK);
    if (buf == NULL || hp_hasher64_new(&h, seed) != HP_OK) {
        fprintf(stderr, "hotpath: out of memory\n");
        free(buf);
        return EXIT_USAGE;
    }
    int status = 0;
    for (int i = first; i < argc; i++) {
        int r = hash_one(argv[i], seed, h, buf);
        if (r > status) status = r;
    }
    hp_hasher64_free(h);
    free(buf);
    return status;
}

static int cmd_version(int argc, char **argv) {
    if (argc > 0 && cli_is_help(argv[0])) {
        puts("usage: hotpath version\n\nPrint the version of the loaded library.");
        return 0;
    }
    printf("hotpath %s\n", hp_version_string());
    return 0;
}

static int cmd_cpu(int argc, char **argv) {
    if (argc > 0 && cli_is_help(argv[0])) {
        puts("usage: hotpath cpu\n\nPrint the CPU features hotpath detected, the best SIMD level\n"
             "this CPU supports and the level in use (HOTPATH_SIMD can lower it).");
        return 0;
    }
    static const struct {
        uint32_t bit;
        const char *name;
    } names[] = {{HP_CPU_SSE2, "sse2"},         {HP_CPU_SSE42, "sse4.2"},
                 {HP_CPU_POPCNT, "popcnt"},     {HP_CPU_AVX, "avx"},
                 {HP_CPU_AVX2, "avx2"},         {HP_CPU_BMI2, "bmi2"},
                 {HP_CPU_FMA, "fma"},           {HP_CPU_AVX512F, "avx512f"},
                 {HP_CPU_AVX512BW, "avx512bw"}, {HP_CPU_AVX512VL, "avx512vl"},
                 {HP_CPU_NEON, "neon"}};
    uint32_t f = hp_cpu_features();
    printf("features:");
    for (size_t i = 0; i < sizeof names / sizeof names[0]; i++) {
        if (f & names[i].bit) printf(" %s", names[i].name);
    }
    printf("\nsimd detected: %s\nsimd in use: %s\nthreads: %u\n", hp_simd_name(hp_simd_detected()),
           hp_simd_name(hp_simd_level()), hp_default_threads());
    return 0;
}

int main(int argc, char **argv) {
    if (argc < 2) {
        fputs(main_usage, stderr);
        return EXIT_USAGE;
    }
    const char *cmd = argv[1];
    if (cli_is_help(cmd) || strcmp(cmd, "help") == 0) {
        fputs(main_usage, stdout);
        return 0;
    }
    if (strcmp(cmd, "--version") == 0) cmd = "version";
    static const struct {
        const char *name;
        int (*run)(int, char **);
    } cmds[] = {{"version", cmd_version}, {"cpu", cmd_cpu}, {"validate", cmd_validate}, {"hash", cmd_hash},
                 {"count", cmd_count},     {"find", cmd_find},  {"split", cmd_split},
                 {"lines", cmd_lines},     {"match", cmd_match}, {"pairs", cmd_pairs},
                 {"stats", cmd_stats}};
    for (size_t i = 0; i < sizeof cmds / sizeof cmds[0]; i++) {
        if (strcmp(cmd, cmds[i].name) == 0) return cmds[i].run(argc - 2, argv + 2);
    }
    fprintf(stderr, "hotpath: unknown command '%s'\n%s", cmd, main_usage);
    return EXIT_USAGE;
}
