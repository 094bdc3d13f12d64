/* SPDX-License-Identifier: MIT */
/**
 * @file zhifa.h
 * @brief zhifa (执法): a rule engine for work-safety (安全生产) enforcement
 *        decisions — the whole public C API.
 *
 * zhifa loads a checklist of enforcement items (重点执法事项), the penalty
 * provisions of the statutes (罚则) and discretion profiles (行政处罚自由裁量)
 * from YAML rule files, evaluates inspection findings against them and
 * returns a recommended penalty with a trace: every figure is tied to a
 * rule-file line and a legal article.
 *
 * @section objects The four objects
 *
 * | object          | what                                   | threads            |
 * |-----------------|----------------------------------------|--------------------|
 * | ::zf_context    | allocator, limits, log callback        | read-only once set up; share freely |
 * | ::zf_ruleset    | compiled, immutable rule set, refcount | share freely        |
 * | ::zf_case       | a parsed case (findings), immutable    | share freely        |
 * | ::zf_evaluator  | per-thread scratch (regex match state) | one thread at a time |
 * | ::zf_decision   | the result of one evaluation            | one thread at a time |
 * | ::zf_engine     | holder of the current rule set, hot reload | thread-safe      |
 *
 * @section conventions Conventions
 *
 * - Functions that can fail return ::zf_status (0 = ::ZF_OK, negative =
 *   error); out-parameters come first; the caller owns what a `**out`
 *   receives and frees it with the matching `_free`/`_unref`.
 * - Every `_free`/`_unref` accepts NULL.
 * - `zf_error *err` is always optional (NULL allowed) and caller-allocated;
 *   filling it never allocates, so it is safe after ::ZF_ENOMEM.
 * - Returned `const char *` are borrowed: valid while their parent object
 *   lives, unless the function says "caller frees with zf_free()".
 * - Strings are UTF-8. Amounts of money are whole yuan in `int64_t`.
 * - The library never prints; it logs only through a callback installed on
 *   the context.
 *
 * @section threads Thread safety
 *
 * A ::zf_ruleset is immutable after compilation (all regular expressions
 * are JIT-compiled at load time; there are no lazy caches) and its
 * reference count is atomic: any number of threads may evaluate against one
 * rule set, each with its own ::zf_evaluator. A ::zf_context must not be
 * modified while objects created from it are in use by other threads. A
 * ::zf_engine may be used from any thread; ::zf_engine_reload compiles the
 * new rule set outside any lock and swaps it in only on success.
 *
 * The allocator installed with zf_context_new_with_allocator() is called
 * from every thread that uses an object made from the context: with
 * evaluators on several threads, or an engine reloading while others
 * evaluate, its three functions run concurrently and must be thread-safe
 * (the default, malloc, is). The same holds for the log callback.
 *
 * @section memory Memory and ownership
 *
 * - Every object is made from a ::zf_context and allocates through its
 *   allocator; free every object (and every buffer, with zf_free()) before
 *   the context. The library does not check this.
 * - Allocated through the context's allocator: the library's own objects,
 *   arenas and rendered buffers, and PCRE2's (compiled patterns, JIT code,
 *   match data and JIT stacks, through PCRE2 general contexts).
 * - **Not** through it: libyaml's allocations while a rule file is parsed,
 *   and cJSON's while a case is parsed. Those two libraries use the process
 *   allocator (malloc/free) and the library installs no hooks in them (it
 *   does not call cJSON_InitHooks(), which is process-wide). Their memory
 *   is freed before the parsing function returns, so a custom allocator
 *   still sees every allocation that outlives a call; a byte budget
 *   enforced by it does not cover parsing.
 * - Who frees what: a `**out` of a `_new`, `_load`, `_compile`, `_parse` or
 *   zf_evaluate() belongs to the caller, who releases it with the matching
 *   zf_context_free(), zf_ruleset_unref(), zf_case_free(),
 *   zf_evaluator_free(), zf_decision_free() or zf_engine_free(). A `char **`
 *   output (rendered JSON or text) is freed with zf_free() on the context of
 *   the object that produced it (the rule set's for zf_ruleset_list() and
 *   its kin, the evaluator's for zf_decision_render()). Every other
 *   returned pointer is borrowed, valid while its parent lives.
 * - A decision holds a reference on its rule set and copies what it needs
 *   from the case, so the rule set may be unreferenced and the case freed
 *   before the decision.
 *
 * @section limits When limits are read
 *
 * Limits (::zf_limit) are read from the context when they are needed, not
 * fixed when the context is created:
 * - rule-file limits (file size, YAML depth, scalar length, rules, list
 *   items, expression depth, pattern length, regex nesting and size,
 *   files) by zf_ruleset_load(), zf_ruleset_compile() and zf_engine_new()
 *   or zf_engine_reload(), while they run;
 * - case limits (JSON size and depth, violations, subject length) by
 *   zf_case_parse();
 * - the PCRE2 match limits (::ZF_LIMIT_MATCH, ::ZF_LIMIT_MATCH_DEPTH,
 *   ::ZF_LIMIT_MATCH_HEAP) are **copied when an evaluator is created**
 *   (zf_evaluator_new()); changing them later affects only evaluators
 *   created afterwards.
 *
 * @section errors Error behaviour
 *
 * - On failure a function leaves its `**out` untouched, frees whatever it
 *   had allocated, and (when `err` is not NULL) fills `err` with the same
 *   status, a ::zf_diag code and, where known, a position. Functions without
 *   an `err` parameter (zf_context_new(), zf_context_new_with_allocator(),
 *   zf_evaluator_new(), zf_evaluator_set_profile()) return the status only.
 * - A NULL object passed to a getter gives a neutral value (NULL, 0 or
 *   false, as documented per function), never a crash; a NULL required
 *   argument to a fallible function gives ::ZF_EINVAL.
 * - ::ZF_ENOMEM can be returned by every function that allocates; the
 *   objects passed in stay valid and usable afterwards.
 *
 * @section example Example: evaluate one case
 *
 * @code
 * zf_context *ctx = NULL;
 * zf_ruleset *rs = NULL;
 * zf_evaluator *ev = NULL;
 * zf_case *cs = NULL;
 * zf_decision *dec = NULL;
 * zf_error err = ZF_ERROR_INIT;
 * char *json = NULL;
 * size_t json_len = 0;
 *
 * if (zf_context_new(&ctx) != ZF_OK)
 *     goto out;
 * if (zf_ruleset_load(&rs, ctx, "/usr/share/zhifa/rules", &err) != ZF_OK) {
 *     fprintf(stderr, "%s:%u:%u: error: [ZF-%03d] %s\n", err.source,
 *             err.line, err.column, err.diag, err.message);
 *     goto out;
 * }
 * if (zf_evaluator_new(&ev, ctx) != ZF_OK)
 *     goto out;
 * if (zf_case_parse(&cs, ctx, text, text_len, &err) != ZF_OK) {
 *     fprintf(stderr, "%s: error: [ZF-%03d] %s\n", err.path, err.diag,
 *             err.message);
 *     goto out;
 * }
 * if (zf_evaluate(&dec, ev, rs, cs, &err) == ZF_OK &&
 *     zf_decision_render(&json, &json_len, dec, ZF_RENDER_JSON, &err) == ZF_OK)
 *     fwrite(json, 1, json_len, stdout);
 * out:
 * zf_free(ctx, json);
 * zf_decision_free(dec);
 * zf_case_free(cs);
 * zf_evaluator_free(ev);
 * zf_ruleset_unref(rs);
 * zf_context_free(ctx);
 * @endcode
 */
#ifndef ZHIFA_H
#define ZHIFA_H

#include <stddef.h>
#include <stdint.h>

#include "zhifa-version.h"

#ifdef __cplusplus
extern "C" {
#endif

#if defined(__GNUC__) && __GNUC__ >= 4
#define ZF_API __attribute__((visibility("default")))
#else
#define ZF_API
#endif

/**
 * @defgroup status Status codes and errors
 * @{
 */

/**
 * Status returned by every fallible function. Values are stable and never
 * renumbered.
 */
typedef int zf_status;

enum {
    ZF_OK = 0,             /**< success */
    ZF_ESYNTAX = -1,       /**< malformed YAML or JSON, or a bad expression */
    ZF_ESCHEMA = -2,       /**< well-formed, but the wrong shape: unknown key,
                                wrong type, dangling reference, duplicate id */
    ZF_ELIMIT = -3,        /**< an input exceeded a configured limit */
    ZF_EREGEX = -4,        /**< a regular expression failed to compile */
    ZF_EINPUT = -5,        /**< a case is invalid (bad fact, bad date, ...) */
    ZF_EINDETERMINATE = -6,/**< a regex hit a match limit: no answer */
    ZF_ENOMEM = -7,        /**< an allocation failed */
    ZF_EIO = -8,           /**< a file could not be read */
    ZF_EINVAL = -9,        /**< a function was called with invalid arguments */
    ZF_EINTERNAL = -10     /**< a bug: please report it */
};

/**
 * Detailed diagnostic codes, printed as `[ZF-nnn]`. Stable: a code is never
 * reused for another meaning. 1xx: rule files; 2xx: cases; 3xx: limits;
 * 4xx: evaluation; 9xx: system.
 */
typedef enum zf_diag {
    ZF_DIAG_NONE = 0,
    /* rule files: YAML level */
    ZF_DIAG_YAML_SYNTAX = 100,      /**< libyaml reported a syntax error */
    ZF_DIAG_UNKNOWN_KEY = 101,      /**< key not allowed in this mapping */
    ZF_DIAG_UNKNOWN_NAME = 102,     /**< unknown fact/name in an expression */
    ZF_DIAG_WRONG_TYPE = 103,       /**< value of the wrong YAML/rule type */
    ZF_DIAG_MISSING_KEY = 104,      /**< required key absent */
    ZF_DIAG_DUPLICATE_KEY = 105,    /**< a mapping repeats a key */
    ZF_DIAG_DUPLICATE_ID = 106,     /**< two rules share an id */
    ZF_DIAG_DANGLING_REF = 107,     /**< reference to a missing rule */
    ZF_DIAG_ALIAS = 108,            /**< anchors/aliases are not allowed */
    ZF_DIAG_TAG = 109,              /**< explicit tags are not allowed */
    ZF_DIAG_MULTI_DOC = 110,        /**< more than one YAML document */
    ZF_DIAG_BAD_VALUE = 111,        /**< a value outside its allowed set */
    ZF_DIAG_EXPR_SYNTAX = 112,      /**< expression does not parse */
    ZF_DIAG_EXPR_TYPE = 113,        /**< expression is ill-typed */
    ZF_DIAG_REGEX = 114,            /**< a pattern failed to compile */
    ZF_DIAG_EMPTY = 115,            /**< an empty file or document */
    ZF_DIAG_BAD_RANGE = 116,        /**< a fine range with min > max, etc. */
    ZF_DIAG_BAD_REF = 117,          /**< a legal reference that does not parse */
    ZF_DIAG_INCLUDE = 118,          /**< an include that cannot be resolved */
    ZF_DIAG_BAD_UTF8 = 119,         /**< invalid UTF-8 or NUL in text */
    /* cases */
    ZF_DIAG_JSON_SYNTAX = 200,      /**< malformed JSON */
    ZF_DIAG_CASE_UNKNOWN_KEY = 201, /**< key not allowed in the case */
    ZF_DIAG_CASE_WRONG_TYPE = 202,  /**< value of the wrong JSON type */
    ZF_DIAG_CASE_MISSING = 203,     /**< required field absent */
    ZF_DIAG_CASE_BAD_VALUE = 204,   /**< value outside its allowed set */
    ZF_DIAG_CASE_BAD_DATE = 205,    /**< not a valid YYYY-MM-DD date */
    ZF_DIAG_CASE_BAD_MONEY = 206,   /**< non-integral or out-of-range amount */
    ZF_DIAG_CASE_DUP_KEY = 207,     /**< an object repeats a key */
    ZF_DIAG_CASE_UNKNOWN_ITEM = 208,/**< `item` names no checklist item */
    ZF_DIAG_CASE_UNKNOWN_FACT = 209,/**< a fact the item does not declare */
    ZF_DIAG_CASE_BAD_UTF8 = 210,    /**< invalid UTF-8 or \\u0000 */
    ZF_DIAG_CASE_UNKNOWN_PERSON = 211, /**< a violation names no listed person */
    ZF_DIAG_CASE_UNKNOWN_DOMAIN = 212, /**< a domain that is not in the rules */
    /* limits */
    ZF_DIAG_LIMIT = 300,            /**< generic limit exceeded */
    ZF_DIAG_LIMIT_FILE_SIZE = 301,
    ZF_DIAG_LIMIT_DEPTH = 302,
    ZF_DIAG_LIMIT_SCALAR = 303,
    ZF_DIAG_LIMIT_COUNT = 304,
    ZF_DIAG_LIMIT_EXPR = 305,
    ZF_DIAG_LIMIT_PATTERN = 306,
    ZF_DIAG_LIMIT_JSON = 307,
    /* evaluation */
    ZF_DIAG_REGEX_LIMIT = 400,      /**< a regex match hit a resource limit */
    ZF_DIAG_OVERFLOW = 401,         /**< arithmetic overflow in an amount */
    ZF_DIAG_NO_INCOME = 402,        /**< an income-based fine lacks income */
    /* system */
    ZF_DIAG_NOMEM = 900,
    ZF_DIAG_IO = 901,
    ZF_DIAG_INVAL = 902,
    ZF_DIAG_INTERNAL = 903
} zf_diag;

/**
 * Error details, filled by functions that take a `zf_error *err`.
 *
 * Caller-allocated; initialise with ::ZF_ERROR_INIT. Filling it never
 * allocates. Strings are NUL-terminated and truncated (on a UTF-8 character
 * boundary) to fit.
 */
typedef struct zf_error {
    zf_status code;     /**< the status also returned by the function */
    int diag;           /**< a ::zf_diag value, printed as [ZF-nnn] */
    unsigned line;      /**< 1-based line in #source; 0 = unknown */
    unsigned column;    /**< 1-based column in Unicode code points; 0 = unknown */
    size_t offset;      /**< byte offset in #source; SIZE_MAX = unknown */
    char source[256];   /**< rule file (relative to the rule set) or case name */
    char path[128];     /**< JSON path in a case, e.g. `violations[2].facts.n` */
    char rule_id[64];   /**< the rule (item, provision, ...) concerned, if any */
    char message[512];  /**< human-readable message (English with Chinese terms) */
    unsigned char reserved[64]; /**< must be zero; room to grow */
} zf_error;

/** Static initialiser for ::zf_error. */
#define ZF_ERROR_INIT {0, 0, 0, 0, (size_t)-1, {0}, {0}, {0}, {0}, {0}}

/**
 * A short English description of a status code.
 * @returns a static string; never NULL.
 * @since 0.1
 */
ZF_API const char *
zf_strerror(zf_status status);

/**
 * The library version as "MAJOR.MINOR.PATCH".
 * @returns a static string. @since 0.1
 */
ZF_API const char *
zf_version(void);

/** @} */

/**
 * @defgroup context Context: allocator, limits, logging
 * @{
 */

/** Opaque context. Thread safety: read-only once set up. */
typedef struct zf_context zf_context;

/** Allocator functions (all three required), with a user pointer. */
typedef struct zf_allocator {
    unsigned version;   /**< must be ::ZF_ALLOCATOR_VERSION */
    void *(*malloc_fn)(size_t size, void *user_data);
    void *(*realloc_fn)(void *ptr, size_t size, void *user_data);
    void (*free_fn)(void *ptr, void *user_data);
    void *user_data;
} zf_allocator;

#define ZF_ALLOCATOR_VERSION 1

/** Limits on untrusted input, set with zf_context_set_limit(). */
typedef enum zf_limit {
    ZF_LIMIT_FILE_SIZE = 0,    /**< bytes per rule file (default 4 MiB) */
    ZF_LIMIT_YAML_DEPTH,       /**< YAML nesting depth (32) */
    ZF_LIMIT_SCALAR_LENGTH,    /**< bytes per YAML scalar (65536) */
    ZF_LIMIT_RULES,            /**< rules per rule set (10000) */
    ZF_LIMIT_LIST_ITEMS,       /**< entries per YAML sequence (10000) */
    ZF_LIMIT_EXPR_DEPTH,       /**< expression nesting depth (64) */
    ZF_LIMIT_PATTERN_LENGTH,   /**< bytes per regex pattern (1000) */
    ZF_LIMIT_REGEX_NEST,       /**< regex parenthesis nesting (32) */
    ZF_LIMIT_REGEX_SIZE,       /**< compiled regex size, bytes (65536) */
    ZF_LIMIT_MATCH,            /**< PCRE2 match limit (100000) */
    ZF_LIMIT_MATCH_DEPTH,      /**< PCRE2 depth limit (10000) */
    ZF_LIMIT_MATCH_HEAP,       /**< PCRE2 heap limit, KiB (8192) */
    ZF_LIMIT_SUBJECT_LENGTH,   /**< bytes of finding text matched (65536) */
    ZF_LIMIT_JSON_SIZE,        /**< bytes per case JSON (1 MiB) */
    ZF_LIMIT_JSON_DEPTH,       /**< case JSON nesting depth (32; at most
                                    1000, cJSON's own cap) */
    ZF_LIMIT_VIOLATIONS,       /**< violations per case (1000) */
    ZF_LIMIT_FILES,            /**< files per rule set (1000) */
    ZF_LIMIT_COUNT_            /**< number of limits (not a limit) */
} zf_limit;

/** Severity passed to the log callback. */
typedef enum zf_log_level {
    ZF_LOG_ERROR = 0,
    ZF_LOG_WARNING = 1,
    ZF_LOG_INFO = 2,
    ZF_LOG_DEBUG = 3
} zf_log_level;

/** Log callback. `msg` is NUL-terminated, without a trailing newline. */
typedef void (*zf_log_fn)(zf_log_level level, const char *msg, void *user_data);

/**
 * Create a context with the default allocator (malloc) and default limits.
 *
 * @param[out] out  receives the context; free with zf_context_free().
 * @returns ::ZF_OK, ::ZF_ENOMEM or ::ZF_EINVAL (out is NULL).
 * Thread safety: any thread. @since 0.1
 */
ZF_API zf_status
zf_context_new(zf_context **out);

/**
 * Create a context that allocates through `alloc` (copied). All library
 * allocations, including PCRE2's, go through it; libyaml's and cJSON's do
 * not (see @ref memory). The context itself is allocated through `alloc`.
 *
 * @param[out] out    receives the context; free with zf_context_free().
 * @param[in]  alloc  ::ZF_ALLOCATOR_VERSION and three non-NULL functions;
 *                    they must be thread-safe if objects made from the
 *                    context are used on several threads.
 * @returns ::ZF_OK, ::ZF_ENOMEM, or ::ZF_EINVAL (`out` or `alloc` NULL, a
 *          wrong version, a NULL function).
 * Thread safety: any thread. @since 0.1
 */
ZF_API zf_status
zf_context_new_with_allocator(zf_context **out, const zf_allocator *alloc);

/**
 * Free a context. All objects created from it (rule sets, including those
 * an engine holds, cases, evaluators, decisions, engines) and all buffers
 * it returned must be freed first; this is not checked. Accepts NULL.
 * Thread safety: no other thread may use the context. @since 0.1
 */
ZF_API void
zf_context_free(zf_context *ctx);

/**
 * Set a limit and return its previous value (the sqlite3_limit() pattern).
 * A negative `value` only queries. Values are clamped to [1, LONG_MAX];
 * ::ZF_LIMIT_JSON_DEPTH is clamped to 1000 (cJSON's own cap). When each
 * limit takes effect: see @ref limits (the match limits are copied into
 * evaluators when they are created).
 * @returns the old value, or -1 if `ctx` is NULL or `id` is not a
 *          ::zf_limit.
 * Thread safety: not while other threads use objects made from `ctx`.
 * @since 0.1
 */
ZF_API long
zf_context_set_limit(zf_context *ctx, zf_limit id, long value);

/**
 * Install a log callback (NULL removes it). Messages at a level above
 * `max_level` are dropped. The default is no callback. The callback runs
 * on the thread of the call that logs (today only rule-set loading, at
 * ::ZF_LOG_INFO, when PCRE2 JIT is unavailable and patterns are
 * interpreted), so it must be thread-safe if rule sets load on several
 * threads. A NULL `ctx` is ignored.
 * Thread safety: not while other threads use objects made from `ctx`.
 * @since 0.1
 */
ZF_API void
zf_context_set_log(zf_context *ctx, zf_log_fn fn, zf_log_level max_level,
                   void *user_data);

/**
 * Free a buffer the library returned (rendered JSON or text) through
 * `ctx`'s allocator. `ctx` must be the context of the object that produced
 * the buffer. Accepts a NULL `ptr` (and then does nothing).
 * Thread safety: any thread. @since 0.1
 */
ZF_API void
zf_free(zf_context *ctx, void *ptr);

/** @} */

/**
 * @defgroup ruleset Rule sets
 * @{
 */

/**
 * A compiled, immutable rule set with an atomic reference count.
 * Thread safety: all functions taking `const zf_ruleset *` may be called
 * concurrently; ref/unref are atomic.
 */
typedef struct zf_ruleset zf_ruleset;

/**
 * Load and compile a rule set from disk.
 *
 * `path` is either a directory holding `zhifa.yaml`, or a YAML file (the
 * manifest or a self-contained single-file rule set). Files named by the
 * manifest's `include` list are resolved relative to the manifest's
 * directory and may not leave it. Each file is read fully into memory
 * before it is parsed (replace files with rename(2) to update them
 * atomically).
 *
 * @param[out] out   receives the rule set (reference count 1); release with
 *                   zf_ruleset_unref(). Untouched on failure.
 * @param[in]  ctx   context; must outlive the rule set.
 * @param[in]  path  directory or file.
 * @param[out] err   optional; on failure receives code, `[ZF-nnn]` diag,
 *                   `source` (path relative to the rule-set root, prefixed
 *                   with the root's directory name), line and column.
 * @returns ::ZF_OK, ::ZF_ESYNTAX, ::ZF_ESCHEMA, ::ZF_EREGEX, ::ZF_ELIMIT,
 *          ::ZF_EIO, ::ZF_ENOMEM, ::ZF_EINVAL.
 * Thread safety: any thread; `ctx` is only read. @since 0.1
 */
ZF_API zf_status
zf_ruleset_load(zf_ruleset **out, zf_context *ctx, const char *path,
                zf_error *err);

/**
 * Compile a self-contained rule set from one buffer (no `include`).
 *
 * @param[in] buf, len      YAML text (need not be NUL-terminated).
 * @param[in] source_name   name used in errors and traces, e.g. "test.yaml";
 *                          NULL gives "<buffer>". Copied.
 * Other parameters and returns as zf_ruleset_load() (an `include` in the
 * buffer fails with ::ZF_ESCHEMA, ZF-118: there is no directory to resolve
 * it in).
 * Thread safety: any thread; `ctx` is only read. @since 0.1
 */
ZF_API zf_status
zf_ruleset_compile(zf_ruleset **out, zf_context *ctx, const char *buf,
                   size_t len, const char *source_name, zf_error *err);

/**
 * Take a reference (atomic). Returns `rs`. Accepts NULL (returns NULL).
 * Thread safety: any thread. @since 0.1
 */
ZF_API zf_ruleset *
zf_ruleset_ref(zf_ruleset *rs);

/**
 * Drop a reference (atomic); the last one frees the set, on whichever
 * thread drops it. Accepts NULL. Thread safety: any thread. @since 0.1
 */
ZF_API void
zf_ruleset_unref(zf_ruleset *rs);

/** The manifest's rule-set id (borrowed; NULL for a NULL `rs`). @since 0.1 */
ZF_API const char *
zf_ruleset_id(const zf_ruleset *rs);

/**
 * The manifest's rule-set version string (borrowed; NULL for a NULL `rs`).
 * @since 0.1
 */
ZF_API const char *
zf_ruleset_version(const zf_ruleset *rs);

/**
 * "sha256:<64 hex>" over every source file, in load order, each preceded by
 * its relative name (borrowed; NULL for a NULL `rs`). Identical sources
 * give identical digests. @since 0.1
 */
ZF_API const char *
zf_ruleset_digest(const zf_ruleset *rs);

/**
 * Generation number: 0 for a rule set loaded directly, 1, 2, ... for those
 * installed by a ::zf_engine. @since 0.1
 */
ZF_API uint64_t
zf_ruleset_generation(const zf_ruleset *rs);

/** Number of domains (0 for a NULL `rs`). @since 0.1 */
ZF_API size_t
zf_ruleset_domain_count(const zf_ruleset *rs);

/** Number of checklist items (0 for a NULL `rs`). @since 0.1 */
ZF_API size_t
zf_ruleset_item_count(const zf_ruleset *rs);

/**
 * Render the rule set's catalogue (what `zhifa list` prints).
 *
 * @param[out] out, out_len  receives a NUL-terminated buffer; caller frees
 *                           with zf_free().
 * @param[in]  format        ::ZF_LIST_JSON (the CONTRACT.md `list --json`
 *                           shape), ::ZF_LIST_TEXT or ::ZF_LIST_MARKDOWN.
 * @returns ::ZF_OK, ::ZF_ENOMEM, ::ZF_EINVAL (`out` or `rs` NULL, an
 *          unknown format).
 * Thread safety: any thread, on a shared rule set. @since 0.1
 */
ZF_API zf_status
zf_ruleset_list(char **out, size_t *out_len, const zf_ruleset *rs,
                int format, zf_error *err);

/**
 * Describe one item (what `zhifa show` prints): conduct, articles, the
 * provision's stages and ranges, facts, discretion table, patterns.
 *
 * @param[out] out, out_len  as zf_ruleset_list(); caller frees with
 *                           zf_free().
 * @param[in] item_id   the item's id.
 * @param[in] format    ::ZF_LIST_JSON or ::ZF_LIST_TEXT.
 * @returns ::ZF_OK, ::ZF_EINPUT (no such item; `err->message` suggests the
 *          closest id), ::ZF_ENOMEM, ::ZF_EINVAL.
 * Thread safety: any thread, on a shared rule set. @since 0.1
 */
ZF_API zf_status
zf_ruleset_show(char **out, size_t *out_len, const zf_ruleset *rs,
                const char *item_id, int format, zf_error *err);

/**
 * Render the enforcement plan: the key items (重点执法事项) it selects from
 * the catalogue, per domain, with how they were chosen (what
 * `zhifa list --plan` prints). The plan is the rule set's optional `plan`
 * section (docs/checklist.md); a bureau replaces it with its own list.
 *
 * @param[out] out, out_len  receives a NUL-terminated buffer; caller frees
 *                           with zf_free().
 * @param[in]  format        ::ZF_LIST_JSON, ::ZF_LIST_TEXT or
 *                           ::ZF_LIST_MARKDOWN.
 * @returns ::ZF_OK, ::ZF_EINPUT (the rule set has no plan), ::ZF_ENOMEM,
 *          ::ZF_EINVAL. Thread-safe on a shared rule set. @since 0.1
 */
ZF_API zf_status
zf_ruleset_plan(char **out, size_t *out_len, const zf_ruleset *rs,
                int format, zf_error *err);

/**
 * Render an enterprise's combined checklist (综合清单, what
 * `zhifa checklist` prints): the common (通用) domain's key and 必查 items,
 * then the key items of each of the enterprise's domains (every item of
 * the domain when the rule set has no plan). An item listed by several of
 * the enterprise's domains, or two items with the same conduct and penalty
 * basis, appear once, under the first domain, noting the others. Each item
 * shows its 违反条款, 处罚条款, the 重大事故隐患 criteria whose standard
 * applies to the enterprise's domains, and its tags.
 *
 * @param[in] domains, n_domains  the enterprise's domains: ids, Chinese
 *                    names or aliases (as in a case's `enterprise.domains`);
 *                    none gives the common items only.
 * @param[in] format  ::ZF_LIST_JSON, ::ZF_LIST_TEXT or ::ZF_LIST_MARKDOWN
 *                    (tables with a column for the result, for printing).
 * @returns ::ZF_OK, ::ZF_EINPUT (an unknown domain, ZF-212, with the closest
 *          id suggested), ::ZF_ENOMEM, ::ZF_EINVAL. Thread-safe on a shared
 *          rule set. @since 0.1
 */
ZF_API zf_status
zf_ruleset_checklist(char **out, size_t *out_len, const zf_ruleset *rs,
                     const char *const *domains, size_t n_domains,
                     int format, zf_error *err);

/** Output formats for zf_ruleset_list(), zf_ruleset_show(),
 * zf_ruleset_plan() and zf_ruleset_checklist(). */
enum {
    ZF_LIST_TEXT = 0,
    ZF_LIST_JSON = 1,
    ZF_LIST_MARKDOWN = 2
};

/** @} */

/**
 * @defgroup case Cases
 * @{
 */

/** A parsed case (CONTRACT.md case JSON). Immutable. */
typedef struct zf_case zf_case;

/**
 * Parse a case from JSON.
 *
 * The text is checked strictly: valid UTF-8, no `\u0000`, no duplicate
 * keys, no unknown keys, depth and size limits, dates `YYYY-MM-DD`, money
 * integral and within ±2^53. Facts are checked against an item only at
 * evaluation time (the case does not know the rule set).
 *
 * cJSON builds the document tree with the process allocator, not the
 * context's (see @ref memory); the tree is freed before this returns and
 * the case itself lives in the context's allocator. The case copies what
 * it keeps: `json` may be freed afterwards.
 *
 * @param[out] out    receives the case; free with zf_case_free().
 * @param[in]  ctx    context; must outlive the case.
 * @param[in]  json, len  the JSON text (need not be NUL-terminated).
 * @param[out] err    optional; on failure `path` holds the JSON path and
 *                    line/column the position in the text.
 * @returns ::ZF_OK, ::ZF_ESYNTAX, ::ZF_EINPUT, ::ZF_ELIMIT, ::ZF_ENOMEM,
 *          ::ZF_EINVAL (`out` or `ctx` NULL, or `json` NULL with `len` > 0).
 * Thread safety: any thread; `ctx` is only read. @since 0.1
 */
ZF_API zf_status
zf_case_parse(zf_case **out, zf_context *ctx, const char *json, size_t len,
              zf_error *err);

/** Free a case. Accepts NULL. @since 0.1 */
ZF_API void
zf_case_free(zf_case *cs);

/**
 * The case's `case_id` (borrowed), or "" when absent; NULL for a NULL `cs`.
 * @since 0.1
 */
ZF_API const char *
zf_case_id(const zf_case *cs);

/**
 * Number of violations in the case as given (0 for a NULL `cs`). A
 * decision may hold more: a finding whose text lists several numbered
 * violations is split. @since 0.1
 */
ZF_API size_t
zf_case_violation_count(const zf_case *cs);

/** Number of the enterprise's `domains` as the case gives them. @since 0.1 */
ZF_API size_t
zf_case_domain_count(const zf_case *cs);

/**
 * The enterprise's i-th domain, as written in the case (an id or a Chinese
 * name; borrowed, valid while the case lives), or NULL when i is out of
 * range. Pass them to zf_ruleset_checklist(). @since 0.1
 */
ZF_API const char *
zf_case_domain(const zf_case *cs, size_t i);

/** @} */

/**
 * @defgroup eval Evaluation
 * @{
 */

/**
 * Per-thread evaluation state (PCRE2 match data and JIT stack).
 * Thread safety: use from one thread at a time.
 */
typedef struct zf_evaluator zf_evaluator;

/** The result of one evaluation; holds a reference on its rule set. */
typedef struct zf_decision zf_decision;

/**
 * Create an evaluator: PCRE2 match data and a JIT stack (32 KiB growing to
 * 512 KiB), allocated through `ctx`. The PCRE2 match limits are copied from
 * `ctx` now (see @ref limits). One evaluator serves any number of
 * evaluations, against any rule set, one at a time.
 *
 * @param[out] out  receives the evaluator; free with zf_evaluator_free()
 *                  before `ctx`.
 * @returns ::ZF_OK, ::ZF_ENOMEM, ::ZF_EINVAL (`out` or `ctx` NULL).
 * Thread safety: any thread; the evaluator then belongs to one thread at a
 * time. @since 0.1
 */
ZF_API zf_status
zf_evaluator_new(zf_evaluator **out, zf_context *ctx);

/**
 * Free an evaluator. Decisions it produced stay valid (they do not point
 * into it). Accepts NULL. @since 0.1
 */
ZF_API void
zf_evaluator_free(zf_evaluator *ev);

/**
 * Choose the discretion profile (裁量基准) later evaluations use, by id;
 * NULL restores the rule set's default (its manifest's `profile`). The id
 * is copied. A rule set that has no profile of that id makes zf_evaluate()
 * fail with ::ZF_EINVAL.
 *
 * @returns ::ZF_OK, or ::ZF_EINVAL (ev is NULL or the id is longer than 63
 *          bytes). It never allocates.
 * Thread safety: as the evaluator. @since 0.1
 */
ZF_API zf_status
zf_evaluator_set_profile(zf_evaluator *ev, const char *profile_id);

/**
 * Evaluate a case against a rule set.
 *
 * Runs the decision pipeline (match, stage, tier, amounts, case totals) and
 * records a trace. Per-violation problems that are results, not failures
 * (no matching item, an undeclared-but-missing fact), appear in the
 * decision; problems with the case as a whole (a fact the item does not
 * declare, an unknown item id) fail with ::ZF_EINPUT and a JSON path.
 *
 * @param[out] out  receives the decision; free with zf_decision_free().
 *                  The decision owns one arena and holds a reference on
 *                  `rs`, so it stays valid after `rs` is unreferenced.
 * The decision is allocated through the evaluator's context.
 *
 * @returns ::ZF_OK, ::ZF_EINPUT, ::ZF_EINDETERMINATE (a regex hit a limit;
 *          `err->rule_id` names the item), ::ZF_ENOMEM, ::ZF_EINVAL (a NULL
 *          argument, or a profile chosen with zf_evaluator_set_profile()
 *          that the rule set does not have). On failure no decision is
 *          returned: partial results are discarded.
 * Thread safety: `ev` and the decision belong to the calling thread; `rs`
 * and `cs` may be shared. @since 0.1
 */
ZF_API zf_status
zf_evaluate(zf_decision **out, zf_evaluator *ev, const zf_ruleset *rs,
            const zf_case *cs, zf_error *err);

/**
 * Free a decision and drop its reference on its rule set (which may free
 * the set). Accepts NULL. Thread safety: any thread, once no other thread
 * uses the decision. @since 0.1
 */
ZF_API void
zf_decision_free(zf_decision *dec);

/** Render formats for zf_decision_render(). */
enum {
    ZF_RENDER_JSON = 0,        /**< CONTRACT.md decision JSON, compact */
    ZF_RENDER_JSON_PRETTY = 1, /**< the same, indented */
    ZF_RENDER_TEXT = 2         /**< Chinese 裁量说明 for people */
};

/**
 * Render a decision. The output depends only on the decision: rendering
 * again gives the same bytes.
 * @param[out] out, out_len  NUL-terminated buffer (`out_len` excludes the
 *                           NUL); caller frees with zf_free() on the
 *                           evaluator's context.
 * @param[in]  format        ::ZF_RENDER_JSON, ::ZF_RENDER_JSON_PRETTY or
 *                           ::ZF_RENDER_TEXT.
 * @returns ::ZF_OK, ::ZF_ENOMEM, ::ZF_EINVAL (a NULL argument or an unknown
 *          format). Thread safety: as the decision. @since 0.1
 */
ZF_API zf_status
zf_decision_render(char **out, size_t *out_len, const zf_decision *dec,
                   int format, zf_error *err);

/**
 * Number of violations in the decision (0 for a NULL `dec`); at least the
 * case's, more when a finding was split into several. @since 0.1
 */
ZF_API size_t
zf_decision_violation_count(const zf_decision *dec);

/** Sum of the recommended unit fines (yuan; 0 for a NULL `dec`). @since 0.1 */
ZF_API int64_t
zf_decision_total_unit_fine(const zf_decision *dec);

/**
 * Sum of the recommended fines on persons (yuan; 0 for a NULL `dec`).
 * @since 0.1
 */
ZF_API int64_t
zf_decision_total_person_fines(const zf_decision *dec);

/**
 * Matched item id of violation `i` (borrowed), or NULL when unmatched or
 * `i` is out of range. @since 0.1
 */
ZF_API const char *
zf_decision_item(const zf_decision *dec, size_t i);

/**
 * Outcome of violation `i` (static string), NULL when out of range:
 * - "penalty": a recommended penalty (fine and/or orders);
 * - "exempt": not punished (不予处罚: no fault, or 轻微并及时改正、没有造成
 *   危害后果; 行政处罚法第三十三条第一款、第二款);
 * - "exemption_available": a penalty is computed, but 初次违法且危害后果轻微
 *   并及时改正 allows 不予处罚 at the officer's discretion;
 * - "time_barred": beyond the limitation period (超过追责时效);
 * - "unmatched": no checklist item recognised;
 * - "ambiguous": several items equally likely; none chosen;
 * - "no_legal_basis": the conduct predates the provision (or its 项) that
 *   would punish it (法不溯及既往);
 * - "order_only": the provision's stage imposes no fine and no order that
 *   is itself a penalty, only an order to correct (责令改正 is not an
 *   administrative penalty: 行政处罚法第九条、第二十八条).
 * docs/decision.md and docs/discretion.md have the exact rules.
 * @since 0.1
 */
ZF_API const char *
zf_decision_outcome(const zf_decision *dec, size_t i);

/**
 * Tier of violation `i`: "lighter", "normal", "heavier", "maximum",
 * "mitigated" (static string), NULL when unmatched or out of range. It is
 * meaningful for the outcomes "penalty" and "exemption_available"; for the
 * others it carries no meaning (it may read "lighter"). @since 0.1
 */
ZF_API const char *
zf_decision_tier(const zf_decision *dec, size_t i);

/**
 * The unit fine of violation `i`: recommended, band and statutory range.
 * Any out-pointer may be NULL.
 * @returns ::ZF_OK, or ::ZF_EINVAL when `i` is out of range or the
 *          violation carries no unit fine.
 * @since 0.1
 */
ZF_API zf_status
zf_decision_unit_fine(const zf_decision *dec, size_t i, int64_t *recommended,
                      int64_t *band_min, int64_t *band_max,
                      int64_t *statutory_min, int64_t *statutory_max);

/**
 * Number of warnings in the decision (0 for a NULL `dec`); their text is in
 * the rendered decision. @since 0.1
 */
ZF_API size_t
zf_decision_warning_count(const zf_decision *dec);

/** @} */

/**
 * @defgroup engine Engine: hot reload
 * @{
 */

/** Holder of the current rule set. Thread safety: every function. */
typedef struct zf_engine zf_engine;

/**
 * Create an engine by loading `path` (see zf_ruleset_load()); the path is
 * copied and remembered for zf_engine_reload(). The first rule set gets
 * generation 1.
 * @param[out] out  receives the engine; free with zf_engine_free() before
 *                  `ctx`. Untouched on failure.
 * @returns as zf_ruleset_load(); ::ZF_EINVAL for a NULL argument.
 * Thread safety: any thread. @since 0.1
 */
ZF_API zf_status
zf_engine_new(zf_engine **out, zf_context *ctx, const char *path,
              zf_error *err);

/**
 * Free an engine (drops its reference on the current set; sets acquired
 * earlier stay valid until released). Accepts NULL. No other thread may
 * use the engine any more. @since 0.1
 */
ZF_API void
zf_engine_free(zf_engine *eng);

/**
 * Reload from `path` (NULL: the path given to zf_engine_new()). The new set
 * is compiled outside any lock; on failure the current set stays in service
 * and `err` tells why; on success it replaces the current set and gets the
 * next generation number. A `path` given here is used for this reload only.
 * Evaluations in flight keep the set they acquired.
 * @returns as zf_ruleset_load(); ::ZF_EINVAL for a NULL `eng`.
 * Thread safety: any thread, concurrently with zf_engine_acquire() and
 * other reloads (the last to finish wins). @since 0.1
 */
ZF_API zf_status
zf_engine_reload(zf_engine *eng, const char *path, zf_error *err);

/**
 * The current rule set, with a new reference the caller drops with
 * zf_ruleset_unref(). Never NULL for a live engine. @since 0.1
 */
ZF_API zf_ruleset *
zf_engine_acquire(zf_engine *eng);

/** @} */

#ifdef __cplusplus
}
#endif

#endif /* ZHIFA_H */
