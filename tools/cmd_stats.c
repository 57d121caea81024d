/*
 * tools/cmd_stats.c — `hotpath stats FILE [--column N] [--delimiter C] [--header]`:
 * count, sum, mean, std, min, max and quantiles of the numbers in a text or CSV file.
 *
 * The file streams through cli_stream line by line; each value is parsed with strtod
 * and appended to one growing array of doubles (exact quantiles need every value, so
 * memory is 8 bytes per value); the statistics then come from the library's kernels
 * (hp_stats_*), so they are the same numbers hotpath.compute gives.
 */
#include "cli.h"

#include "hotpath.h"

#include <errno.h>
#include <inttypes.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

static const char *const stats_usage =
    "usage: hotpath stats [--column N] [--delimiter C] [--header] FILE\n"
    "\n"
    "Print count, sum, mean, std, min, max and the quantiles p1 p25 p50 p75 p90 p99 of\n"
    "the numbers in FILE ('-' is stdin), one 'NAME<TAB>VALUE' line each (17 significant\n"
    "digits). Without --column each line holds one number; with --column N the file is\n"
    "CSV and the value is field N (1-based) of each line, split at the delimiter.\n"
    "  --column N     take field N of each line (CSV)\n"
    "  --delimiter C  the field delimiter, one byte (default ',' ; '\\t' for tab)\n"
    "  --header       skip the first line\n"
    "Numbers are parsed as C strtod does (decimal, exponent, inf, nan); surrounding\n"
    "spaces and double quotes are ignored; blank lines are skipped. The sum is\n"
    "compensated; std is the population standard deviation (ddof=0, as numpy.std);\n"
    "quantiles are exact (NumPy's linear method), so every value is kept in memory as\n"
    "a double (8 bytes each). A NaN makes mean, std and the quantiles nan.\n"
    "Exit status: 0 success, 1 an unparsable value (its line number is printed),\n"
    "2 usage or read error.\n";

typedef struct st_options {
    size_t column; /* 0: the whole line */
    char delim;
    int header;
    const char *file;
} st_options;

typedef struct values {
    double *v;
    size_t n, cap;
} values;

static int parse_args(int argc, char **argv, st_options *o) {
    memset(o, 0, sizeof *o);
    o->delim = ',';
    for (int i = 0; i < argc; i++) {
        const char *a = argv[i];
        if (cli_is_help(a)) {
            fputs(stats_usage, stdout);
            return 0;
        } else if (strcmp(a, "--column") == 0 && i + 1 < argc) {
            char *end;
            errno = 0;
            long long c = strtoll(argv[++i], &end, 10);
            if (errno || *end || end == argv[i] || c < 1) {
                fprintf(stderr, "hotpath stats: --column needs a number >= 1, got '%s'\n",
                        argv[i]);
                return EXIT_USAGE;
            }
            o->column = (size_t)c;
        } else if (strcmp(a, "--delimiter") == 0 && i + 1 < argc) {
            const char *d = argv[++i];
            if (strcmp(d, "\\t") == 0) d = "\t";
            if (strlen(d) != 1) {
                fprintf(stderr, "hotpath stats: --delimiter must be one byte, got '%s'\n", d);
                return EXIT_USAGE;
            }
            o->delim = d[0];
        } else if (strcmp(a, "--header") == 0) {
            o->header = 1;
        } else if (a[0] == '-' && a[1] != '\0') {
            fprintf(stderr, "hotpath stats: unknown option '%s'\n%s", a, stats_usage);
            return EXIT_USAGE;
        } else if (o->file == NULL) {
            o->file = a;
        } else {
            fprintf(stderr, "hotpath stats: one FILE only\n%s", stats_usage);
            return EXIT_USAGE;
        }
    }
    if (o->file == NULL) {
        fputs(stats_usage, stderr);
        return EXIT_USAGE;
    }
    return -1;
}

/* The field of line [p, end) to parse: the whole line or column o->column; NULL if the
 * line has fewer fields. */
static const char *pick_field(const char *p, const char *end, const st_options *o,
                              const char **field_end) {
    if (o->column == 0) {
        *field_end = end;
        return p;
    }
    for (size_t col = 1; col < o->column; col++) {
        const char *d = memchr(p, o->delim, (size_t)(end - p));
        if (d == NULL) return NULL;
        p = d + 1;
    }
    const char *d = memchr(p, o->delim, (size_t)(end - p));
    *field_end = d ? d : end;
    return p;
}

static int is_space(char c) { return c == ' ' || c == '\t' || c == '\r' || c == '\v' || c == '\f'; }

/* Parses [p, end) as one number (spaces and one pair of double quotes around it are
 * ignored). Returns 1 and the value, 0 if unparsable, -1 if blank. */
static int parse_number(const char *p, const char *end, double *out) {
    while (p < end && is_space(*p)) p++;
    while (end > p && is_space(end[-1])) end--;
    if (end - p >= 2 && *p == '"' && end[-1] == '"') p++, end--;
    while (p < end && is_space(*p)) p++;
    while (end > p && is_space(end[-1])) end--;
    if (p == end) return -1;
    char buf[128];
    size_t len = (size_t)(end - p);
    if (len >= sizeof buf) return 0;
    memcpy(buf, p, len);
    buf[len] = '\0';
    char *stop;
    *out = strtod(buf, &stop);
    return *stop == '\0' ? 1 : 0;
}

static int push(values *vs, double v) {
    if (vs->n == vs->cap) {
        size_t cap = vs->cap ? vs->cap * 2 : 4096;
        double *grown = realloc(vs->v, cap * sizeof *grown);
        if (grown == NULL) {
            fputs("hotpath stats: out of memory\n", stderr);
            return EXIT_USAGE;
        }
        vs->v = grown;
        vs->cap = cap;
    }
    vs->v[vs->n++] = v;
    return 0;
}

/* Handles one line; returns 0 or an exit status (after printing the error). */
static int take_line(const char *p, const char *end, uint64_t lineno, const st_options *o,
                     values *vs) {
    if (o->header && lineno == 1) return 0;
    const char *fend;
    const char *f = pick_field(p, end, o, &fend);
    if (f == NULL) {
        const char *q = p;
        while (q < end && is_space(*q)) q++;
        if (q == end) return 0; /* a blank line */
        fprintf(stderr, "hotpath stats: %s:%" PRIu64 ": no column %zu\n", o->file, lineno,
                o->column);
        return EXIT_INVALID;
    }
    double v;
    int r = parse_number(f, fend, &v);
    if (r < 0 && o->column) {
        const char *q = p;
        while (q < end && is_space(*q)) q++;
        if (q != end) r = 0; /* an empty field in a non-blank line */
    }
    if (r < 0) return 0;
    if (r == 0) {
        int shown = (int)(fend - f < 60 ? fend - f : 60);
        fprintf(stderr, "hotpath stats: %s:%" PRIu64 ": cannot parse '%.*s' as a number\n",
                o->file, lineno, shown, f);
        return EXIT_INVALID;
    }
    return push(vs, v);
}

static int read_values(const st_options *o, values *vs) {
    cli_stream s;
    int rc = cli_stream_open(&s, o->file, 0);
    if (rc) return rc;
    size_t keep = 0;
    uint64_t lineno = 0;
    int status = 0;
    while (status == 0 && (rc = cli_stream_fill(&s, keep)) > 0) {
        size_t pos = 0;
        while (status == 0) {
            const char *nl = memchr(s.buf + pos, '\n', s.avail - pos);
            if (nl == NULL && !(s.eof && pos < s.avail)) break;
            size_t end = nl ? (size_t)(nl - s.buf) : s.avail;
            status = take_line(s.buf + pos, s.buf + end, ++lineno, o, vs);
            pos = nl ? end + 1 : s.avail;
        }
        keep = s.eof ? s.len : pos;
    }
    cli_stream_close(&s);
    if (status) return status;
    return rc < 0 ? -rc : 0;
}

static void print_value(const char *name, double v) { printf("%s\t%.17g\n", name, v); }

static int report(const values *vs) {
    size_t n = vs->n;
    double sum = 0.0, mean = NAN, std = NAN, lo = NAN, hi = NAN;
    static const double qs[] = {0.01, 0.25, 0.5, 0.75, 0.9, 0.99};
    static const char *const qnames[] = {"p1", "p25", "p50", "p75", "p90", "p99"};
    enum { NQ = sizeof qs / sizeof qs[0] };
    double qv[NQ];
    for (int i = 0; i < NQ; i++) qv[i] = NAN;
    hp_status st = hp_stats_sum(&sum, vs->v, n, HP_STATS_F64, 0, 0);
    if (st == HP_OK) st = hp_stats_mean(&mean, vs->v, n, HP_STATS_F64, 0, 0);
    if (st == HP_OK) st = hp_stats_std(&std, vs->v, n, HP_STATS_F64, 0.0, 0, 0);
    if (st == HP_OK && n > 0) {
        int64_t imin, imax;
        st = hp_stats_argminmax(&imin, &imax, vs->v, n, HP_STATS_F64, 0, 0);
        if (st == HP_OK) lo = vs->v[imin], hi = vs->v[imax];
        if (st == HP_OK) st = hp_stats_quantile(qv, qs, NQ, vs->v, n, HP_STATS_F64, 0);
    }
    if (st != HP_OK) {
        fprintf(stderr, "hotpath stats: %s: %s\n", hp_status_name(st), hp_last_error_message());
        return EXIT_USAGE;
    }
    printf("count\t%zu\n", n);
    print_value("sum", sum);
    print_value("mean", mean);
    print_value("std", std);
    print_value("min", lo);
    print_value("max", hi);
    for (int i = 0; i < NQ; i++) print_value(qnames[i], qv[i]);
    return 0;
}

int cmd_stats(int argc, char **argv) {
    st_options o;
    int rc = parse_args(argc, argv, &o);
    if (rc >= 0) return rc;
    values vs = {NULL, 0, 0};
    rc = read_values(&o, &vs);
    if (rc == 0) rc = report(&vs);
    free(vs.v);
    return rc;
}
