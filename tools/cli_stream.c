/* Streaming input for the CLI commands (see cli.h). */
#include "cli.h"

#include "hotpath.h"

#include <errno.h>
#include <inttypes.h>
#include <stdlib.h>
#include <string.h>

int cli_is_help(const char *arg) { return strcmp(arg, "-h") == 0 || strcmp(arg, "--help") == 0; }

FILE *cli_open(const char *path) {
    if (strcmp(path, "-") == 0) return stdin;
    FILE *f = fopen(path, "rb");
    if (f == NULL) fprintf(stderr, "hotpath: %s: %s\n", path, strerror(errno));
    return f;
}

void cli_close(FILE *f) {
    if (f != NULL && f != stdin) fclose(f);
}

/* A UTF-8 sequence cut by the chunk end is held back for the next chunk; invalid bytes
 * are never held back (the validator reports them). */
size_t cli_complete_prefix(const unsigned char *buf, size_t len) {
    size_t back = 0;
    while (back < 3 && back < len && (buf[len - 1 - back] & 0xC0) == 0x80) back++;
    if (back == len) return len;
    unsigned char lead = buf[len - 1 - back];
    size_t need = lead >= 0xF0 && lead <= 0xF4   ? 4
                  : lead >= 0xE0 && lead <= 0xEF ? 3
                  : lead >= 0xC2 && lead <= 0xDF ? 2
                                                 : 1;
    return need > back + 1 ? len - 1 - back : len;
}

int cli_stream_open(cli_stream *s, const char *path, int check_utf8) {
    memset(s, 0, sizeof *s);
    s->path = path;
    s->check_utf8 = check_utf8;
    s->cap = CLI_CHUNK;
    s->buf = malloc(s->cap);
    if (s->buf == NULL) {
        fprintf(stderr, "hotpath: out of memory\n");
        return EXIT_USAGE;
    }
    s->f = cli_open(path);
    if (s->f == NULL) {
        free(s->buf);
        s->buf = NULL;
        return EXIT_USAGE;
    }
    return 0;
}

int cli_stream_fill(cli_stream *s, size_t keep_from) {
    if (keep_from > s->len) keep_from = s->len;
    if (s->eof && keep_from >= s->len) return 0;
    memmove(s->buf, s->buf + keep_from, s->len - keep_from);
    s->len -= keep_from;
    s->checked = s->checked > keep_from ? s->checked - keep_from : 0;
    s->base += keep_from;
    int just_ended = 0; /* EOF reached by this call: report it once, even for empty input */
    if (!s->eof) {
        if (s->len == s->cap) {
            char *grown = realloc(s->buf, s->cap * 2);
            if (grown == NULL) {
                fprintf(stderr, "hotpath: %s: out of memory\n", s->path);
                return -EXIT_USAGE;
            }
            s->buf = grown;
            s->cap *= 2;
        }
        size_t got = fread(s->buf + s->len, 1, s->cap - s->len, s->f);
        if (ferror(s->f)) {
            fprintf(stderr, "hotpath: %s: read error\n", s->path);
            return -EXIT_USAGE;
        }
        s->len += got;
        if (got == 0 || feof(s->f)) s->eof = just_ended = 1;
    }
    s->avail = s->eof || !s->check_utf8
                   ? s->len
                   : cli_complete_prefix((const unsigned char *)s->buf, s->len);
    if (s->check_utf8 && s->avail > s->checked) {
        size_t bad = 0;
        if (hp_utf8_validate(s->buf + s->checked, s->avail - s->checked, &bad) != HP_OK) {
            const char *why = strstr(hp_last_error_message(), ": ");
            snprintf(s->why, sizeof s->why, "%s", why ? why : "");
            s->bad_offset = s->base + s->checked + bad;
            return -EXIT_INVALID;
        }
        s->checked = s->avail;
    }
    return s->len > 0 || !s->eof || just_ended ? 1 : 0;
}

int cli_report_invalid(const cli_stream *s) {
    fprintf(stderr, "hotpath: %s: invalid UTF-8 at byte %" PRIu64 "%s (use --binary)\n", s->path,
            s->bad_offset, s->why);
    return EXIT_INVALID;
}

void cli_stream_close(cli_stream *s) {
    cli_close(s->f);
    free(s->buf);
    s->f = NULL;
    s->buf = NULL;
}

int cli_check_pattern(const char *cmd, const char *pattern, int binary) {
    size_t n = strlen(pattern);
    if (n == 0) {
        fprintf(stderr, "hotpath %s: the pattern is empty\n", cmd);
        return EXIT_USAGE;
    }
    if (!binary && hp_utf8_validate(pattern, n, NULL) != HP_OK) {
        fprintf(stderr, "hotpath %s: the pattern is not valid UTF-8: %s\n", cmd,
                hp_last_error_message());
        return EXIT_USAGE;
    }
    return 0;
}
