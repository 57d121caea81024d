/*
 * Text commands of the CLI: count, find, split, lines. Each streams its files through
 * cli_stream and calls the library's search kernels on whole chunks; what a command
 * needs across a chunk boundary (the last pattern_len-1 bytes, a partial line) is kept.
 */
#include "cli.h"

#include "hotpath.h"

#include <inttypes.h>
#include <stdlib.h>
#include <string.h>

typedef struct options {
    const char *pattern;
    int binary;      /* --binary: no UTF-8 checks */
    int overlapping; /* count/find: --overlapping */
    int lines;       /* find: --lines prints matching lines */
    char delim;      /* split: '\n' or '\0' (-z) */
    int first_file;  /* index of the first FILE in argv */
} options;

static const char *const count_usage =
    "usage: hotpath count [--overlapping] [--binary] PATTERN FILE...\n"
    "\n"
    "Print how many times PATTERN occurs in each FILE ('-' is stdin), streaming it.\n"
    "Occurrences do not overlap (as str.count) unless --overlapping is given.\n"
    "Files and PATTERN must be UTF-8 unless --binary.\n";

static const char *const find_usage =
    "usage: hotpath find [--lines] [--overlapping] [--binary] PATTERN FILE...\n"
    "\n"
    "Print the byte offset of every occurrence of PATTERN in each FILE ('-' is stdin),\n"
    "one per line as 'FILE:OFFSET'; with --lines print each line that contains PATTERN\n"
    "as 'FILE:LINE:text' instead (lines end at \\n; a \\r before it is dropped).\n"
    "Exit status 0 if anything matched, 1 if nothing did, 2 on errors.\n";

static const char *const split_usage =
    "usage: hotpath split [-z] [--binary] SEPARATOR FILE...\n"
    "\n"
    "Split each FILE ('-' is stdin) on every occurrence of SEPARATOR (as str.split(sep))\n"
    "and print the pieces, each followed by a newline (a NUL byte with -z), streaming.\n";

static const char *const lines_usage =
    "usage: hotpath lines [--binary] FILE...\n"
    "\n"
    "Print the number of lines of each FILE ('-' is stdin) as 'COUNT FILE', streaming.\n"
    "A line ends at \\n, \\r\\n or \\r (as bytes.splitlines); a last line without an\n"
    "ending counts too.\n";

/* Parses [options] PATTERN? FILE...; returns -1 to continue, else an exit status. */
static int parse(int argc, char **argv, const char *cmd, const char *usage, int want_pattern,
                 options *o) {
    memset(o, 0, sizeof *o);
    o->delim = '\n';
    int i = 0;
    for (; i < argc && argv[i][0] == '-' && argv[i][1] != '\0'; i++) {
        const char *a = argv[i];
        if (cli_is_help(a)) {
            fputs(usage, stdout);
            return 0;
        } else if (strcmp(a, "--") == 0) {
            i++;
            break;
        } else if (strcmp(a, "--binary") == 0) {
            o->binary = 1;
        } else if (strcmp(a, "--overlapping") == 0 && strcmp(cmd, "split") != 0 &&
                   strcmp(cmd, "lines") != 0) {
            o->overlapping = 1;
        } else if (strcmp(a, "--lines") == 0 && strcmp(cmd, "find") == 0) {
            o->lines = 1;
        } else if (strcmp(a, "-z") == 0 && strcmp(cmd, "split") == 0) {
            o->delim = '\0';
        } else {
            fprintf(stderr, "hotpath %s: unknown option '%s'\n%s", cmd, a, usage);
            return EXIT_USAGE;
        }
    }
    if (want_pattern) {
        if (i >= argc) {
            fputs(usage, stderr);
            return EXIT_USAGE;
        }
        o->pattern = argv[i++];
        int bad = cli_check_pattern(cmd, o->pattern, o->binary);
        if (bad) return bad;
    }
    if (i >= argc) {
        fputs(usage, stderr);
        return EXIT_USAGE;
    }
    o->first_file = i;
    return -1;
}

/* Closes a stream after its fill loop ended with rc (0, or -EXIT_*); returns the exit
 * status, reporting invalid UTF-8. */
static int finish(cli_stream *s, int rc) {
    if (rc < 0) rc = -rc;
    if (rc == EXIT_INVALID) cli_report_invalid(s);
    cli_stream_close(s);
    return rc;
}

/* Runs one_file on every FILE and prints "COUNT FILE" for each that succeeded; returns
 * the worst exit status. */
typedef int (*count_fn)(const char *path, const options *o, uint64_t *out);

static int print_counts(int argc, char **argv, const options *o, count_fn one_file) {
    int status = 0;
    for (int i = o->first_file; i < argc; i++) {
        uint64_t n = 0;
        int rc = one_file(argv[i], o, &n);
        if (rc) {
            status = rc > status ? rc : status;
            continue;
        }
        printf("%" PRIu64 " %s\n", n, argv[i]);
    }
    return status;
}

/* The file offset before which no new match can start once buf[pos..len) is searched:
 * a match starting at or after len - plen + 1 may continue in the next chunk. */
static size_t keep_point(size_t pos, size_t len, size_t plen) {
    size_t tail = len >= plen - 1 ? len - (plen - 1) : 0;
    return pos > tail ? pos : tail;
}

/* What scan calls: on_match for every occurrence, with the stream, the buffer offset the
 * search started from (the end of the previous match) and the buffer offset of the match;
 * on_chunk_end (optional) once a chunk is searched, with the bytes buf[from..upto) that
 * follow the last match and can no longer start one (at EOF: all the rest). */
typedef void (*match_fn)(void *ctx, const cli_stream *s, size_t from, size_t at);
typedef void (*chunk_end_fn)(void *ctx, const cli_stream *s, size_t from, size_t upto);

/* Streams path and reports every occurrence of o->pattern; returns 0 or an exit status. */
static int scan(const char *path, const options *o, match_fn on_match, chunk_end_fn on_chunk_end,
                void *ctx) {
    cli_stream s;
    int rc = cli_stream_open(&s, path, !o->binary);
    if (rc) return rc;
    size_t plen = strlen(o->pattern), keep = 0;
    while ((rc = cli_stream_fill(&s, keep)) > 0) {
        size_t pos = 0;
        for (;;) {
            int64_t at = -1;
            hp_find(&at, s.buf + pos, s.avail - pos, o->pattern, plen);
            if (at < 0) break;
            on_match(ctx, &s, pos, pos + (size_t)at);
            pos += (size_t)at + (o->overlapping ? 1 : plen);
        }
        size_t upto = s.eof ? s.avail : keep_point(pos, s.avail, plen);
        if (on_chunk_end) on_chunk_end(ctx, &s, pos, upto);
        keep = s.eof ? s.len : upto;
    }
    return finish(&s, rc);
}

static void count_match(void *ctx, const cli_stream *s, size_t from, size_t at) {
    (void)s, (void)from, (void)at;
    ++*(uint64_t *)ctx;
}

static int count_one(const char *path, const options *o, uint64_t *out) {
    return scan(path, o, count_match, NULL, out);
}

int cmd_count(int argc, char **argv) {
    options o;
    int rc = parse(argc, argv, "count", count_usage, 1, &o);
    return rc >= 0 ? rc : print_counts(argc, argv, &o, count_one);
}

typedef struct find_ctx {
    const char *path;
    uint64_t matches;
} find_ctx;

static void print_match(void *ctx, const cli_stream *s, size_t from, size_t at) {
    (void)from;
    find_ctx *c = ctx;
    c->matches++;
    printf("%s:%" PRIu64 "\n", c->path, s->base + at);
}

/* find --lines: whole lines are searched one by one; a partial last line is kept. */
static int find_lines(const char *path, const options *o, uint64_t *matches) {
    cli_stream s;
    int rc = cli_stream_open(&s, path, !o->binary);
    if (rc) return rc;
    size_t plen = strlen(o->pattern), keep = 0;
    uint64_t lineno = 0;
    while ((rc = cli_stream_fill(&s, keep)) > 0) {
        size_t pos = 0;
        for (;;) {
            const char *nl = memchr(s.buf + pos, '\n', s.avail - pos);
            if (nl == NULL && !(s.eof && pos < s.avail)) break;
            size_t end = nl ? (size_t)(nl - s.buf) : s.avail;
            size_t text_end = end > pos && s.buf[end - 1] == '\r' ? end - 1 : end;
            lineno++;
            int64_t at = -1;
            hp_find(&at, s.buf + pos, text_end - pos, o->pattern, plen);
            if (at >= 0) {
                ++*matches;
                printf("%s:%" PRIu64 ":%.*s\n", path, lineno, (int)(text_end - pos), s.buf + pos);
            }
            pos = nl ? end + 1 : s.avail;
        }
        keep = s.eof ? s.len : pos;
    }
    return finish(&s, rc);
}

int cmd_find(int argc, char **argv) {
    options o;
    int rc = parse(argc, argv, "find", find_usage, 1, &o);
    if (rc >= 0) return rc;
    int status = 0;
    uint64_t matches = 0;
    for (int i = o.first_file; i < argc; i++) {
        find_ctx c = {argv[i], 0};
        rc = o.lines ? find_lines(argv[i], &o, &c.matches) : scan(argv[i], &o, print_match, NULL, &c);
        matches += c.matches;
        if (rc > status) status = rc;
    }
    if (status) return EXIT_USAGE;
    return matches ? 0 : 1;
}

/* split: the bytes before each separator, then the delimiter; bytes that cannot start a
 * separator are written as soon as a chunk is searched, so a piece longer than the buffer
 * streams instead of growing it. */
static void split_piece(void *ctx, const cli_stream *s, size_t from, size_t at) {
    fwrite(s->buf + from, 1, at - from, stdout);
    putchar(*(const char *)ctx);
}

static void split_rest(void *ctx, const cli_stream *s, size_t from, size_t upto) {
    fwrite(s->buf + from, 1, upto - from, stdout);
    if (s->eof) putchar(*(const char *)ctx);
}

static int split_one(const char *path, const options *o) {
    char delim = o->delim;
    return scan(path, o, split_piece, split_rest, &delim);
}

int cmd_split(int argc, char **argv) {
    options o;
    int rc = parse(argc, argv, "split", split_usage, 1, &o);
    if (rc >= 0) return rc;
    int status = 0;
    for (int i = o.first_file; i < argc; i++) {
        rc = split_one(argv[i], &o);
        if (rc > status) status = rc;
    }
    return status;
}

/* Lines = "\n" + "\r" - "\r\n" + an unterminated last line. A "\r" at a chunk end is
 * kept for the next chunk so a "\r\n" split across chunks counts once. */
static int lines_one(const char *path, const options *o, uint64_t *out) {
    cli_stream s;
    int rc = cli_stream_open(&s, path, !o->binary);
    if (rc) return rc;
    uint64_t lines = 0;
    size_t keep = 0;
    char last = '\n';
    while ((rc = cli_stream_fill(&s, keep)) > 0) {
        size_t upto = s.avail;
        if (!s.eof && upto > 0 && s.buf[upto - 1] == '\r') upto--;
        uint64_t lf = 0, cr = 0, crlf = 0;
        hp_count(&lf, s.buf, upto, "\n", 1, 0);
        hp_count(&cr, s.buf, upto, "\r", 1, 0);
        hp_count(&crlf, s.buf, upto, "\r\n", 2, 0);
        lines += lf + cr - crlf;
        if (upto > 0) last = s.buf[upto - 1];
        keep = s.eof ? s.len : upto;
    }
    rc = finish(&s, rc);
    if (rc == 0 && last != '\n' && last != '\r') lines++;
    *out = lines;
    return rc;
}

int cmd_lines(int argc, char **argv) {
    options o;
    int rc = parse(argc, argv, "lines", lines_usage, 0, &o);
    return rc >= 0 ? rc : print_counts(argc, argv, &o, lines_one);
}
