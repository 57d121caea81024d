/*
 * hotpath — the command-line tool. Links the shared library like any C user would.
 *
 *   hotpath version | cpu | validate FILE... | hash [--seed N] FILE...
 *
 * Files are streamed in fixed chunks (never loaded whole); "-" is standard input.
 * Exit status: 0 success, 1 a file failed the check (validate), 2 usage or I/O error.
 */
#include "hotpath.h"

#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

enum { CHUNK = 1 << 20, EXIT_INVALID = 1, EXIT_USAGE = 2 };

static const char *const main_usage =
    "usage: hotpath <command> [options] [args]\n"
    "\n"
    "commands:\n"
    "  version            print the library version\n"
    "  cpu                print CPU features and the SIMD level in use\n"
    "  validate FILE...   check that files are valid UTF-8\n"
    "  hash FILE...       print the XXH3-64 hash of each file\n"
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

static int is_help(const char *arg) { return strcmp(arg, "-h") == 0 || strcmp(arg, "--help") == 0; }

static FILE *open_input(const char *path) {
    if (strcmp(path, "-") == 0) return stdin;
    FILE *f = fopen(path, "rb");
    if (f == NULL) fprintf(stderr, "hotpath: %s: %s\n", path, strerror(errno));
    return f;
}

static void close_input(FILE *f) {
    if (f != stdin) fclose(f);
}

/* Length of the prefix of buf[0..len) that ends on a character boundary: a UTF-8
 * sequence cut by the chunk end is held back for the next chunk. Invalid bytes are
 * never held back (the validator reports them). */
static size_t complete_prefix(const unsigned char *buf, size_t len) {
    size_t back = 0;
    while (back < 3 && back < len && (buf[len - 1 - back] & 0xC0) == 0x80) back++;
    if (back == len) return len;
    unsigned char lead = buf[len - 1 - back];
    size_t need = lead >= 0xF0 && lead <= 0xF4 ? 4 : lead >= 0xE0 && lead <= 0xEF ? 3
                : lead >= 0xC2 && lead <= 0xDF ? 2 : 1;
    return need > back + 1 ? len - 1 - back : len;
}

/* Returns 0 valid, 1 invalid, 2 read error. */
static int validate_one(const char *path, int quiet, unsigned char *buf) {
    FILE *f = open_input(path);
    if (f == NULL) return EXIT_USAGE;
    size_t carry = 0;
    uint64_t base = 0; /* file offset of buf[0] */
    int result = 0;
    for (;;) {
        size_t got = fread(buf + carry, 1, CHUNK, f);
        if (ferror(f)) {
            fprintf(stderr, "hotpath: %s: read error\n", path);
            result = EXIT_USAGE;
            break;
        }
        size_t len = carry + got;
        int last = got == 0 || feof(f);
        size_t upto = last ? len : complete_prefix(buf, len);
        size_t bad = 0;
        if (hp_utf8_validate((const char *)buf, upto, &bad) != HP_OK) {
            const char *msg = hp_last_error_message();
            const char *why = strstr(msg, ": ");
            printf("%s: invalid UTF-8 at byte %" PRIu64 "%s\n", path, base + bad,
                   why ? why : "");
            result = EXIT_INVALID;
            break;
        }
        if (last) break;
        carry = len - upto;
        memmove(buf, buf + upto, carry);
        base += upto;
    }
    if (result == 0 && !quiet) printf("%s: ok\n", path);
    close_input(f);
    return result;
}

static int cmd_validate(int argc, char **argv) {
    int quiet = 0, first = 0, status = 0;
    for (first = 0; first < argc && argv[first][0] == '-' && argv[first][1] != '\0'; first++) {
        if (is_help(argv[first])) {
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
    unsigned char *buf = malloc(CHUNK + 4);
    if (buf == NULL) return EXIT_USAGE;
    for (int i = first; i < argc; i++) {
        int r = validate_one(argv[i], quiet, buf);
        if (r > status) status = r;
    }
    free(buf);
    return status;
}

static int hash_one(const char *path, uint64_t seed, hp_hasher64 *h, char *buf) {
    FILE *f = open_input(path);
    if (f == NULL) return EXIT_USAGE;
    hp_hasher64_reset(h, seed);
    size_t got;
    while ((got = fread(buf, 1, CHUNK, f)) > 0) hp_hasher64_update(h, buf, got);
    int bad = ferror(f);
    close_input(f);
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
        if (is_help(argv[first])) {
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
    if (argc > 0 && is_help(argv[0])) {
        puts("usage: hotpath version\n\nPrint the version of the loaded library.");
        return 0;
    }
    printf("hotpath %s\n", hp_version_string());
    return 0;
}

static int cmd_cpu(int argc, char **argv) {
    if (argc > 0 && is_help(argv[0])) {
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
    if (is_help(cmd) || strcmp(cmd, "help") == 0) {
        fputs(main_usage, stdout);
        return 0;
    }
    if (strcmp(cmd, "--version") == 0) cmd = "version";
    static const struct {
        const char *name;
        int (*run)(int, char **);
    } cmds[] = {{"version", cmd_version}, {"cpu", cmd_cpu}, {"validate", cmd_validate}, {"hash", cmd_hash}};
    for (size_t i = 0; i < sizeof cmds / sizeof cmds[0]; i++) {
        if (strcmp(cmd, cmds[i].name) == 0) return cmds[i].run(argc - 2, argv + 2);
    }
    fprintf(stderr, "hotpath: unknown command '%s'\n%s", cmd, main_usage);
    return EXIT_USAGE;
}
