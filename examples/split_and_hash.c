/*
 * examples/split_and_hash.c — split text into lines, hash each, validate UTF-8.
 *
 * Build against an installed hotpath:
 *   cc split_and_hash.c $(pkg-config --cflags --libs hotpath) -o split_and_hash
 * Run: ./split_and_hash < somefile.txt
 */
#include <hotpath.h>

#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>

int main(void) {
    /* Read stdin (a real tool would stream; see tools/hotpath.c). */
    size_t cap = 1 << 16, len = 0, got;
    char *buf = malloc(cap);
    while (buf && (got = fread(buf + len, 1, cap - len, stdin)) > 0) {
        len += got;
        if (len == cap) {
            char *bigger = realloc(buf, cap *= 2);
            if (!bigger) break;
            buf = bigger;
        }
    }
    if (buf == NULL) return 1;

    size_t bad = 0;
    if (hp_utf8_validate(buf, len, &bad) != HP_OK) {
        fprintf(stderr, "%s\n", hp_last_error_message()); /* "invalid UTF-8 at byte N: ..." */
        free(buf);
        return 1;
    }

    hp_strings *lines = NULL; /* library-allocated: released with hp_strings_free */
    if (hp_split(&lines, buf, len, "\n", 1, -1) != HP_OK) {
        fprintf(stderr, "split: %s\n", hp_last_error_message());
        free(buf);
        return 1;
    }

    uint64_t *hashes = malloc(lines->count * sizeof *hashes); /* caller buffer */
    hp_status st = hp_hash64_batch(hashes, lines->count, lines, 0, 0);
    if (st != HP_OK) {
        fprintf(stderr, "%s: %s\n", hp_status_name(st), hp_last_error_message());
    } else {
        for (size_t i = 0; i < lines->count; i++) {
            printf("%016" PRIx64 "  %.*s\n", hashes[i],
                   (int)(lines->offsets[i + 1] - lines->offsets[i]), lines->data + lines->offsets[i]);
        }
    }
    free(hashes);
    hp_strings_free(lines);
    free(buf);
    return st == HP_OK ? 0 : 1;
}
