/* tools/cmd_stats.c — `hotpath stats` (being written this session). */
#include "cli.h"

#include <stdio.h>

int cmd_stats(int argc, char **argv) {
    (void)argc;
    (void)argv;
    fputs("hotpath stats: not available in this build yet\n", stderr);
    return EXIT_USAGE;
}
