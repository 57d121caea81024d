/*
 * hotpath/fuzzy.h — fuzzy string matching: edit distances, RapidFuzz-style scorers,
 * and batch matching (extract, cdist, sparse all-pairs) over the thread pool.
 *
 * Semantics follow RapidFuzz 3.x exactly (rapidfuzz.distance.*, rapidfuzz.fuzz.*,
 * rapidfuzz.process.*): the same metrics, score ranges, cutoff rules and edge cases.
 *
 * Sequences. Every sequence is (const void *p, size_t len, int enc) with enc one of
 * hp_enc; p may be NULL only when len is 0:
 *   HP_ENC_UTF8  — p is UTF-8 text of len bytes; the elements are its code points
 *                  (invalid UTF-8 is HP_EUTF8);
 *   HP_ENC_BYTES — p is len raw bytes; the elements are the bytes;
 *   HP_ENC_U32   — p is an array of len uint32_t (native byte order, any alignment):
 *                  code points, or any 32-bit ids (the Python layer maps hashable
 *                  elements to ids this way);
 *   HP_ENC_U16   — p is an array of len uint16_t (native byte order, any alignment),
 *                  compared by value (e.g. the UCS-2 storage of a Python str; UTF-16
 *                  surrogate pairs are not combined).
 * Elements compare by value, so UTF-8 "é" equals the U32 sequence {0xE9} and the
 * BYTES sequence {0xE9}.
 *
 * Cutoffs. score_cutoff is a double; NaN means "no cutoff". For distances (lower is
 * better) it is the largest distance of interest: a worse result comes back as
 * cutoff + 1 (integer distances) or 1.0 (normalized distance). For similarities and
 * fuzz scores (higher is better) it is the smallest of interest: a worse result comes
 * back as 0. These are RapidFuzz's rules; knowing the cutoff lets kernels stop early.
 */
#ifndef HOTPATH_FUZZY_H
#define HOTPATH_FUZZY_H

#include "core.h"

#if defined(__cplusplus) && !defined(HP_CDEF)
extern "C" {
#endif

typedef enum hp_enc {
    HP_ENC_UTF8 = 0,  /* UTF-8 text, compared by code point */
    HP_ENC_BYTES = 1, /* raw bytes, compared by byte */
    HP_ENC_U32 = 2,   /* uint32_t elements (code points or ids) */
    HP_ENC_U16 = 3    /* uint16_t elements */
} hp_enc;

/* The metrics of rapidfuzz.distance. */
typedef enum hp_fuzzy_metric {
    HP_METRIC_LEVENSHTEIN = 0,          /* weighted insert/delete/substitute */
    HP_METRIC_INDEL = 1,                /* insertions and deletions only */
    HP_METRIC_LCSSEQ = 2,               /* longest common subsequence */
    HP_METRIC_HAMMING = 3,              /* substitutions only (pad: length difference counts) */
    HP_METRIC_JARO = 4,                 /* Jaro similarity in [0, 1] */
    HP_METRIC_JARO_WINKLER = 5,         /* Jaro with a common-prefix bonus */
    HP_METRIC_OSA = 6,                  /* optimal string alignment (restricted Damerau) */
    HP_METRIC_DAMERAU_LEVENSHTEIN = 7,  /* unrestricted transpositions */
    HP_METRIC_PREFIX = 8,               /* length of the common prefix */
    HP_METRIC_POSTFIX = 9               /* length of the common suffix */
} hp_fuzzy_metric;

/* Which number a metric scorer reports (RapidFuzz's four functions per metric). */
typedef enum hp_measure {
    HP_DISTANCE = 0,              /* integer distance (Jaro*: 1 - similarity) */
    HP_SIMILARITY = 1,            /* integer similarity (Jaro*: the similarity) */
    HP_NORMALIZED_DISTANCE = 2,   /* distance / maximum, in [0, 1] */
    HP_NORMALIZED_SIMILARITY = 3  /* 1 - normalized distance, in [0, 1] */
} hp_measure;

/* The scorers of rapidfuzz.fuzz, all in [0, 100]. */
typedef enum hp_fuzz {
    HP_FUZZ_RATIO = 0,
    HP_FUZZ_PARTIAL_RATIO = 1,
    HP_FUZZ_TOKEN_SORT_RATIO = 2,
    HP_FUZZ_TOKEN_SET_RATIO = 3,
    HP_FUZZ_TOKEN_RATIO = 4,
    HP_FUZZ_PARTIAL_TOKEN_SORT_RATIO = 5,
    HP_FUZZ_PARTIAL_TOKEN_SET_RATIO = 6,
    HP_FUZZ_PARTIAL_TOKEN_RATIO = 7,
    HP_FUZZ_WRATIO = 8,
    HP_FUZZ_QRATIO = 9
} hp_fuzz;

typedef enum hp_scorer_kind {
    HP_SCORER_METRIC = 0, /* id is an hp_fuzzy_metric, measure an hp_measure */
    HP_SCORER_FUZZ = 1    /* id is an hp_fuzz; measure is ignored */
} hp_scorer_kind;

/*
 * hp_scorer — what to compute for a pair: plain data, built by the caller.
 *
 * kind, id, measure: see hp_scorer_kind.
 * pad:           Hamming only: non-zero lets lengths differ (the difference counts as
 *                edits, RapidFuzz's pad=True); zero makes unequal lengths HP_EINVAL.
 * weights:       Levenshtein only: insertion, deletion, substitution costs
 *                (RapidFuzz's default (1, 1, 1)); each at most 2^32.
 * prefix_weight: JaroWinkler only: in [0, 1] (default 0.1), as RapidFuzz checks.
 *
 * Use hp_scorer_init() to fill in RapidFuzz's defaults, then change fields.
 */
typedef struct hp_scorer {
    int32_t kind;
    int32_t id;
    int32_t measure;
    int32_t pad;
    uint64_t weights[3];
    double prefix_weight;
} hp_scorer;

/*
 * hp_scorer_init — fill *scorer with kind/id/measure and RapidFuzz's defaults
 * (pad = 1, weights = (1, 1, 1), prefix_weight = 0.1).
 * Returns HP_OK; HP_EINVAL for a NULL scorer or an unknown kind, id or measure.
 * Thread-safe.
 */
HP_API hp_status hp_scorer_init(hp_scorer *scorer, int kind, int id, int measure);

/*
 * hp_scorer_range — the worst and best score a scorer can report for
 * sequences of lengths alen and blen (RapidFuzz's worst_score/optimal_score, which
 * process functions use to tell "lower is better" scorers from "higher is better"):
 * a distance's best is 0 and its worst is its maximum for those lengths; a similarity
 * or fuzz score's best is its maximum and its worst is 0. Jaro* distances: best 0,
 * worst 1. Writes through worst and best.
 * Returns HP_OK; HP_EINVAL for NULL pointers or an invalid scorer. Thread-safe.
 */
HP_API hp_status hp_scorer_range(double *worst, double *best, const hp_scorer *scorer,
                                 size_t alen, size_t blen);

/*
 * hp_fuzzy_score — score one pair of sequences.
 *
 * out:           OUT, the score (integer measures are whole numbers in the double).
 * scorer:        what to compute (borrowed; checked: unknown ids, negative or NaN
 *                prefix_weight outside [0, 1], weights above 2^32 are HP_EINVAL).
 * a, alen, aenc: the first sequence (RapidFuzz's s1; borrowed).
 * b, blen, benc: the second sequence (s2; borrowed).
 * score_cutoff:  NaN for none; otherwise as described at the top of this header.
 *                Any other value is applied as the formulas say (a negative cutoff
 *                on a distance lets nothing pass; one above 100 on a fuzz scorer
 *                likewise); the Python layer adds RapidFuzz's own range checks.
 *
 * Returns HP_OK; HP_EINVAL (NULL out/scorer, NULL sequence with len > 0, bad enc,
 * invalid scorer, Hamming without pad on unequal lengths); HP_EUTF8 (the
 * message names the sequence and byte offset); HP_ENOMEM (long sequences need scratch
 * memory); HP_EOVERFLOW (a length above HP_MAX_LEN / 4).
 * Thread-safe.
 */
HP_API hp_status hp_fuzzy_score(double *out, const hp_scorer *scorer, const void *a,
                                size_t alen, int aenc, const void *b, size_t blen, int benc,
                                double score_cutoff);

/* ---------------------------------------------------------------- edit operations */

typedef enum hp_edit_tag {
    HP_EDIT_EQUAL = 0, /* only in opcodes */
    HP_EDIT_REPLACE = 1,
    HP_EDIT_INSERT = 2,
    HP_EDIT_DELETE = 3
} hp_edit_tag;

/* One edit operation: apply `tag` at src_pos of the source / dest_pos of the
 * destination (RapidFuzz's Editop). */
typedef struct hp_editop {
    uint32_t tag;
    uint32_t reserved; /* 0 */
    uint64_t src_pos;
    uint64_t dest_pos;
} hp_editop;

/*
 * hp_fuzzy_editops — the edit operations that turn a into b with the smallest number
 * of edits, in order: RapidFuzz's Levenshtein.editops (uniform weights) for
 * HP_METRIC_LEVENSHTEIN, and Indel.editops / LCSseq.editops (insertions and deletions
 * only) for HP_METRIC_INDEL and HP_METRIC_LCSSEQ. Where several minimal scripts exist,
 * the one RapidFuzz picks is returned.
 *
 * out:        OUT, a new array of *out_count operations (library-allocated pattern;
 *             release with hp_free); NULL when *out_count is 0 or on error.
 * out_count:  OUT.
 * metric:     HP_METRIC_LEVENSHTEIN, HP_METRIC_INDEL or HP_METRIC_LCSSEQ.
 * a, b:       as for hp_fuzzy_score.
 *
 * Time O(alen*blen/64) after common affixes are removed; memory O(alen*blen/64) bits
 * for the part between them. Returns HP_OK; HP_EINVAL; HP_EUTF8; HP_ENOMEM;
 * HP_EOVERFLOW. Thread-safe.
 */
HP_API hp_status hp_fuzzy_editops(hp_editop **out, size_t *out_count, int metric, const void *a,
                                  size_t alen, int aenc, const void *b, size_t blen, int benc);

/* RapidFuzz's ScoreAlignment: the score, and where in each sequence it was found. */
typedef struct hp_alignment {
    double score;
    uint64_t src_start, src_end;
    uint64_t dest_start, dest_end;
} hp_alignment;

/*
 * hp_fuzz_partial_ratio_alignment — fuzz.partial_ratio together with the best-matching
 * window (rapidfuzz.fuzz.partial_ratio_alignment). Positions are element offsets
 * (code points for HP_ENC_UTF8). A score below score_cutoff gives score 0 and zero
 * positions, as RapidFuzz returns None; check out->score.
 * Returns as hp_fuzzy_score. Thread-safe.
 */
HP_API hp_status hp_fuzz_partial_ratio_alignment(hp_alignment *out, const void *a, size_t alen,
                                                 int aenc, const void *b, size_t blen,
                                                 int benc, double score_cutoff);

/* ---------------------------------------------------------------- cached query */

typedef struct hp_fuzzy_query hp_fuzzy_query;

/*
 * hp_fuzzy_query_new — prepare one query for scoring against many choices: decode it
 * and precompute what the scorer reuses (bit-parallel match vectors, sorted tokens).
 *
 * out:        OUT, the handle (opaque-handle pattern; release with hp_fuzzy_query_free).
 * scorer:     copied into the handle.
 * q, qlen, qenc: the query (copied).
 * Returns HP_OK; HP_EINVAL; HP_EUTF8; HP_ENOMEM; HP_EOVERFLOW. *out is NULL on error.
 * The handle is immutable: share it across threads freely.
 */
HP_API hp_status hp_fuzzy_query_new(hp_fuzzy_query **out, const hp_scorer *scorer, const void *q,
                                    size_t qlen, int qenc);

/*
 * hp_fuzzy_query_score — hp_fuzzy_score(out, scorer, query, choice, score_cutoff) with
 * the query's precomputation reused. Returns as hp_fuzzy_score. Thread-safe.
 */
HP_API hp_status hp_fuzzy_query_score(const hp_fuzzy_query *query, double *out, const void *c,
                                      size_t clen, int cenc, double score_cutoff);

/* hp_fuzzy_query_free — release a query handle. NULL is a no-op. */
HP_API void hp_fuzzy_query_free(hp_fuzzy_query *query);

/* ---------------------------------------------------------------- batches */

/*
 * hp_progress_fn — progress and cancellation for long batch calls. Called on the
 * calling thread only, from time to time, with the work done so far and the total
 * (in pairs scored or rows finished, as each function says). A non-zero return
 * cancels: the call stops soon after and returns HP_ECANCELLED.
 */
typedef int (*hp_progress_fn)(uint64_t done, uint64_t total, void *user);

/* One match of an extract: the choice's index and its score. */
typedef struct hp_match {
    double score;
    uint64_t index;
} hp_match;

/*
 * hp_fuzzy_extract — the best `limit` choices for a query (rapidfuzz.process.extract;
 * extractOne is limit 1), scored on up to `threads` threads.
 *
 * out, capacity: OUT, caller array; capacity must be at least min(limit, choices->count).
 * out_count:     OUT, matches written (those meeting score_cutoff, at most limit),
 *                best first; ties keep the lower index first.
 * query:         a prepared query (its scorer decides "best": lowest distance or
 *                highest similarity).
 * choices, cenc: the choices, each string of the batch a sequence of encoding cenc
 *                (HP_ENC_U32 / HP_ENC_U16: offsets in bytes, multiples of 4 / 2).
 * skip:          optional (NULL = none): choices->count flags, non-zero skips the
 *                choice (Python's None choices).
 * score_cutoff:  as for hp_fuzzy_score.
 * limit:         at most this many matches; 0 means all.
 * threads:       0 = hp_default_threads(); small batches run on the calling thread.
 * progress, user: optional (progress may be NULL); total = choices->count.
 *
 * Returns HP_OK; HP_EINVAL (NULL pointers, malformed batch, bad enc); HP_EBUFSIZE
 * (capacity too small; the message gives the number needed); HP_EUTF8 (the message
 * names the choice index); HP_ENOMEM; HP_ECANCELLED. Thread-safe.
 */
HP_API hp_status hp_fuzzy_extract(hp_match *out, size_t capacity, size_t *out_count,
                                  const hp_fuzzy_query *query, const hp_strings *choices,
                                  int cenc, const uint8_t *skip, double score_cutoff,
                                  size_t limit, unsigned threads, hp_progress_fn progress,
                                  void *user);

/*
 * hp_fuzzy_choices — a batch of choices prepared once for many queries: decoded, and
 * (with AVX2) grouped into SIMD match tables, so each hp_fuzzy_extract_prepared call
 * only streams its query through them. Worth it from the second query on; the
 * prepared form takes about 4 bytes per element plus ~1 KiB per 4-8 short choices.
 *
 * hp_fuzzy_choices_new:  out (opaque-handle pattern; release with hp_fuzzy_choices_free),
 *                        choices and cenc as for hp_fuzzy_extract (copied), threads for
 *                        the decoding. Returns HP_OK; HP_EINVAL; HP_EUTF8 (the message
 *                        names the choice); HP_ENOMEM; HP_EOVERFLOW. *out is NULL on error.
 * hp_fuzzy_choices_count: OUT *out = the number of choices.
 * hp_fuzzy_extract_prepared: hp_fuzzy_extract over prepared choices, with the same
 *                        parameters, results and status codes (skip has count flags).
 * The handle is immutable: share it across threads. hp_fuzzy_choices_free(NULL) is a
 * no-op.
 */
typedef struct hp_fuzzy_choices hp_fuzzy_choices;

HP_API hp_status hp_fuzzy_choices_new(hp_fuzzy_choices **out, const hp_strings *choices, int cenc,
                                      unsigned threads);
HP_API hp_status hp_fuzzy_choices_count(const hp_fuzzy_choices *choices, size_t *out);
HP_API void hp_fuzzy_choices_free(hp_fuzzy_choices *choices);
HP_API hp_status hp_fuzzy_extract_prepared(hp_match *out, size_t capacity, size_t *out_count,
                                           const hp_fuzzy_query *query,
                                           const hp_fuzzy_choices *choices, const uint8_t *skip,
                                           double score_cutoff, size_t limit, unsigned threads,
                                           hp_progress_fn progress, void *user);

/* Element types of a score matrix. */
typedef enum hp_dtype {
    HP_DTYPE_F64 = 0,
    HP_DTYPE_F32 = 1,
    HP_DTYPE_I32 = 2,
    HP_DTYPE_I64 = 3,
    HP_DTYPE_U8 = 4,
    HP_DTYPE_U32 = 5
} hp_dtype;

/*
 * hp_fuzzy_cdist — every query against every choice (rapidfuzz.process.cdist):
 * out[i * row_stride + j] = score(queries[i], choices[j]), rows spread over threads.
 *
 * out:         OUT, caller matrix of element type `dtype`; row_stride elements per row
 *              (at least choices->count). Integer dtypes receive the score rounded to
 *              nearest (as RapidFuzz does for integer dtypes), saturated to the type.
 * scorer:      what to compute (borrowed).
 * queries, qenc, choices, cenc: the two batches (borrowed).
 * score_cutoff: as for hp_fuzzy_score.
 * threads:     0 = hp_default_threads().
 * progress, user: optional; total = queries->count rows.
 *
 * Returns HP_OK; HP_EINVAL; HP_EUTF8 (message names the batch and index); HP_ENOMEM;
 * HP_EOVERFLOW (matrix larger than memory can hold); HP_ECANCELLED (rows done so far
 * are written, the rest are unspecified). Thread-safe.
 */
HP_API hp_status hp_fuzzy_cdist(void *out, int dtype, size_t row_stride, const hp_scorer *scorer,
                                const hp_strings *queries, int qenc, const hp_strings *choices,
                                int cenc, double score_cutoff, unsigned threads,
                                hp_progress_fn progress, void *user);

/*
 * hp_fuzzy_cpdist — element-wise scores (rapidfuzz.process.cpdist):
 * out[i] = score(queries[i], choices[i]); both batches must have the same count
 * (HP_EINVAL otherwise). Other parameters and returns as hp_fuzzy_cdist; progress
 * total = count.
 */
HP_API hp_status hp_fuzzy_cpdist(void *out, int dtype, const hp_scorer *scorer,
                                 const hp_strings *queries, int qenc, const hp_strings *choices,
                                 int cenc, double score_cutoff, unsigned threads,
                                 hp_progress_fn progress, void *user);

/* One result of the sparse all-pairs mode. */
typedef struct hp_pair {
    uint64_t i, j; /* i < j */
    double score;
} hp_pair;

/* Receives pairs in batches on the calling thread; non-zero return cancels. */
typedef int (*hp_pairs_fn)(const hp_pair *pairs, size_t n, void *user);

/*
 * hp_fuzzy_pairs — every pair i < j of a batch whose score meets score_cutoff,
 * without materialising the matrix: rows are scored in blocks on the thread pool and
 * each block's pairs are handed to `emit` before the next block starts, so memory is
 * O(block) plus the pairs of one block, whatever the batch size. Every qualifying
 * pair arrives exactly once, with i < j; each emit call's pairs are sorted by (i, j),
 * the calls themselves come in no particular order of i.
 *
 * scorer:       what to compute; score(strings[i], strings[j]) is what is reported.
 * strings, enc: the batch (borrowed).
 * score_cutoff: required (not NaN): for distances the largest kept, otherwise the
 *               smallest kept. Kernels use it to skip pairs that cannot qualify (length
 *               filters), which is what makes large batches feasible.
 * threads:      0 = hp_default_threads().
 * emit:         required; called with each block's pairs (n > 0).
 * progress:     optional; total = count of rows.
 * user:         passed to emit and progress.
 *
 * Returns HP_OK; HP_EINVAL; HP_EUTF8; HP_ENOMEM; HP_ECANCELLED (emit or progress
 * returned non-zero). Thread-safe.
 */
HP_API hp_status hp_fuzzy_pairs(const hp_scorer *scorer, const hp_strings *strings, int enc,
                                double score_cutoff, unsigned threads, hp_pairs_fn emit,
                                hp_progress_fn progress, void *user);

#if defined(__cplusplus) && !defined(HP_CDEF)
}
#endif

#endif /* HOTPATH_FUZZY_H */
