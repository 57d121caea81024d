/*
 * Fuzzy-matching commands of the CLI:
 *   match QUERY FILE — the lines of FILE that best match QUERY, with scores;
 *   pairs FILE       — near-duplicate line pairs, through the sparse all-pairs mode.
 *
 * match streams FILE in blocks of lines (about 8 MiB or 64k lines each), keeps the
 * best `limit` of each block with hp_fuzzy_extract, and merges them into the overall
 * best, so its memory is one block whatever the file size. pairs must see every line
 * at once (any two may pair) and holds the lines in one packed batch; its output is
 * printed as hp_fuzzy_pairs hands over each block of pairs, never collected.
 * Blank lines are skipped by both; line numbers are 1-based; a \r before \n is dropped.
 */
#include "cli.h"

#include "hotpath.h"

#include <inttypes.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

static const char *const match_usage =
    "usage: hotpath match [--scorer NAME] [--limit N] [--cutoff X] [--threads N] QUERY FILE\n"
    "\n"
    "Print the lines of FILE ('-' is stdin) that best match QUERY, best first, as\n"
    "'SCORE<TAB>LINE<TAB>text' (LINE is the 1-based line number; ties keep file order).\n"
    "  --scorer NAME  a rapidfuzz.fuzz scorer (ratio, partial_ratio, token_sort_ratio,\n"
    "                 token_set_ratio, token_ratio, partial_token_sort_ratio,\n"
    "                 partial_token_set_ratio, partial_token_ratio, WRatio, QRatio) or\n"
    "                 METRIC.MEASURE (e.g. Levenshtein.distance, Jaro.similarity,\n"
    "                 Indel.normalized_similarity); default WRatio\n"
    "  --limit N      print at most N lines (default 10; 0 = all that meet the cutoff)\n"
    "  --cutoff X     only lines scoring at least X (distances: at most X)\n"
    "  --threads N    worker threads (default: all cores)\n"
    "The file streams through in blocks; blank lines are skipped. QUERY and FILE must be\n"
    "UTF-8. Exit status 0 if a line matched, 1 if none did (or invalid UTF-8), 2 on errors.\n";

static const char *const pairs_usage =
    "usage: hotpath pairs --cutoff X [--scorer NAME] [--threads N] FILE\n"
    "\n"
    "Print every pair of lines of FILE ('-' is stdin) whose score meets the cutoff, as\n"
    "'LINE_I<TAB>LINE_J<TAB>SCORE' (1-based line numbers, LINE_I < LINE_J), without\n"
    "building the all-pairs matrix: pairs are printed as they are found. --cutoff is\n"
    "required; --scorer as for 'hotpath match' (default ratio). For ratio, QRatio and\n"
    "the edit distances a length filter skips pairs that cannot qualify. All lines are\n"
    "held in memory (packed); blank lines are skipped. Exit status 0, 1 on invalid\n"
    "UTF-8, 2 on errors.\n";

typedef struct fz_options {
    hp_scorer scorer;
    const char *scorer_name;
    size_t limit;
    double cutoff;
    unsigned threads;
    const char *query;
    const char *file;
} fz_options;

static const char *const fuzz_names[] = {"ratio",
                                         "partial_ratio",
                                         "token_sort_ratio",
                                         "token_set_ratio",
                                         "token_ratio",
                                         "partial_token_sort_ratio",
                                         "partial_token_set_ratio",
                                         "partial_token_ratio",
                                         "WRatio",
                                         "QRatio"};
static const char *const metric_names[] = {"Levenshtein", "Indel", "LCSseq", "Hamming",
                                           "Jaro",        "JaroWinkler", "OSA",
                                           "DamerauLevenshtein", "Prefix", "Postfix"};
static const char *const measure_names[] = {"distance", "similarity", "normalized_distance",
                                            "normalized_similarity"};

/* Fills o->scorer from a name; returns 0 or EXIT_USAGE (printed). */
static int parse_scorer(const char *cmd, const char *name, fz_options *o) {
    for (int i = 0; i < (int)(sizeof fuzz_names / sizeof *fuzz_names); i++)
        if (strcmp(name, fuzz_names[i]) == 0)
            return hp_scorer_init(&o->scorer, HP_SCORER_FUZZ, i, 0) == HP_OK ? 0 : EXIT_USAGE;
    const char *dot = strchr(name, '.');
    if (dot) {
        for (int i = 0; i < (int)(sizeof metric_names / sizeof *metric_names); i++) {
            if (strlen(metric_names[i]) != (size_t)(dot - name) ||
                strncmp(name, metric_names[i], (size_t)(dot - name)) != 0)
                continue;
            for (int m = 0; m < 4; m++)
                if (strcmp(dot + 1, measure_names[m]) == 0)
                    return hp_scorer_init(&o->scorer, HP_SCORER_METRIC, i, m) == HP_OK ? 0
                                                                                      : EXIT_USAGE;
        }
    }
    fprintf(stderr, "hotpath %s: unknown scorer '%s' (see --help)\n", cmd, name);
    return EXIT_USAGE;
}

static int parse_number(const char *cmd, const char *opt, const char *v, double *out) {
    char *end = NULL;
    double d = v ? strtod(v, &end) : 0;
    if (!v || end == v || *end != '\0' || !isfinite(d) || d < 0) {
        fprintf(stderr, "hotpath %s: %s needs a non-negative number, got '%s'\n", cmd, opt,
                v ? v : "");
        return EXIT_USAGE;
    }
    *out = d;
    return 0;
}

/* Parses options and positionals; returns -1 to continue, else an exit status. */
static int parse(int argc, char **argv, const char *cmd, const char *usage, int want_query,
                 fz_options *o) {
    memset(o, 0, sizeof *o);
    o->limit = 10;
    o->cutoff = NAN;
    o->scorer_name = want_query ? "WRatio" : "ratio";
    const char *pos[2];
    int npos = 0, only_positional = 0;
    for (int i = 0; i < argc; i++) {
        const char *a = argv[i];
        double v = 0;
        if (only_positional || a[0] != '-' || a[1] == '\0') {
            if (npos == 2) {
                fputs(usage, stderr);
                return EXIT_USAGE;
            }
            pos[npos++] = a;
        } else if (cli_is_help(a)) {
            fputs(usage, stdout);
            return 0;
        } else if (strcmp(a, "--") == 0) {
            only_positional = 1;
        } else if (strcmp(a, "--scorer") == 0 && i + 1 < argc) {
            o->scorer_name = argv[++i];
        } else if (strcmp(a, "--cutoff") == 0) {
            if (parse_number(cmd, a, i + 1 < argc ? argv[++i] : NULL, &o->cutoff))
                return EXIT_USAGE;
        } else if (strcmp(a, "--limit") == 0 && want_query) {
            if (parse_number(cmd, a, i + 1 < argc ? argv[++i] : NULL, &v)) return EXIT_USAGE;
            o->limit = (size_t)v;
        } else if (strcmp(a, "--threads") == 0) {
            if (parse_number(cmd, a, i + 1 < argc ? argv[++i] : NULL, &v)) return EXIT_USAGE;
            o->threads = (unsigned)v;
        } else {
            fprintf(stderr, "hotpath %s: unknown option '%s'\n%s", cmd, a, usage);
            return EXIT_USAGE;
        }
    }
    if (parse_scorer(cmd, o->scorer_name, o)) return EXIT_USAGE;
    if (npos != (want_query ? 2 : 1)) {
        fputs(usage, stderr);
        return EXIT_USAGE;
    }
    if (want_query) {
        o->query = pos[0];
        if (hp_utf8_validate(o->query, strlen(o->query), NULL) != HP_OK) {
            fprintf(stderr, "hotpath %s: QUERY is not valid UTF-8\n", cmd);
            return EXIT_USAGE;
        }
    } else if (isnan(o->cutoff)) {
        fprintf(stderr, "hotpath %s: --cutoff is required\n%s", cmd, usage);
        return EXIT_USAGE;
    }
    o->file = pos[npos - 1];
    return -1;
}

/* ---------------------------------------------------------------- line batches */

typedef struct lines {
    char *data;
    size_t len, cap;
    int64_t *offsets; /* count + 1 */
    uint64_t *line_no;
    size_t count, cap_lines;
} lines;

static int lines_add(lines *b, const char *s, size_t n, uint64_t line_no) {
    if (b->len + n > b->cap) {
        size_t cap = b->cap ? b->cap : 1 << 16;
        while (cap < b->len + n) cap *= 2;
        char *d = realloc(b->data, cap);
        if (!d) return -1;
        b->data = d;
        b->cap = cap;
    }
    if (b->count + 2 > b->cap_lines) {
        size_t cap = b->cap_lines ? 2 * b->cap_lines : 1024;
        int64_t *off = realloc(b->offsets, cap * sizeof *off);
        if (!off) return -1;
        b->offsets = off;
        uint64_t *no = realloc(b->line_no, cap * sizeof *no);
        if (!no) return -1;
        b->line_no = no;
        b->cap_lines = cap;
    }
    if (b->count == 0) b->offsets[0] = 0;
    memcpy(b->data + b->len, s, n);
    b->len += n;
    b->line_no[b->count] = line_no;
    b->offsets[++b->count] = (int64_t)b->len;
    return 0;
}

static void lines_clear(lines *b) {
    b->len = 0;
    b->count = 0;
}

static void lines_free(lines *b) {
    free(b->data);
    free(b->offsets);
    free(b->line_no);
    memset(b, 0, sizeof *b);
}

static hp_strings lines_batch(const lines *b) {
    static const int64_t zero = 0;
    hp_strings s = {b->data, b->count ? b->offsets : &zero, b->count};
    return s;
}

/* Reads the file line by line; calls block(ctx) whenever the batch holds `max_bytes`
 * bytes or `max_lines` lines (and at the end). Returns 0 or an exit status. */
typedef int (*block_fn)(lines *b, void *ctx);

static int read_lines(const char *path, lines *b, size_t max_bytes, size_t max_lines,
                      block_fn block, void *ctx) {
    cli_stream s;
    int rc = cli_stream_open(&s, path, 1);
    if (rc) return rc;
    uint64_t line_no = 0;
    size_t keep = 0;
    while ((rc = cli_stream_fill(&s, keep)) > 0) {
        size_t pos = 0;
        for (;;) {
            char *nl = memchr(s.buf + pos, '\n', s.avail - pos);
            size_t end;
            if (nl) {
                end = (size_t)(nl - s.buf);
            } else if (s.eof && pos < s.avail) {
                end = s.avail;
            } else {
                break;
            }
            size_t n = end - pos;
            if (n && s.buf[pos + n - 1] == '\r') n--;
            line_no++;
            if (n && lines_add(b, s.buf + pos, n, line_no) != 0) {
                fprintf(stderr, "hotpath: out of memory reading %s\n", path);
                cli_stream_close(&s);
                return EXIT_USAGE;
            }
            pos = nl ? end + 1 : end;
            if (block && (b->len >= max_bytes || b->count >= max_lines)) {
                int brc = block(b, ctx);
                if (brc) {
                    cli_stream_close(&s);
                    return brc;
                }
            }
        }
        keep = pos;
    }
    if (rc < 0) {
        rc = -rc;
        if (rc == EXIT_INVALID) cli_report_invalid(&s);
        cli_stream_close(&s);
        return rc;
    }
    cli_stream_close(&s);
    return block && b->count ? block(b, ctx) : 0;
}

static void print_score(double v) {
    if (v == floor(v) && fabs(v) < 1e15)
        printf("%.0f", v);
    else
        printf("%.6g", v);
}

static int report_status(const char *cmd, hp_status st) {
    fprintf(stderr, "hotpath %s: %s\n", cmd, hp_last_error_message());
    return st == HP_EUTF8 ? EXIT_INVALID : EXIT_USAGE;
}

/* ---------------------------------------------------------------- match */

typedef struct best {
    double score;
    uint64_t line_no;
    char *text;
    size_t len;
} best;

typedef struct match_ctx {
    const fz_options *o;
    hp_fuzzy_query *query;
    hp_match *found;
    size_t found_cap;
    best *top;
    size_t ntop;
    int higher;
} match_ctx;

static int best_before(const match_ctx *m, const best *a, const best *b) {
    if (a->score != b->score) return m->higher ? a->score > b->score : a->score < b->score;
    return a->line_no < b->line_no;
}

static int match_block(lines *b, void *vctx) {
    match_ctx *m = vctx;
    hp_strings batch = lines_batch(b);
    size_t want = m->o->limit == 0 || m->o->limit > batch.count ? batch.count : m->o->limit;
    if (want > m->found_cap) {
        hp_match *f = realloc(m->found, want * sizeof *f);
        if (!f) return EXIT_USAGE;
        m->found = f;
        m->found_cap = want;
    }
    size_t n = 0;
    hp_status st = hp_fuzzy_extract(m->found, want, &n, m->query, &batch, HP_ENC_UTF8, NULL,
                                    m->o->cutoff, m->o->limit, m->o->threads, NULL, NULL);
    if (st != HP_OK) return report_status("match", st);
    /* merge: append, then insertion-sort into order and trim to the limit */
    for (size_t k = 0; k < n; k++) {
        size_t i = (size_t)m->found[k].index;
        size_t len = (size_t)(batch.offsets[i + 1] - batch.offsets[i]);
        best cand = {m->found[k].score, b->line_no[i], NULL, len};
        size_t pos = m->ntop;
        while (pos > 0 && best_before(m, &cand, &m->top[pos - 1])) pos--;
        if (m->o->limit && pos >= m->o->limit) continue;
        cand.text = malloc(len ? len : 1);
        best *grown = realloc(m->top, (m->ntop + 1) * sizeof *grown);
        if (!cand.text || !grown) {
            free(cand.text);
            if (grown) m->top = grown;
            return EXIT_USAGE;
        }
        m->top = grown;
        memcpy(cand.text, batch.data + batch.offsets[i], len);
        memmove(m->top + pos + 1, m->top + pos, (m->ntop - pos) * sizeof *m->top);
        m->top[pos] = cand;
        m->ntop++;
        if (m->o->limit && m->ntop > m->o->limit) free(m->top[--m->ntop].text);
    }
    lines_clear(b);
    return 0;
}

int cmd_match(int argc, char **argv) {
    fz_options o;
    int rc = parse(argc, argv, "match", match_usage, 1, &o);
    if (rc >= 0) return rc;
    match_ctx m;
    memset(&m, 0, sizeof m);
    m.o = &o;
    m.higher = o.scorer.kind == HP_SCORER_FUZZ || o.scorer.measure == HP_SIMILARITY ||
               o.scorer.measure == HP_NORMALIZED_SIMILARITY;
    hp_status st = hp_fuzzy_query_new(&m.query, &o.scorer, o.query, strlen(o.query), HP_ENC_UTF8);
    if (st != HP_OK) return report_status("match", st);
    lines b;
    memset(&b, 0, sizeof b);
    rc = read_lines(o.file, &b, (size_t)8 << 20, 65536, match_block, &m);
    if (rc == 0) {
        for (size_t i = 0; i < m.ntop; i++) {
            print_score(m.top[i].score);
            printf("\t%" PRIu64 "\t%.*s\n", m.top[i].line_no, (int)m.top[i].len, m.top[i].text);
        }
        rc = m.ntop ? 0 : 1;
    }
    for (size_t i = 0; i < m.ntop; i++) free(m.top[i].text);
    free(m.top);
    free(m.found);
    lines_free(&b);
    hp_fuzzy_query_free(m.query);
    return rc;
}

/* ---------------------------------------------------------------- pairs */

static int print_pairs(const hp_pair *pairs, size_t n, void *user) {
    const lines *b = user;
    for (size_t k = 0; k < n; k++) {
        printf("%" PRIu64 "\t%" PRIu64 "\t", b->line_no[pairs[k].i], b->line_no[pairs[k].j]);
        print_score(pairs[k].score);
        putchar('\n');
    }
    return ferror(stdout) ? 1 : 0;
}

int cmd_pairs(int argc, char **argv) {
    fz_options o;
    int rc = parse(argc, argv, "pairs", pairs_usage, 0, &o);
    if (rc >= 0) return rc;
    lines b;
    memset(&b, 0, sizeof b);
    rc = read_lines(o.file, &b, SIZE_MAX, SIZE_MAX, NULL, NULL);
    if (rc == 0) {
        hp_strings batch = lines_batch(&b);
        hp_status st = hp_fuzzy_pairs(&o.scorer, &batch, HP_ENC_UTF8, o.cutoff, o.threads,
                                      print_pairs, NULL, &b);
        if (st != HP_OK) rc = report_status("pairs", st);
    }
    lines_free(&b);
    return rc;
}
