/* Hashing: XXH3-64 reference vectors, streaming, SIMD against scalar, batches, errors. */
#include "hotpath.h"
#include "internal/common.h"
#include "internal/pool.h"
#include "suites.h"

#include <pthread.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

/* ---------------------------------------------------------------- helpers */

/* Check records a location for every ck_assert it evaluates, which dominates loops of
 * many thousands of comparisons (10x under valgrind). Inner loops test first and call
 * Check only to fail. */
#define EXPECT(cond, ...)                                                                 \
    do {                                                                                  \
        if (!(cond)) ck_abort_msg(__VA_ARGS__);                                           \
    } while (0)

/* The input pattern of the reference table: a 64-bit LCG stepped before each byte,
 * top byte kept (tests/c/gen_hash_vectors.py builds the same bytes in Python). */
static void fill_pattern(uint8_t *out, size_t n) {
    uint64_t state = 1;
    for (size_t i = 0; i < n; i++) {
        state = state * 6364136223846793005ULL + 1442695040888963407ULL;
        out[i] = (uint8_t)(state >> 56);
    }
}

/* xorshift64*: a fixed-seed generator so random cases repeat exactly. */
static uint64_t rng_next(uint64_t *state) {
    uint64_t x = *state;
    x ^= x >> 12;
    x ^= x << 25;
    x ^= x >> 27;
    *state = x;
    return x * 0x2545F4914F6CDD1DULL;
}

static size_t rng_below(uint64_t *state, size_t bound) { return (size_t)(rng_next(state) % bound); }

static uint8_t *random_bytes(size_t n, uint64_t *state) {
    uint8_t *p = malloc(n ? n : 1);
    ck_assert_ptr_nonnull(p);
    for (size_t i = 0; i < n; i++) p[i] = (uint8_t)rng_next(state);
    return p;
}

static uint64_t stream_hash(const uint8_t *data, size_t len, uint64_t seed, size_t chunk) {
    hp_hasher64 *h = NULL;
    ck_assert_int_eq(hp_hasher64_new(&h, seed), HP_OK);
    for (size_t at = 0; at < len; at += chunk) {
        size_t n = len - at < chunk ? len - at : chunk;
        EXPECT(hp_hasher64_update(h, (const char *)data + at, n) == HP_OK, "update at %zu", at);
    }
    uint64_t out = 0;
    ck_assert_int_eq(hp_hasher64_digest(h, &out), HP_OK);
    hp_hasher64_free(h);
    return out;
}

/* The SIMD levels this machine can run, lowest first. */
static size_t runnable_levels(int levels[5]) {
    hp_simd top = hp_simd_detected();
    size_t n = 0;
    levels[n++] = HP_SIMD_SCALAR;
    if (top == HP_SIMD_NEON) {
        levels[n++] = HP_SIMD_NEON;
        return n;
    }
    for (int l = HP_SIMD_SSE42; l <= (int)top; l++) levels[n++] = l;
    return n;
}

/* ---------------------------------------------------------------- reference vectors */

typedef struct hash_vector {
    size_t len;
    uint64_t seed;
    uint64_t expected;
} hash_vector;

/*
 * XXH3_64bits_withSeed of the first `len` pattern bytes, generated with
 *     python3 tests/c/gen_hash_vectors.py
 * which prints xxhash.xxh3_64_intdigest(pattern(len), seed) for each row (xxhash 4.1.0
 * package, libxxhash 0.8.4). Lengths cover every XXH3 length class and its edges: 0,
 * 1-3, 4-8, 9-16, 17-128, 129-240, and long inputs around stripe (64), block (1024)
 * and streaming-buffer (256) boundaries. Seeds include 0, a small one, 2^32 (only the
 * high word set) and one with bit 63 set.
 */
static const hash_vector vectors[] = {
    {0, 0x0000000000000000ULL, 0x2D06800538D394C2ULL},
    {1, 0x0000000000000000ULL, 0xC00F9D4F580C0C3AULL},
    {2, 0x0000000000000000ULL, 0xB248061FB52BD64CULL},
    {3, 0x0000000000000000ULL, 0xE92112D1E602AF4AULL},
    {4, 0x0000000000000000ULL, 0x9008DE7E100606D1ULL},
    {5, 0x0000000000000000ULL, 0xABA4062F24845BDCULL},
    {7, 0x0000000000000000ULL, 0x7187A1232E2D811BULL},
    {8, 0x0000000000000000ULL, 0xCCA6EE6F8E080C52ULL},
    {9, 0x0000000000000000ULL, 0x568F9D2E69AD8BD0ULL},
    {12, 0x0000000000000000ULL, 0x373DA156A0EF76B0ULL},
    {15, 0x0000000000000000ULL, 0xF79A07C55BEBF28AULL},
    {16, 0x0000000000000000ULL, 0x600A07A4F5A9911CULL},
    {17, 0x0000000000000000ULL, 0xDEAB0265F35DFC24ULL},
    {31, 0x0000000000000000ULL, 0x423B58CF0CC7D932ULL},
    {32, 0x0000000000000000ULL, 0xD04581C566616653ULL},
    {33, 0x0000000000000000ULL, 0xE2F96CD271E72881ULL},
    {48, 0x0000000000000000ULL, 0xD95170EA9C7D3100ULL},
    {63, 0x0000000000000000ULL, 0x0EDE7F30A620477CULL},
    {64, 0x0000000000000000ULL, 0xAD0685DABB3CE66BULL},
    {65, 0x0000000000000000ULL, 0x7D4E3DA065C21B2DULL},
    {96, 0x0000000000000000ULL, 0xBF9A1938301428CAULL},
    {127, 0x0000000000000000ULL, 0x422FA93AF255D6F6ULL},
    {128, 0x0000000000000000ULL, 0x410BD3B4D8D84F51ULL},
    {129, 0x0000000000000000ULL, 0x55964EEC39625032ULL},
    {130, 0x0000000000000000ULL, 0xF40E3E7CC0A30CEDULL},
    {143, 0x0000000000000000ULL, 0x8733FA8029529E24ULL},
    {144, 0x0000000000000000ULL, 0x827FBBC03EC48DD7ULL},
    {159, 0x0000000000000000ULL, 0xB4CD62114F1F4B33ULL},
    {160, 0x0000000000000000ULL, 0x94B04A6BE24BE84BULL},
    {191, 0x0000000000000000ULL, 0xDE67850FD730B942ULL},
    {192, 0x0000000000000000ULL, 0x4D9F83E45B7807B4ULL},
    {208, 0x0000000000000000ULL, 0xEEA17D9DFBF61A38ULL},
    {239, 0x0000000000000000ULL, 0xF5E234500A1F2B94ULL},
    {240, 0x0000000000000000ULL, 0x977B659BDC81FDB1ULL},
    {241, 0x0000000000000000ULL, 0x2CB1ED4A30C8BDEDULL},
    {242, 0x0000000000000000ULL, 0x768D9C5E09BEAC34ULL},
    {255, 0x0000000000000000ULL, 0xC77EAE9C20C21088ULL},
    {256, 0x0000000000000000ULL, 0x7FD97C6450F19383ULL},
    {257, 0x0000000000000000ULL, 0x42C723A93A4C46B9ULL},
    {319, 0x0000000000000000ULL, 0x27F0D3CEC9859A7FULL},
    {320, 0x0000000000000000ULL, 0x98FAE8BDECA76E58ULL},
    {321, 0x0000000000000000ULL, 0x392344B29F65DF79ULL},
    {511, 0x0000000000000000ULL, 0xF2BF2354A8C603A7ULL},
    {512, 0x0000000000000000ULL, 0xD21B608B44320BE0ULL},
    {513, 0x0000000000000000ULL, 0x4B109DEF33495091ULL},
    {1023, 0x0000000000000000ULL, 0x296B8BDBD696752EULL},
    {1024, 0x0000000000000000ULL, 0x5EC111A1E5A293AEULL},
    {1025, 0x0000000000000000ULL, 0x5EA0264528A903FCULL},
    {1087, 0x0000000000000000ULL, 0x19785FF014F995E6ULL},
    {1088, 0x0000000000000000ULL, 0x5CAA733531330766ULL},
    {1089, 0x0000000000000000ULL, 0x093AAE8D6736E7B3ULL},
    {2047, 0x0000000000000000ULL, 0xA8A55CC80E1493A4ULL},
    {2048, 0x0000000000000000ULL, 0x82651C64D545E737ULL},
    {2049, 0x0000000000000000ULL, 0x35FA9759E87C7270ULL},
    {4095, 0x0000000000000000ULL, 0xFA807DB496B34593ULL},
    {4096, 0x0000000000000000ULL, 0xA76570548864595EULL},
    {4097, 0x0000000000000000ULL, 0x9DDE02683BA48D0EULL},
    {10000, 0x0000000000000000ULL, 0x55B50192C3F1B288ULL},
    {16383, 0x0000000000000000ULL, 0x13D04818343D6295ULL},
    {16384, 0x0000000000000000ULL, 0x7952A76C6A41FAB7ULL},
    {16385, 0x0000000000000000ULL, 0x33F3DC0B220C77EBULL},
    {100000, 0x0000000000000000ULL, 0x17728B9BA27F68A8ULL},
    {1048593, 0x0000000000000000ULL, 0x93830E56A670B8ADULL},
    {0, 0x000000000000002AULL, 0xB029411FF43D84D2ULL},
    {1, 0x000000000000002AULL, 0xB0388C0B7A0B6BDFULL},
    {2, 0x000000000000002AULL, 0xB003B854AAA5B0D8ULL},
    {3, 0x000000000000002AULL, 0x97A69F89C7821CDAULL},
    {4, 0x000000000000002AULL, 0x8891F3DEF71A8301ULL},
    {5, 0x000000000000002AULL, 0x4817ACB4606EC078ULL},
    {7, 0x000000000000002AULL, 0x69D40615D2D9CCEBULL},
    {8, 0x000000000000002AULL, 0x3F7A53973AC735DFULL},
    {9, 0x000000000000002AULL, 0xC366B946325E5460ULL},
    {12, 0x000000000000002AULL, 0xCD301A1956FA8C41ULL},
    {15, 0x000000000000002AULL, 0xD7174E8BA6C5871FULL},
    {16, 0x000000000000002AULL, 0x86211520FC9AE1D2ULL},
    {17, 0x000000000000002AULL, 0x4C3944EB3D55B73FULL},
    {31, 0x000000000000002AULL, 0x1F5E39A5E492E37AULL},
    {32, 0x000000000000002AULL, 0x907F0F4D9FAFBE0BULL},
    {33, 0x000000000000002AULL, 0x044F7C541EFD822AULL},
    {48, 0x000000000000002AULL, 0x7F57D878985B2FFAULL},
    {63, 0x000000000000002AULL, 0xC9155397C4DE35D6ULL},
    {64, 0x000000000000002AULL, 0xA1966DAA8DB31C4FULL},
    {65, 0x000000000000002AULL, 0x3C9DA1EDE5F98005ULL},
    {96, 0x000000000000002AULL, 0x405F01E7AED35913ULL},
    {127, 0x000000000000002AULL, 0xE91A6FD7CDCE16CBULL},
    {128, 0x000000000000002AULL, 0x8F4E89B376E13E68ULL},
    {129, 0x000000000000002AULL, 0xB6823531DCF2F617ULL},
    {130, 0x000000000000002AULL, 0xCEAADB31EB424F81ULL},
    {143, 0x000000000000002AULL, 0x1F39779C7391DD5CULL},
    {144, 0x000000000000002AULL, 0xDC1ABBF52A5B3C86ULL},
    {159, 0x000000000000002AULL, 0x5136AE401402E992ULL},
    {160, 0x000000000000002AULL, 0xD72892A16B2BFDFDULL},
    {191, 0x000000000000002AULL, 0x394F405120850801ULL},
    {192, 0x000000000000002AULL, 0x28F15AF69499B9F3ULL},
    {208, 0x000000000000002AULL, 0xDE6224DFFB86BB93ULL},
    {239, 0x000000000000002AULL, 0x5F61DE681CFAD5A2ULL},
    {240, 0x000000000000002AULL, 0x8F569F06DE44B96BULL},
    {241, 0x000000000000002AULL, 0xA04DA978480ABFE6ULL},
    {242, 0x000000000000002AULL, 0x0E865AE78D47DEF4ULL},
    {255, 0x000000000000002AULL, 0x1D23B32EFBBD16BAULL},
    {256, 0x000000000000002AULL, 0xEDF48452B16CE4F7ULL},
    {257, 0x000000000000002AULL, 0x0B5159D90F793B8CULL},
    {319, 0x000000000000002AULL, 0xC8370F7F832A493BULL},
    {320, 0x000000000000002AULL, 0x4F2B0688DE9294AAULL},
    {321, 0x000000000000002AULL, 0x6C57C0CADFC0233BULL},
    {511, 0x000000000000002AULL, 0xED7C19F89B06B191ULL},
    {512, 0x000000000000002AULL, 0xCDDA24ABE35CBE5CULL},
    {513, 0x000000000000002AULL, 0xC7FECC058EC519BFULL},
    {1023, 0x000000000000002AULL, 0x4C58DB2D424E7A3AULL},
    {1024, 0x000000000000002AULL, 0x8C117DD465916059ULL},
    {1025, 0x000000000000002AULL, 0xBE688730639068EEULL},
    {1087, 0x000000000000002AULL, 0x6379D0A46B48B95FULL},
    {1088, 0x000000000000002AULL, 0x0EFDD92BD6DF3A09ULL},
    {1089, 0x000000000000002AULL, 0x6D7497C8689B098EULL},
    {2047, 0x000000000000002AULL, 0x5979960F1DB9D8BFULL},
    {2048, 0x000000000000002AULL, 0xCE9FCD1B3F0981BCULL},
    {2049, 0x000000000000002AULL, 0x7DB826C6AAA80376ULL},
    {4095, 0x000000000000002AULL, 0x5BD7AC021B3B1C15ULL},
    {4096, 0x000000000000002AULL, 0xACDC56ACF22ADF0EULL},
    {4097, 0x000000000000002AULL, 0x9301AA9BD252F0DCULL},
    {10000, 0x000000000000002AULL, 0x9C42406E1237FA5FULL},
    {16383, 0x000000000000002AULL, 0x5F826776EBA7A396ULL},
    {16384, 0x000000000000002AULL, 0x6BF98FFA18F9CD71ULL},
    {16385, 0x000000000000002AULL, 0xE2E926F1BADFA7DAULL},
    {100000, 0x000000000000002AULL, 0xFF17091BA854369DULL},
    {1048593, 0x000000000000002AULL, 0xACF3980001B9D8C8ULL},
    {0, 0x0000000100000000ULL, 0x34B7A180C41F536FULL},
    {1, 0x0000000100000000ULL, 0x16C92EBB657DBD06ULL},
    {2, 0x0000000100000000ULL, 0xB1D4CA96B765209DULL},
    {3, 0x0000000100000000ULL, 0xDEBDC7C1854E7392ULL},
    {4, 0x0000000100000000ULL, 0x4471D1656DE79D1AULL},
    {5, 0x0000000100000000ULL, 0x83CB18CE9137C3BDULL},
    {7, 0x0000000100000000ULL, 0x92BA80081C58E305ULL},
    {8, 0x0000000100000000ULL, 0x0B9E1B5CD79B43CFULL},
    {9, 0x0000000100000000ULL, 0xE5CBB4A516385ED7ULL},
    {12, 0x0000000100000000ULL, 0x7CF8EB3396590743ULL},
    {15, 0x0000000100000000ULL, 0x6BA650F7B2D40594ULL},
    {16, 0x0000000100000000ULL, 0x793449C753C0E895ULL},
    {17, 0x0000000100000000ULL, 0x74632E6D7D49BC4DULL},
    {31, 0x0000000100000000ULL, 0xF76F5127F51110ADULL},
    {32, 0x0000000100000000ULL, 0xAF817F1115028300ULL},
    {33, 0x0000000100000000ULL, 0x1B7CB7A9D6954416ULL},
    {48, 0x0000000100000000ULL, 0x51EE96288F3BCB99ULL},
    {63, 0x0000000100000000ULL, 0x4125EDA46C559FA7ULL},
    {64, 0x0000000100000000ULL, 0x297BBB53D53317B2ULL},
    {65, 0x0000000100000000ULL, 0x50D5C856A07229D5ULL},
    {96, 0x0000000100000000ULL, 0x5D7F99AAE6357B3FULL},
    {127, 0x0000000100000000ULL, 0x08C74E8F1EAE60C2ULL},
    {128, 0x0000000100000000ULL, 0xD34803A8D510AF55ULL},
    {129, 0x0000000100000000ULL, 0xF5BAB598DA547863ULL},
    {130, 0x0000000100000000ULL, 0x11F98E0C97B5F549ULL},
    {143, 0x0000000100000000ULL, 0x6EF87232A242C610ULL},
    {144, 0x0000000100000000ULL, 0xCBD23C3722FD264DULL},
    {159, 0x0000000100000000ULL, 0x105F6F9D0985A931ULL},
    {160, 0x0000000100000000ULL, 0x0CE5B8935754B282ULL},
    {191, 0x0000000100000000ULL, 0x64973C3BBF40A41AULL},
    {192, 0x0000000100000000ULL, 0x1F926573D1854559ULL},
    {208, 0x0000000100000000ULL, 0xF9D867FA1009A114ULL},
    {239, 0x0000000100000000ULL, 0x4347140594416D28ULL},
    {240, 0x0000000100000000ULL, 0xAB1E38B9DE8289A0ULL},
    {241, 0x0000000100000000ULL, 0xEEAD7510F00437ADULL},
    {242, 0x0000000100000000ULL, 0x106ECE2245E74F56ULL},
    {255, 0x0000000100000000ULL, 0x87D7D0F32B5C5CFBULL},
    {256, 0x0000000100000000ULL, 0xDE16868BD798AAE3ULL},
    {257, 0x0000000100000000ULL, 0x3834D13A64959AFEULL},
    {319, 0x0000000100000000ULL, 0xF5A3D131432CAB92ULL},
    {320, 0x0000000100000000ULL, 0x2136C37644C86C56ULL},
    {321, 0x0000000100000000ULL, 0x4EFF786E34C9779CULL},
    {511, 0x0000000100000000ULL, 0x7415767677075861ULL},
    {512, 0x0000000100000000ULL, 0xF86665CE2A2EB980ULL},
    {513, 0x0000000100000000ULL, 0xC6D22ED1454E52B9ULL},
    {1023, 0x0000000100000000ULL, 0xF42D91E967F7A33CULL},
    {1024, 0x0000000100000000ULL, 0xE057EA88C4C8B295ULL},
    {1025, 0x0000000100000000ULL, 0x1296D0241A9EA1BFULL},
    {1087, 0x0000000100000000ULL, 0x01C2D47C7D59BA90ULL},
    {1088, 0x0000000100000000ULL, 0xC9011477FA8A5B86ULL},
    {1089, 0x0000000100000000ULL, 0x9D2FE6DC067B0CA3ULL},
    {2047, 0x0000000100000000ULL, 0x0A3AB821DAC364EDULL},
    {2048, 0x0000000100000000ULL, 0xE7DE1EF28BF35CA2ULL},
    {2049, 0x0000000100000000ULL, 0xADBFFA4F71D19BF2ULL},
    {4095, 0x0000000100000000ULL, 0x3735FB86DE044AABULL},
    {4096, 0x0000000100000000ULL, 0xB42E9C3FE05DBAD7ULL},
    {4097, 0x0000000100000000ULL, 0xF22E18C0E6379F89ULL},
    {10000, 0x0000000100000000ULL, 0x9A9AD5C2A216F5D1ULL},
    {16383, 0x0000000100000000ULL, 0x7A8731ABDF116A59ULL},
    {16384, 0x0000000100000000ULL, 0x1E91B62E6BFBB43CULL},
    {16385, 0x0000000100000000ULL, 0x06394BD1CE74B105ULL},
    {100000, 0x0000000100000000ULL, 0xF099E243D8D7505EULL},
    {1048593, 0x0000000100000000ULL, 0x64483AA76DEC97BBULL},
    {0, 0xDEADBEEFCAFEF00DULL, 0x16021BD6A8820670ULL},
    {1, 0xDEADBEEFCAFEF00DULL, 0x1BE08D762A4B6D22ULL},
    {2, 0xDEADBEEFCAFEF00DULL, 0x5B2BDEDC692FC0DAULL},
    {3, 0xDEADBEEFCAFEF00DULL, 0x508E7D6113444137ULL},
    {4, 0xDEADBEEFCAFEF00DULL, 0x01FC5B544AE86C8EULL},
    {5, 0xDEADBEEFCAFEF00DULL, 0xB90DD8C9A7F4AF1DULL},
    {7, 0xDEADBEEFCAFEF00DULL, 0xCAD108784B950E18ULL},
    {8, 0xDEADBEEFCAFEF00DULL, 0xB8E64A87A3723198ULL},
    {9, 0xDEADBEEFCAFEF00DULL, 0x2454D9D4F677CD59ULL},
    {12, 0xDEADBEEFCAFEF00DULL, 0x1D3DA1FF541E11E8ULL},
    {15, 0xDEADBEEFCAFEF00DULL, 0x491B617C019A71A0ULL},
    {16, 0xDEADBEEFCAFEF00DULL, 0xBE83427B0DE68150ULL},
    {17, 0xDEADBEEFCAFEF00DULL, 0x0AB40C30E28B7B22ULL},
    {31, 0xDEADBEEFCAFEF00DULL, 0x7E721D1D36321FAAULL},
    {32, 0xDEADBEEFCAFEF00DULL, 0xF310CC161C81F3A0ULL},
    {33, 0xDEADBEEFCAFEF00DULL, 0x2874350BCC052632ULL},
    {48, 0xDEADBEEFCAFEF00DULL, 0x28C80D2E67050E5AULL},
    {63, 0xDEADBEEFCAFEF00DULL, 0xE934E94AEF330D3EULL},
    {64, 0xDEADBEEFCAFEF00DULL, 0xDD52D2981DC646F1ULL},
    {65, 0xDEADBEEFCAFEF00DULL, 0xEC8E67CEC31E9D9EULL},
    {96, 0xDEADBEEFCAFEF00DULL, 0xAD55D820F1C00876ULL},
    {127, 0xDEADBEEFCAFEF00DULL, 0x5876BC1CEBEA4DD0ULL},
    {128, 0xDEADBEEFCAFEF00DULL, 0xE2B93E4FD5E9E37CULL},
    {129, 0xDEADBEEFCAFEF00DULL, 0x33869B2E4619D900ULL},
    {130, 0xDEADBEEFCAFEF00DULL, 0xFA4314F36D2D6FB3ULL},
    {143, 0xDEADBEEFCAFEF00DULL, 0x89AAB4F90CEA772BULL},
    {144, 0xDEADBEEFCAFEF00DULL, 0x3E7403796EA6E1BBULL},
    {159, 0xDEADBEEFCAFEF00DULL, 0x505CB914D2AA5F76ULL},
    {160, 0xDEADBEEFCAFEF00DULL, 0x0F737E62E93D05E6ULL},
    {191, 0xDEADBEEFCAFEF00DULL, 0x0E2B6B5B7E2D527FULL},
    {192, 0xDEADBEEFCAFEF00DULL, 0xD5DEC8042B633CC0ULL},
    {208, 0xDEADBEEFCAFEF00DULL, 0xB511E505AA704029ULL},
    {239, 0xDEADBEEFCAFEF00DULL, 0xE08CC683BE35CB4EULL},
    {240, 0xDEADBEEFCAFEF00DULL, 0x9705BE2CBB1C860FULL},
    {241, 0xDEADBEEFCAFEF00DULL, 0xE5B2D052300739BBULL},
    {242, 0xDEADBEEFCAFEF00DULL, 0xE4F70F282489F874ULL},
    {255, 0xDEADBEEFCAFEF00DULL, 0x1DC3A02E62CD3FB9ULL},
    {256, 0xDEADBEEFCAFEF00DULL, 0xA2EC9946E4D2CD16ULL},
    {257, 0xDEADBEEFCAFEF00DULL, 0x56016605EB2AEAFEULL},
    {319, 0xDEADBEEFCAFEF00DULL, 0x767C6BC7AF5B9062ULL},
    {320, 0xDEADBEEFCAFEF00DULL, 0xA91688A129A2B3F3ULL},
    {321, 0xDEADBEEFCAFEF00DULL, 0xE9E3F2A5D470AEE7ULL},
    {511, 0xDEADBEEFCAFEF00DULL, 0x2183726EDDAD3767ULL},
    {512, 0xDEADBEEFCAFEF00DULL, 0x02A35320D72103E1ULL},
    {513, 0xDEADBEEFCAFEF00DULL, 0x3ECF2887D4811B2DULL},
    {1023, 0xDEADBEEFCAFEF00DULL, 0x25B23EA853AC012EULL},
    {1024, 0xDEADBEEFCAFEF00DULL, 0x6681F727A62E19D9ULL},
    {1025, 0xDEADBEEFCAFEF00DULL, 0xD6F010598E078D17ULL},
    {1087, 0xDEADBEEFCAFEF00DULL, 0x79125289200D88AAULL},
    {1088, 0xDEADBEEFCAFEF00DULL, 0x100E43B941F51401ULL},
    {1089, 0xDEADBEEFCAFEF00DULL, 0xE417D8216EB91F46ULL},
    {2047, 0xDEADBEEFCAFEF00DULL, 0x627BD019C8963E60ULL},
    {2048, 0xDEADBEEFCAFEF00DULL, 0x1D99889A71BF2C76ULL},
    {2049, 0xDEADBEEFCAFEF00DULL, 0x1738AC5B536BE7C4ULL},
    {4095, 0xDEADBEEFCAFEF00DULL, 0x8643370DDE9B79A0ULL},
    {4096, 0xDEADBEEFCAFEF00DULL, 0xDF667B28D199AEB4ULL},
    {4097, 0xDEADBEEFCAFEF00DULL, 0x8BA83F7E86EA4C3FULL},
    {10000, 0xDEADBEEFCAFEF00DULL, 0x4D90EA400C566CD7ULL},
    {16383, 0xDEADBEEFCAFEF00DULL, 0xB3303DB734A5C891ULL},
    {16384, 0xDEADBEEFCAFEF00DULL, 0x9259D947DA79D14CULL},
    {16385, 0xDEADBEEFCAFEF00DULL, 0x3732A793B169169AULL},
    {100000, 0xDEADBEEFCAFEF00DULL, 0x6B3FE5930816E13BULL},
    {1048593, 0xDEADBEEFCAFEF00DULL, 0x0B008AA73CB42340ULL},
};

enum { VECTOR_COUNT = sizeof vectors / sizeof vectors[0], PATTERN_MAX = 1048576 + 17 };

static uint8_t *pattern_buffer(void) {
    uint8_t *p = malloc(PATTERN_MAX);
    ck_assert_ptr_nonnull(p);
    fill_pattern(p, PATTERN_MAX);
    return p;
}

START_TEST(test_hash__matches_xxh3_vectors) {
    uint8_t *data = pattern_buffer();
    for (size_t i = 0; i < VECTOR_COUNT; i++) {
        const hash_vector *v = &vectors[i];
        ck_assert_msg(hp_hash64((const char *)data, v->len, v->seed) == v->expected,
                      "len %zu seed %#llx", v->len, (unsigned long long)v->seed);
    }
    free(data);
}
END_TEST

START_TEST(test_hash__matches_xxh3_vectors_at_every_simd_level) {
    uint8_t *data = pattern_buffer();
    hp_simd saved = hp_simd_level();
    int levels[5];
    size_t nlevels = runnable_levels(levels);
    for (size_t l = 0; l < nlevels; l++) {
        ck_assert_int_eq(hp_simd_set_level(levels[l]), HP_OK);
        for (size_t i = 0; i < VECTOR_COUNT; i++) {
            const hash_vector *v = &vectors[i];
            ck_assert_msg(hp_hash64((const char *)data, v->len, v->seed) == v->expected,
                          "level %s len %zu seed %#llx", hp_simd_name(levels[l]), v->len,
                          (unsigned long long)v->seed);
        }
    }
    ck_assert_int_eq(hp_simd_set_level(saved), HP_OK);
    free(data);
}
END_TEST

START_TEST(test_hash__stream_matches_xxh3_vectors) {
    uint8_t *data = pattern_buffer();
    for (size_t i = 0; i < VECTOR_COUNT; i++) {
        const hash_vector *v = &vectors[i];
        ck_assert_msg(stream_hash(data, v->len, v->seed, 13) == v->expected, "len %zu seed %#llx",
                      v->len, (unsigned long long)v->seed);
    }
    free(data);
}
END_TEST

START_TEST(test_hash__empty_input_accepts_null_data) {
    hp_clear_error();
    ck_assert(hp_hash64(NULL, 0, 0) == 0x2D06800538D394C2ULL);
    ck_assert(hp_hash64("", 0, 0) == 0x2D06800538D394C2ULL);
    for (size_t i = 0; i < VECTOR_COUNT; i++) {
        if (vectors[i].len > 0) continue;
        ck_assert(hp_hash64(NULL, 0, vectors[i].seed) == vectors[i].expected);
    }
    ck_assert_int_eq(hp_last_error_status(), HP_OK);
}
END_TEST

START_TEST(test_hash__does_not_depend_on_alignment) {
    uint64_t rng = 11;
    enum { LEN = 5000 };
    uint8_t *src = random_bytes(LEN, &rng);
    uint8_t *shifted = malloc(LEN + 64);
    ck_assert_ptr_nonnull(shifted);
    static const size_t lens[] = {3, 8, 16, 100, 200, 241, 1024, 1025, 4999};
    for (size_t off = 0; off < 64; off++) {
        memcpy(shifted + off, src, LEN);
        for (size_t i = 0; i < sizeof lens / sizeof lens[0]; i++) {
            EXPECT(hp_hash64((const char *)shifted + off, lens[i], 5) ==
                       hp_hash64((const char *)src, lens[i], 5),
                   "offset %zu len %zu", off, lens[i]);
        }
    }
    free(shifted);
    free(src);
}
END_TEST

START_TEST(test_hash__every_byte_and_seed_matters) {
    /* Flipping any one input bit, or the seed, changes the hash (XXH3 has no such
     * collisions for these lengths; a skipped byte or a mis-sized tail would show). */
    uint64_t rng = 12;
    static const size_t lens[] = {1, 3, 4, 8, 9, 16, 17, 128, 129, 240, 241, 300, 1100};
    for (size_t i = 0; i < sizeof lens / sizeof lens[0]; i++) {
        size_t len = lens[i];
        uint8_t *data = random_bytes(len, &rng);
        uint64_t base = hp_hash64((const char *)data, len, 77);
        ck_assert(hp_hash64((const char *)data, len, 78) != base);
        ck_assert(hp_hash64((const char *)data, len, 77 | (1ULL << 40)) != base);
        for (size_t b = 0; b < len; b++) {
            data[b] ^= 0x10;
            EXPECT(hp_hash64((const char *)data, len, 77) != base, "len %zu byte %zu", len, b);
            data[b] ^= 0x10;
        }
        free(data);
    }
}
END_TEST

/* ---------------------------------------------------------------- streaming */

START_TEST(test_hash__stream_matches_one_shot_for_fixed_chunks) {
    uint64_t rng = 21;
    enum { MAX_LEN = 2200 };
    uint8_t *data = random_bytes(MAX_LEN, &rng);
    static const size_t chunks[] = {1, 7, 63, 64, 65, 255, 256, 257, 1024};
    static const uint64_t seeds[] = {0, 0x100000007ULL};
    for (size_t len = 0; len <= MAX_LEN; len += (len < 700 ? 1 : 37)) {
        for (size_t s = 0; s < 2; s++) {
            uint64_t want = hp_hash64((const char *)data, len, seeds[s]);
            for (size_t c = 0; c < sizeof chunks / sizeof chunks[0]; c++) {
                EXPECT(stream_hash(data, len, seeds[s], chunks[c]) == want,
                       "len %zu chunk %zu seed %#llx", len, chunks[c],
                       (unsigned long long)seeds[s]);
            }
        }
    }
    free(data);
}
END_TEST

START_TEST(test_hash__stream_matches_one_shot_for_random_splits) {
    uint64_t rng = 22;
    enum { MAX_LEN = 60000 };
    uint8_t *data = random_bytes(MAX_LEN, &rng);
    for (int round = 0; round < 300; round++) {
        size_t len = round < 200 ? rng_below(&rng, 3000) : rng_below(&rng, MAX_LEN + 1);
        uint64_t seed = (round % 3 == 0) ? 0 : rng_next(&rng);
        hp_hasher64 *h = NULL;
        ck_assert_int_eq(hp_hasher64_new(&h, seed), HP_OK);
        size_t at = 0;
        while (at < len) {
            /* mostly small pieces, sometimes empty ones, sometimes large ones */
            size_t pick = rng_below(&rng, 10);
            size_t n = pick == 0 ? 0 : pick < 7 ? rng_below(&rng, 300) : rng_below(&rng, 5000);
            if (n > len - at) n = len - at;
            EXPECT(hp_hasher64_update(h, (const char *)data + at, n) == HP_OK, "update at %zu",
                   at);
            at += n;
        }
        uint64_t got = 0;
        ck_assert_int_eq(hp_hasher64_digest(h, &got), HP_OK);
        ck_assert_msg(got == hp_hash64((const char *)data, len, seed), "round %d len %zu", round,
                      len);
        hp_hasher64_free(h);
    }
    free(data);
}
END_TEST

START_TEST(test_hash__stream_digest_midway_then_continue) {
    uint64_t rng = 23;
    enum { LEN = 3000 };
    uint8_t *data = random_bytes(LEN, &rng);
    static const size_t chunks[] = {1, 61, 64, 256, 700};
    for (size_t c = 0; c < sizeof chunks / sizeof chunks[0]; c++) {
        for (uint64_t seed = 0; seed < 2; seed++) {
            hp_hasher64 *h = NULL;
            ck_assert_int_eq(hp_hasher64_new(&h, seed * 0xABCDEF0123ULL), HP_OK);
            for (size_t at = 0; at < LEN;) {
                size_t n = LEN - at < chunks[c] ? LEN - at : chunks[c];
                EXPECT(hp_hasher64_update(h, (const char *)data + at, n) == HP_OK, "update");
                at += n;
                uint64_t first = 0, again = 1;
                EXPECT(hp_hasher64_digest(h, &first) == HP_OK, "digest");
                EXPECT(hp_hasher64_digest(h, &again) == HP_OK, "digest");
                EXPECT(first == again, "digest changed the state at %zu", at);
                EXPECT(first == hp_hash64((const char *)data, at, seed * 0xABCDEF0123ULL),
                       "prefix %zu chunk %zu", at, chunks[c]);
            }
            hp_hasher64_free(h);
        }
    }
    free(data);
}
END_TEST

START_TEST(test_hash__stream_reset_with_new_seed) {
    uint64_t rng = 24;
    uint8_t *a = random_bytes(5000, &rng);
    uint8_t *b = random_bytes(5000, &rng);
    hp_hasher64 *h = NULL;
    ck_assert_int_eq(hp_hasher64_new(&h, 1), HP_OK);
    uint64_t got = 0;
    ck_assert_int_eq(hp_hasher64_digest(h, &got), HP_OK);
    ck_assert(got == hp_hash64(NULL, 0, 1));
    static const size_t lens[] = {0, 5, 200, 241, 1500, 5000};
    static const uint64_t seeds[] = {0, 99, 0xFFFFFFFF00000000ULL};
    for (size_t i = 0; i < sizeof lens / sizeof lens[0]; i++) {
        for (size_t s = 0; s < 3; s++) {
            ck_assert_int_eq(hp_hasher64_update(h, (const char *)a, 3000), HP_OK);
            ck_assert_int_eq(hp_hasher64_reset(h, seeds[s]), HP_OK);
            ck_assert_int_eq(hp_hasher64_update(h, (const char *)b, lens[i]), HP_OK);
            ck_assert_int_eq(hp_hasher64_digest(h, &got), HP_OK);
            ck_assert(got == hp_hash64((const char *)b, lens[i], seeds[s]));
        }
    }
    hp_hasher64_free(h);
    free(a);
    free(b);
}
END_TEST

START_TEST(test_hash__stream_failed_update_leaves_state) {
    uint64_t rng = 25;
    uint8_t *data = random_bytes(1000, &rng);
    hp_hasher64 *h = NULL;
    ck_assert_int_eq(hp_hasher64_new(&h, 3), HP_OK);
    ck_assert_int_eq(hp_hasher64_update(h, (const char *)data, 600), HP_OK);
    ck_assert_int_eq(hp_hasher64_update(h, NULL, 10), HP_EINVAL);
    ck_assert_int_eq(hp_hasher64_update(h, (const char *)data, SIZE_MAX), HP_EOVERFLOW);
    ck_assert_int_eq(hp_hasher64_update(h, NULL, 0), HP_OK);
    uint64_t got = 0;
    ck_assert_int_eq(hp_hasher64_digest(h, &got), HP_OK);
    ck_assert(got == hp_hash64((const char *)data, 600, 3));
    hp_hasher64_free(h);
    free(data);
}
END_TEST

/* ---------------------------------------------------------------- SIMD against scalar */

START_TEST(test_hash__simd_matches_scalar_on_random_inputs) {
    uint64_t rng = 31;
    enum { MAX_LEN = 5000 };
    uint8_t *data = random_bytes(MAX_LEN + 64, &rng);
    hp_simd saved = hp_simd_level();
    int levels[5];
    size_t nlevels = runnable_levels(levels);
    for (int round = 0; round < 400; round++) {
        size_t len = rng_below(&rng, MAX_LEN + 1);
        size_t off = rng_below(&rng, 64);
        uint64_t seed = round % 4 == 0 ? 0 : rng_next(&rng);
        size_t chunk = 1 + rng_below(&rng, 700);
        const uint8_t *p = data + off;
        EXPECT(hp_simd_set_level(HP_SIMD_SCALAR) == HP_OK, "set scalar");
        uint64_t want = hp_hash64((const char *)p, len, seed);
        EXPECT(stream_hash(p, len, seed, chunk) == want, "scalar stream len %zu", len);
        for (size_t l = 1; l < nlevels; l++) {
            EXPECT(hp_simd_set_level(levels[l]) == HP_OK, "set %s", hp_simd_name(levels[l]));
            EXPECT(hp_hash64((const char *)p, len, seed) == want, "level %s len %zu",
                   hp_simd_name(levels[l]), len);
            EXPECT(stream_hash(p, len, seed, chunk) == want, "stream level %s len %zu",
                   hp_simd_name(levels[l]), len);
        }
    }
    ck_assert_int_eq(hp_simd_set_level(saved), HP_OK);
    ck_assert_int_eq(hp_simd_level(), saved);
    free(data);
}
END_TEST

START_TEST(test_hash__stream_survives_level_change_midway) {
    /* Kernels are picked per call; all of them leave identical state, so switching the
     * level between updates must not change the digest. */
    uint64_t rng = 32;
    enum { LEN = 20000 };
    uint8_t *data = random_bytes(LEN, &rng);
    hp_simd saved = hp_simd_level();
    int levels[5];
    size_t nlevels = runnable_levels(levels);
    hp_hasher64 *h = NULL;
    ck_assert_int_eq(hp_hasher64_new(&h, 1234), HP_OK);
    for (size_t at = 0, i = 0; at < LEN; i++) {
        size_t n = 1 + rng_below(&rng, 2000);
        if (n > LEN - at) n = LEN - at;
        ck_assert_int_eq(hp_simd_set_level(levels[i % nlevels]), HP_OK);
        ck_assert_int_eq(hp_hasher64_update(h, (const char *)data + at, n), HP_OK);
        at += n;
    }
    ck_assert_int_eq(hp_simd_set_level(saved), HP_OK);
    uint64_t got = 0;
    ck_assert_int_eq(hp_hasher64_digest(h, &got), HP_OK);
    ck_assert(got == hp_hash64((const char *)data, LEN, 1234));
    hp_hasher64_free(h);
    free(data);
}
END_TEST

/* ---------------------------------------------------------------- batches */

typedef struct test_batch {
    hp_strings view;
    char *data;
    int64_t *offsets;
} test_batch;

/* count random strings (mostly short, some long) behind `lead` bytes of padding, so
 * offsets[0] == lead, as in an Arrow slice. */
static test_batch make_batch(size_t count, int64_t lead, uint64_t *rng) {
    test_batch b;
    b.offsets = malloc((count + 1) * sizeof *b.offsets);
    ck_assert_ptr_nonnull(b.offsets);
    b.offsets[0] = lead;
    for (size_t i = 0; i < count; i++) {
        size_t pick = rng_below(rng, 100);
        size_t len = pick < 10 ? 0 : pick < 90 ? rng_below(rng, 60) : rng_below(rng, 3000);
        b.offsets[i + 1] = b.offsets[i] + (int64_t)len;
    }
    size_t total = (size_t)b.offsets[count];
    b.data = malloc(total ? total : 1);
    ck_assert_ptr_nonnull(b.data);
    for (size_t i = 0; i < total; i++) b.data[i] = (char)rng_next(rng);
    b.view = (hp_strings){b.data, b.offsets, count};
    return b;
}

static void free_batch(test_batch *b) {
    free(b->data);
    free(b->offsets);
}

START_TEST(test_hash__batch_matches_single_hashes) {
    uint64_t rng = 41;
    enum { COUNT = 30000 };
    test_batch b = make_batch(COUNT, 17, &rng);
    uint64_t *out = malloc(COUNT * sizeof *out);
    ck_assert_ptr_nonnull(out);
    static const unsigned threads[] = {1, 2, 0};
    static const uint64_t seeds[] = {0, 0x1234567890ULL};
    for (size_t t = 0; t < 3; t++) {
        for (size_t s = 0; s < 2; s++) {
            memset(out, 0, COUNT * sizeof *out);
            ck_assert_int_eq(hp_hash64_batch(out, COUNT, &b.view, seeds[s], threads[t]), HP_OK);
            for (size_t i = 0; i < COUNT; i++) {
                size_t len = (size_t)(b.offsets[i + 1] - b.offsets[i]);
                EXPECT(out[i] == hp_hash64(b.data + b.offsets[i], len, seeds[s]),
                       "string %zu threads %u", i, threads[t]);
            }
        }
    }
    /* The batch is far above one grain, so with more than one thread the pool ran. */
    if (hp_default_threads() > 1) ck_assert_uint_gt(hp__pool_workers(), 0);
    free(out);
    free_batch(&b);
}
END_TEST

START_TEST(test_hash__batch_of_long_strings_in_parallel) {
    /* Few strings, each long: the grain drops to one string per chunk. */
    uint64_t rng = 42;
    enum { COUNT = 16, LEN = 200000 };
    char *data = (char *)random_bytes(COUNT * LEN, &rng);
    int64_t offsets[COUNT + 1];
    for (size_t i = 0; i <= COUNT; i++) offsets[i] = (int64_t)(i * LEN);
    hp_strings view = {data, offsets, COUNT};
    uint64_t out[COUNT];
    ck_assert_int_eq(hp_hash64_batch(out, COUNT, &view, 9, 2), HP_OK);
    for (size_t i = 0; i < COUNT; i++) ck_assert(out[i] == hp_hash64(data + i * LEN, LEN, 9));
    free(data);
}
END_TEST

START_TEST(test_hash__batch_empty_and_null_data) {
    int64_t zero[1] = {0};
    hp_strings empty = {NULL, zero, 0};
    ck_assert_int_eq(hp_hash64_batch(NULL, 0, &empty, 0, 0), HP_OK);
    /* empty strings on a NULL data pointer are allowed */
    int64_t offsets[4] = {0, 0, 0, 0};
    hp_strings blanks = {NULL, offsets, 3};
    uint64_t out[3] = {0, 0, 0};
    ck_assert_int_eq(hp_hash64_batch(out, 3, &blanks, 5, 1), HP_OK);
    for (size_t i = 0; i < 3; i++) ck_assert(out[i] == hp_hash64(NULL, 0, 5));
}
END_TEST

START_TEST(test_hash__batch_errors) {
    const char *data = "abcdefgh";
    int64_t offsets[4] = {0, 3, 5, 8};
    hp_strings batch = {data, offsets, 3};
    uint64_t out[3];

    hp_clear_error();
    ck_assert_int_eq(hp_hash64_batch(out, 3, NULL, 0, 1), HP_EINVAL);
    ck_assert_int_eq(hp_last_error_status(), HP_EINVAL);

    ck_assert_int_eq(hp_hash64_batch(NULL, 3, &batch, 0, 1), HP_EINVAL);

    ck_assert_int_eq(hp_hash64_batch(out, 2, &batch, 0, 1), HP_EBUFSIZE);
    ck_assert_str_eq(hp_last_error_message(), "output needs 3 hashes, capacity 2");
    ck_assert_int_eq(hp_hash64_batch(NULL, 0, &batch, 0, 1), HP_EBUFSIZE);
    ck_assert_ptr_nonnull(strstr(hp_last_error_message(), "needs 3"));

    int64_t decreasing[4] = {0, 5, 3, 8};
    hp_strings bad = {data, decreasing, 3};
    ck_assert_int_eq(hp_hash64_batch(out, 3, &bad, 0, 1), HP_EINVAL);

    int64_t negative[4] = {-1, 3, 5, 8};
    bad.offsets = negative;
    ck_assert_int_eq(hp_hash64_batch(out, 3, &bad, 0, 1), HP_EINVAL);

    hp_strings no_data = {NULL, offsets, 3};
    ck_assert_int_eq(hp_hash64_batch(out, 3, &no_data, 0, 1), HP_EINVAL);

    hp_strings no_offsets = {data, NULL, 3};
    ck_assert_int_eq(hp_hash64_batch(out, 3, &no_offsets, 0, 1), HP_EINVAL);
}
END_TEST

typedef struct batch_thread_arg {
    const hp_strings *batch;
    uint64_t *out;
    hp_status status;
} batch_thread_arg;

static void *batch_thread(void *p) {
    batch_thread_arg *arg = p;
    arg->status = hp_hash64_batch(arg->out, arg->batch->count, arg->batch, 77, 0);
    return NULL;
}

START_TEST(test_hash__batch_concurrent_callers) {
    /* Two callers at once: one gets the pool, the other runs inline; both must be right. */
    uint64_t rng = 43;
    enum { COUNT = 20000, CALLERS = 3 };
    test_batch b = make_batch(COUNT, 0, &rng);
    pthread_t tids[CALLERS];
    batch_thread_arg args[CALLERS];
    for (size_t t = 0; t < CALLERS; t++) {
        args[t] = (batch_thread_arg){&b.view, malloc(COUNT * sizeof(uint64_t)), HP_EINTERNAL};
        ck_assert_ptr_nonnull(args[t].out);
        ck_assert_int_eq(pthread_create(&tids[t], NULL, batch_thread, &args[t]), 0);
    }
    for (size_t t = 0; t < CALLERS; t++) ck_assert_int_eq(pthread_join(tids[t], NULL), 0);
    for (size_t t = 0; t < CALLERS; t++) {
        ck_assert_int_eq(args[t].status, HP_OK);
        for (size_t i = 0; i < COUNT; i++) {
            size_t len = (size_t)(b.offsets[i + 1] - b.offsets[i]);
            EXPECT(args[t].out[i] == hp_hash64(b.data + b.offsets[i], len, 77), "string %zu", i);
        }
        free(args[t].out);
    }
    free_batch(&b);
}
END_TEST

/* ---------------------------------------------------------------- argument errors */

START_TEST(test_hash__null_data_is_einval) {
    hp_clear_error();
    ck_assert(hp_hash64(NULL, 5, 0) == 0);
    ck_assert_int_eq(hp_last_error_status(), HP_EINVAL);
    ck_assert_ptr_nonnull(strstr(hp_last_error_message(), "NULL"));
}
END_TEST

START_TEST(test_hash__huge_length_is_eoverflow) {
    hp_clear_error();
    ck_assert(hp_hash64("x", SIZE_MAX, 0) == 0);
    ck_assert_int_eq(hp_last_error_status(), HP_EOVERFLOW);
    hp_clear_error();
    ck_assert(hp_hash64("x", HP_MAX_LEN + (size_t)1, 0) == 0);
    ck_assert_int_eq(hp_last_error_status(), HP_EOVERFLOW);
}
END_TEST

START_TEST(test_hash__hasher_null_arguments) {
    uint64_t out = 0;
    ck_assert_int_eq(hp_hasher64_new(NULL, 0), HP_EINVAL);
    ck_assert_int_eq(hp_hasher64_update(NULL, "abc", 3), HP_EINVAL);
    ck_assert_int_eq(hp_hasher64_digest(NULL, &out), HP_EINVAL);
    ck_assert_int_eq(hp_hasher64_reset(NULL, 0), HP_EINVAL);
    hp_hasher64_free(NULL);

    hp_hasher64 *h = NULL;
    ck_assert_int_eq(hp_hasher64_new(&h, 0), HP_OK);
    ck_assert_ptr_nonnull(h);
    ck_assert_int_eq(hp_hasher64_digest(h, NULL), HP_EINVAL);
    ck_assert_int_eq(hp_hasher64_update(h, NULL, 1), HP_EINVAL);
    ck_assert_int_eq(hp_hasher64_update(h, "abc", SIZE_MAX), HP_EOVERFLOW);
    ck_assert_int_eq(hp_last_error_status(), HP_EOVERFLOW);
    hp_hasher64_free(h);
}
END_TEST

START_TEST(test_hash__hasher_new_free_balances_allocations) {
    size_t before = hp_live_allocations();
    hp_hasher64 *h[4];
    for (size_t i = 0; i < 4; i++) ck_assert_int_eq(hp_hasher64_new(&h[i], i), HP_OK);
    ck_assert_uint_eq(hp_live_allocations(), before + 4);
    for (size_t i = 0; i < 4; i++) {
        ck_assert_int_eq(hp_hasher64_update(h[i], "some bytes", 10), HP_OK);
        hp_hasher64_free(h[i]);
    }
    ck_assert_uint_eq(hp_live_allocations(), before);
}
END_TEST

static size_t hook_mallocs, hook_frees;

static void *counting_malloc(size_t size, void *user) {
    (void)user;
    hook_mallocs++;
    return malloc(size);
}
static void *counting_realloc(void *ptr, size_t size, void *user) {
    (void)user;
    return realloc(ptr, size);
}
static void counting_free(void *ptr, void *user) {
    (void)user;
    hook_frees++;
    free(ptr);
}
static void *failing_malloc(size_t size, void *user) {
    (void)size;
    (void)user;
    return NULL;
}

START_TEST(test_hash__hasher_uses_installed_allocator) {
    ck_assert_int_eq(hp_set_allocator(counting_malloc, counting_realloc, counting_free, NULL),
                     HP_OK);
    hook_mallocs = hook_frees = 0;
    hp_hasher64 *h = NULL;
    ck_assert_int_eq(hp_hasher64_new(&h, 1), HP_OK);
    ck_assert_uint_eq(hook_mallocs, 1);
    hp_hasher64_free(h);
    ck_assert_uint_eq(hook_frees, 1);

    ck_assert_int_eq(hp_set_allocator(failing_malloc, counting_realloc, counting_free, NULL),
                     HP_OK);
    h = (hp_hasher64 *)&hook_mallocs; /* must be overwritten */
    ck_assert_int_eq(hp_hasher64_new(&h, 1), HP_ENOMEM);
    ck_assert_ptr_null(h);
    ck_assert_int_eq(hp_set_allocator(NULL, NULL, NULL, NULL), HP_OK);
}
END_TEST

/* One case per aspect, so CK_RUN_CASE=stream (etc.) runs just that part. */
Suite *test_hash_suite(void) {
    Suite *s = suite_create("hash");

    TCase *vectors_case = tcase_create("vectors");
    tcase_set_timeout(vectors_case, 120);
    tcase_add_test(vectors_case, test_hash__matches_xxh3_vectors);
    tcase_add_test(vectors_case, test_hash__matches_xxh3_vectors_at_every_simd_level);
    tcase_add_test(vectors_case, test_hash__stream_matches_xxh3_vectors);
    tcase_add_test(vectors_case, test_hash__empty_input_accepts_null_data);
    tcase_add_test(vectors_case, test_hash__does_not_depend_on_alignment);
    tcase_add_test(vectors_case, test_hash__every_byte_and_seed_matters);
    suite_add_tcase(s, vectors_case);

    TCase *stream = tcase_create("stream");
    tcase_set_timeout(stream, 120);
    tcase_add_test(stream, test_hash__stream_matches_one_shot_for_fixed_chunks);
    tcase_add_test(stream, test_hash__stream_matches_one_shot_for_random_splits);
    tcase_add_test(stream, test_hash__stream_digest_midway_then_continue);
    tcase_add_test(stream, test_hash__stream_reset_with_new_seed);
    tcase_add_test(stream, test_hash__stream_failed_update_leaves_state);
    suite_add_tcase(s, stream);

    TCase *simd = tcase_create("simd");
    tcase_set_timeout(simd, 120);
    tcase_add_test(simd, test_hash__simd_matches_scalar_on_random_inputs);
    tcase_add_test(simd, test_hash__stream_survives_level_change_midway);
    suite_add_tcase(s, simd);

    TCase *batch = tcase_create("batch");
    tcase_set_timeout(batch, 120);
    tcase_add_test(batch, test_hash__batch_matches_single_hashes);
    tcase_add_test(batch, test_hash__batch_of_long_strings_in_parallel);
    tcase_add_test(batch, test_hash__batch_empty_and_null_data);
    tcase_add_test(batch, test_hash__batch_errors);
    tcase_add_test(batch, test_hash__batch_concurrent_callers);
    suite_add_tcase(s, batch);

    TCase *errors = tcase_create("errors");
    tcase_add_test(errors, test_hash__null_data_is_einval);
    tcase_add_test(errors, test_hash__huge_length_is_eoverflow);
    tcase_add_test(errors, test_hash__hasher_null_arguments);
    tcase_add_test(errors, test_hash__hasher_new_free_balances_allocations);
    tcase_add_test(errors, test_hash__hasher_uses_installed_allocator);
    suite_add_tcase(s, errors);
    return s;
}
