// Compiles hotpath.h as C++11 with -Wall -Wextra -Wpedantic -Werror and links.
#include "hotpath.h"

#include <cstdio>

int main() {
    hp_strings *parts = nullptr;
    hp_status st = hp_split(&parts, "a,b", 3, ",", 1, -1);
    if (st != HP_OK || parts->count != 2) return 1;
    hp_strings_free(parts);
    std::printf("%s\n", hp_status_name(HP_EUTF8));
    return hp_version() == HP_VERSION_NUMBER ? 0 : 1;
}
