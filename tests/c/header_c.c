/* Compiles hotpath.h alone with -std=c11 -Wall -Wextra -Wpedantic -Werror and links. */
#include "hotpath.h"

#include <stdio.h>

int main(void) {
    printf("hotpath %s (header %d.%d.%d)\n", hp_version_string(), HP_VERSION_MAJOR,
           HP_VERSION_MINOR, HP_VERSION_PATCH);
    return hp_version() == HP_VERSION_NUMBER ? 0 : 1;
}
