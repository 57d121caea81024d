/*
 * tools/cli.h — pieces shared by the hotpath command-line tool's commands.
 *
 * Every command streams its files through a cli_stream: fixed-size chunks, never the
 * whole file, with the bytes a command still needs (a partial match, a partial line)
 * carried to the front of the next chunk, and UTF-8 checked incrementally.
 */
#ifndef HOTPATH_TOOLS_CLI_H
#define HOTPATH_TOOLS_CLI_H

#include <stdint.h>
#include <stdio.h>

enum { CLI_CHUNK = 1 << 20, EXIT_INVALID = 1, EXIT_USAGE = 2 };

int cli_is_help(const char *arg);

/* fopen for reading, "-" is stdin; prints "hotpath: PATH: reason" on failure. */
FILE *cli_open(const char *path);
void cli_close(FILE *f);

/* Length of the prefix of buf[0..len) that ends on a UTF-8 character boundary. */
size_t cli_complete_prefix(const unsigned char *buf, size_t len);

typedef struct cli_stream {
    FILE *f;
    const char *path;
    char *buf;
    size_t cap;      /* allocated bytes */
    size_t len;      /* bytes held */
    size_t avail;    /* buf[0..avail) may be processed: whole UTF-8 characters */
    size_t checked;  /* buf[0..checked) is known valid UTF-8 */
    uint64_t base;   /* file offset of buf[0] */
    int eof;
    int check_utf8;
    uint64_t bad_offset; /* after EXIT_INVALID: file offset of the first invalid byte */
    char why[128];       /* after EXIT_INVALID: ": reason" from the library */
} cli_stream;

/* Opens path; check_utf8 makes fills fail on invalid UTF-8. Returns 0 or EXIT_USAGE. */
int cli_stream_open(cli_stream *s, const char *path, int check_utf8);

/* Drops buf[0..keep_from), reads more, and sets avail. Returns 1 when there is data to
 * process (and once when EOF is reached, even for empty input), 0 at the end,
 * -EXIT_INVALID on invalid UTF-8 (bad_offset and why say where; nothing is printed) or
 * -EXIT_USAGE on a read error (printed). The buffer grows when
 * keep_from is 0 and it is full (a line or piece longer than a chunk). */
int cli_stream_fill(cli_stream *s, size_t keep_from);

/* Prints the invalid-UTF-8 error of a text command to stderr; returns EXIT_INVALID. */
int cli_report_invalid(const cli_stream *s);

void cli_stream_close(cli_stream *s);

/* Parses a pattern/separator argument: must be non-empty valid UTF-8 unless binary. */
int cli_check_pattern(const char *cmd, const char *pattern, int binary);

int cmd_count(int argc, char **argv);
int cmd_find(int argc, char **argv);
int cmd_split(int argc, char **argv);
int cmd_lines(int argc, char **argv);
int cmd_match(int argc, char **argv);
int cmd_pairs(int argc, char **argv);
int cmd_stats(int argc, char **argv);

#endif
