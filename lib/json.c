/* SPDX-License-Identifier: MIT */
#include "config.h"

#include <limits.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "array-private.h"
#include "json-private.h"
#include "util-private.h"

/*
 * The scanner is a loop over two states (expecting a value / a value just
 * ended) with an explicit stack of frames, one per open container.
 *
 * Duplicate keys: each open object owns a region of one shared array of
 * key slots (an open-addressing table, linear probing). Regions are
 * stacked like the frames: a nested object's region lies above its
 * parent's, and the parent never gains a key while a child is open, so
 * only the topmost region ever grows, in place. A slot stores the key's
 * hash and the offset of the key text in `buf`; equal hashes are confirmed
 * by decoding both keys (escapes included) side by side, so no key is
 * ever copied. Everything is freed when the scan ends, whatever the
 * outcome.
 */

#define KEY_TABLE_MIN 8     /* slots in a new object's table (power of 2) */
#define FRAMES_MIN 16

enum { FR_ARRAY, FR_OBJECT };

struct key_slot {
    uint64_t hash;
    size_t key;     /* offset just past the key's opening quote; 0 = empty */
};

struct frame {
    unsigned char kind;
    bool has_cur;   /* an element / a member value is being parsed */
    size_t cur;     /* array: element index; object: key offset (as slots) */
    size_t tbase;   /* object: first slot of its table in scan.tab */
    size_t tcap;    /* object: slots in its table */
    size_t tcount;  /* object: keys in its table */
};

struct scan {
    const zf_context *ctx;
    const unsigned char *b;
    size_t len;
    size_t pos;
    unsigned max_depth;
    struct frame *st;
    size_t depth;
    size_t st_cap;
    struct key_slot *tab;
    size_t tab_cap;
    size_t tab_top;     /* slots in use by open objects */
    uint64_t k0, k1;    /* hash key */
    struct zf__json_scan_error *e;
};

/* ---- SipHash-1-3, fed byte by byte ---- */

struct sip {
    uint64_t v0, v1, v2, v3;
    uint64_t m;
    uint64_t n;
};

#define ROTL64(x, r) (((x) << (r)) | ((x) >> (64 - (r))))

static inline void
sip_round(struct sip *h)
{
    h->v0 += h->v1;
    h->v1 = ROTL64(h->v1, 13);
    h->v1 ^= h->v0;
    h->v0 = ROTL64(h->v0, 32);
    h->v2 += h->v3;
    h->v3 = ROTL64(h->v3, 16);
    h->v3 ^= h->v2;
    h->v0 += h->v3;
    h->v3 = ROTL64(h->v3, 21);
    h->v3 ^= h->v0;
    h->v2 += h->v1;
    h->v1 = ROTL64(h->v1, 17);
    h->v1 ^= h->v2;
    h->v2 = ROTL64(h->v2, 32);
}

static void
sip_init(struct sip *h, uint64_t k0, uint64_t k1)
{
    h->v0 = k0 ^ 0x736f6d6570736575ULL;
    h->v1 = k1 ^ 0x646f72616e646f6dULL;
    h->v2 = k0 ^ 0x6c7967656e657261ULL;
    h->v3 = k1 ^ 0x7465646279746573ULL;
    h->m = 0;
    h->n = 0;
}

static inline void
sip_byte(struct sip *h, unsigned char c)
{
    h->m |= (uint64_t)c << (8 * (h->n & 7));
    if ((++h->n & 7) == 0) {
        h->v3 ^= h->m;
        sip_round(h);
        h->v0 ^= h->m;
        h->m = 0;
    }
}

static void
sip_bytes(struct sip *h, const unsigned char *p, size_t n)
{
    while (n--)
        sip_byte(h, *p++);
}

static size_t
utf8_encode(uint32_t cp, unsigned char out[4])
{
    if (cp < 0x80) {
        out[0] = (unsigned char)cp;
        return 1;
    }
    if (cp < 0x800) {
        out[0] = (unsigned char)(0xC0 | (cp >> 6));
        out[1] = (unsigned char)(0x80 | (cp & 0x3F));
        return 2;
    }
    if (cp < 0x10000) {
        out[0] = (unsigned char)(0xE0 | (cp >> 12));
        out[1] = (unsigned char)(0x80 | ((cp >> 6) & 0x3F));
        out[2] = (unsigned char)(0x80 | (cp & 0x3F));
        return 3;
    }
    out[0] = (unsigned char)(0xF0 | (cp >> 18));
    out[1] = (unsigned char)(0x80 | ((cp >> 12) & 0x3F));
    out[2] = (unsigned char)(0x80 | ((cp >> 6) & 0x3F));
    out[3] = (unsigned char)(0x80 | (cp & 0x3F));
    return 4;
}

static void
sip_cp(struct sip *h, uint32_t cp)
{
    unsigned char u[4];

    sip_bytes(h, u, utf8_encode(cp, u));
}

static uint64_t
sip_final(struct sip *h)
{
    uint64_t last = (h->n << 56) | h->m;

    h->v3 ^= last;
    sip_round(h);
    h->v0 ^= last;
    h->v2 ^= 0xff;
    sip_round(h);
    sip_round(h);
    sip_round(h);
    return h->v0 ^ h->v1 ^ h->v2 ^ h->v3;
}

static uint64_t
mix64(uint64_t x)
{
    x ^= x >> 30;
    x *= 0xbf58476d1ce4e5b9ULL;
    x ^= x >> 27;
    x *= 0x94d049bb133111ebULL;
    x ^= x >> 31;
    return x;
}

/* ---- paths ---- */

/* Output with a byte limit, or a dry run that only counts. Text is put in
 * whole units (a character or an escape), so a cut never splits one. */
struct pw {
    char *p;
    size_t len;
    size_t limit;   /* most content bytes (excluding the NUL) */
    bool counting;
    bool stopped;
    size_t count;
};

static void
pw_put(struct pw *w, const char *s, size_t n)
{
    if (w->counting) {
        w->count += n;
        return;
    }
    if (w->stopped)
        return;
    if (n > w->limit - w->len) {
        w->stopped = true;
        return;
    }
    memcpy(w->p + w->len, s, n);
    w->len += n;
    w->p[w->len] = '\0';
}

/* Key text with `"`, `\` and control characters escaped as in JSON and
 * invalid UTF-8 shown as U+FFFD. */
static void
pw_key_text(struct pw *w, const char *key, size_t klen)
{
    size_t i = 0, k;
    uint32_t cp;
    char tmp[8];

    while (i < klen) {
        unsigned char c = (unsigned char)key[i];

        if (c == '"' || c == '\\') {
            tmp[0] = '\\';
            tmp[1] = (char)c;
            pw_put(w, tmp, 2);
            i++;
        } else if (c < 0x20) {
            switch (c) {
            case '\n': pw_put(w, "\\n", 2); break;
            case '\t': pw_put(w, "\\t", 2); break;
            case '\r': pw_put(w, "\\r", 2); break;
            case '\b': pw_put(w, "\\b", 2); break;
            case '\f': pw_put(w, "\\f", 2); break;
            default:
                snprintf(tmp, sizeof(tmp), "\\u%04x", (unsigned)c);
                pw_put(w, tmp, 6);
                break;
            }
            i++;
        } else if (c < 0x80) {
            pw_put(w, key + i, 1);
            i++;
        } else if ((k = zf__utf8_decode(key + i, klen - i, &cp)) != 0) {
            pw_put(w, key + i, k);
            i += k;
        } else {
            pw_put(w, "\xEF\xBF\xBD", 3);
            i++;
        }
    }
}

struct seg {
    bool is_index;
    size_t index;
    const char *key;
    size_t klen;
    bool ident;     /* key is an ASCII identifier: dotted form */
    bool clipped;   /* key is only a prefix of the real key */
};

static void
pw_seg(struct pw *w, const struct seg *sg, bool first)
{
    if (sg->is_index) {
        char tmp[32];
        int n = snprintf(tmp, sizeof(tmp), "[%zu]", sg->index);

        pw_put(w, tmp, (size_t)n);
    } else if (sg->ident) {
        size_t i;

        if (!first)
            pw_put(w, ".", 1);
        for (i = 0; i < sg->klen; i++)
            pw_put(w, sg->key + i, 1);
    } else {
        pw_put(w, "[\"", 2);
        pw_key_text(w, sg->key, sg->klen);
        pw_put(w, "\"]", 2);
    }
}

static bool
path_truncated(const char *path, size_t len)
{
    return len >= 3 && memcmp(path + len - 3, "...", 3) == 0;
}

static bool
path_append(char *path, size_t size, const struct seg *sg)
{
    struct pw w;
    size_t cur;

    if (!path || size == 0)
        return false;
    cur = strnlen(path, size);
    if (cur == size) {
        cur = size - 1;
        path[cur] = '\0';
    }
    if (path_truncated(path, cur))
        return false;

    memset(&w, 0, sizeof(w));
    w.counting = true;
    pw_seg(&w, sg, cur == 0);
    if (!sg->clipped && w.count <= size - 1 - cur) {
        w.counting = false;
        w.p = path;
        w.len = cur;
        w.limit = size - 1;
        pw_seg(&w, sg, cur == 0);
        return true;
    }

    /* Does not fit: keep what fits, then "...". */
    if (size < 4)
        return false;
    if (cur > size - 4) {
        cur = size - 4;
        while (cur > 0 && ((unsigned char)path[cur] & 0xC0) == 0x80)
            cur--;
        path[cur] = '\0';
    }
    memset(&w, 0, sizeof(w));
    w.p = path;
    w.len = cur;
    w.limit = size - 4;
    pw_seg(&w, sg, cur == 0);
    memcpy(path + w.len, "...", 4);
    return false;
}

static bool
is_ident_cp(uint32_t cp, bool first)
{
    if ((cp >= 'A' && cp <= 'Z') || (cp >= 'a' && cp <= 'z') || cp == '_')
        return true;
    return !first && cp >= '0' && cp <= '9';
}

bool
zf__json_path_key(char *path, size_t size, const char *key, size_t klen)
{
    struct seg sg;
    size_t i;

    memset(&sg, 0, sizeof(sg));
    sg.key = key;
    sg.klen = klen;
    sg.ident = klen > 0;
    for (i = 0; i < klen && sg.ident; i++)
        sg.ident = is_ident_cp((unsigned char)key[i], i == 0);
    return path_append(path, size, &sg);
}

bool
zf__json_path_index(char *path, size_t size, size_t index)
{
    struct seg sg;

    memset(&sg, 0, sizeof(sg));
    sg.is_index = true;
    sg.index = index;
    return path_append(path, size, &sg);
}

/* ---- decoding strings that have already been validated ---- */

static int
hexval(unsigned char c)
{
    if (c >= '0' && c <= '9')
        return c - '0';
    c |= 0x20;
    if (c >= 'a' && c <= 'f')
        return c - 'a' + 10;
    return -1;
}

/* Four hex digits at b[0..3] (caller checked they exist); -1 if not hex. */
static long
hex4(const unsigned char *b)
{
    long v = 0;
    int i, d;

    for (i = 0; i < 4; i++) {
        d = hexval(b[i]);
        if (d < 0)
            return -1;
        v = v * 16 + d;
    }
    return v;
}

/* Next code point of a validated string at *pos (inside the quotes);
 * false at the closing quote. */
static bool
next_cp(const struct scan *s, size_t *pos, uint32_t *cp)
{
    const unsigned char *b = s->b;
    size_t p = *pos, k;

    if (p >= s->len || b[p] == '"')
        return false;
    if (b[p] == '\\') {
        switch (b[p + 1]) {
        case 'b': *cp = '\b'; break;
        case 'f': *cp = '\f'; break;
        case 'n': *cp = '\n'; break;
        case 'r': *cp = '\r'; break;
        case 't': *cp = '\t'; break;
        case 'u': {
            uint32_t v = (uint32_t)hex4(b + p + 2);

            if (v >= 0xD800 && v <= 0xDBFF) {
                uint32_t lo = (uint32_t)hex4(b + p + 8);

                v = 0x10000 + ((v - 0xD800) << 10) + (lo - 0xDC00);
                p += 6;
            }
            *cp = v;
            p += 4;
            break;
        }
        default: *cp = b[p + 1]; break;   /* " \ / */
        }
        p += 2;
    } else if (b[p] < 0x80) {
        *cp = b[p++];
    } else {
        k = zf__utf8_decode((const char *)b + p, s->len - p, cp);
        if (NEVER(k == 0))
            return false;
        p += k;
    }
    *pos = p;
    return true;
}

static bool
keys_equal(const struct scan *s, size_t a, size_t b)
{
    uint32_t ca = 0, cb = 0;
    bool ra, rb;

    for (;;) {
        ra = next_cp(s, &a, &ca);
        rb = next_cp(s, &b, &cb);
        if (ra != rb)
            return false;
        if (!ra)
            return true;
        if (ca != cb)
            return false;
    }
}

/* Decode the key at `off` into `out` (at most `size`-1 bytes, whole
 * characters); tell whether it is an identifier and whether it was cut. */
static size_t
decode_key(const struct scan *s, size_t off, char *out, size_t size,
           bool *ident, bool *clipped)
{
    size_t n = 0, k;
    uint32_t cp;
    unsigned char u[4];
    bool first = true;

    *ident = true;
    *clipped = false;
    while (next_cp(s, &off, &cp)) {
        if (!is_ident_cp(cp, first))
            *ident = false;
        first = false;
        k = utf8_encode(cp, u);
        if (!*clipped && n + k < size) {
            memcpy(out + n, u, k);
            n += k;
        } else {
            *clipped = true;
        }
    }
    if (first)
        *ident = false;     /* empty key */
    out[n] = '\0';
    return n;
}

/* ---- errors ---- */

static void
build_path(const struct scan *s, char *path, size_t size)
{
    char key[192];
    struct seg sg;
    size_t i;

    path[0] = '\0';
    for (i = 0; i < s->depth; i++) {
        const struct frame *fr = &s->st[i];

        if (!fr->has_cur)
            continue;
        memset(&sg, 0, sizeof(sg));
        if (fr->kind == FR_ARRAY) {
            sg.is_index = true;
            sg.index = fr->cur;
        } else {
            sg.key = key;
            sg.klen = decode_key(s, fr->cur, key, sizeof(key), &sg.ident,
                                 &sg.clipped);
        }
        if (!path_append(path, size, &sg))
            break;
    }
}

static zf_status ZF_PRINTF(5, 6)
fail(struct scan *s, zf_status code, int diag, size_t offset,
     const char *fmt, ...)
{
    struct zf__json_scan_error *e = s->e;
    char tmp[512];
    va_list ap;

    if (!e)
        return code;
    e->code = code;
    e->diag = diag;
    e->offset = offset;
    zf__json_offset_to_linecol((const char *)s->b, s->len, offset, &e->line,
                               &e->column);
    va_start(ap, fmt);
    vsnprintf(tmp, sizeof(tmp), fmt, ap);
    va_end(ap);
    zf__strlcpy_utf8(e->message, sizeof(e->message), tmp);
    build_path(s, e->path, sizeof(e->path));
    return code;
}

static zf_status
fail_syntax(struct scan *s, size_t offset, const char *msg)
{
    return fail(s, ZF_ESYNTAX, ZF_DIAG_JSON_SYNTAX, offset, "%s", msg);
}

static zf_status
fail_nomem(struct scan *s)
{
    return fail(s, ZF_ENOMEM, ZF_DIAG_NOMEM, s->pos, "out of memory");
}

static zf_status
fail_eof(struct scan *s)
{
    return fail_syntax(s, s->len, "unexpected end of input");
}

/* Report what is at s->pos when `expected` was wanted. */
static zf_status
unexpected(struct scan *s, const char *expected)
{
    size_t p = s->pos;
    uint32_t cp;

    if (p >= s->len)
        return fail_eof(s);
    if (s->b[p] >= 0x80) {
        if (!zf__utf8_decode((const char *)s->b + p, s->len - p, &cp))
            return fail(s, ZF_EINPUT, ZF_DIAG_CASE_BAD_UTF8, p,
                        "invalid UTF-8");
        if (p == 0 && cp == 0xFEFF)
            return fail_syntax(s, 0, "byte order mark is not allowed");
    }
    return fail_syntax(s, p, expected);
}

/* ---- stack and key tables ---- */

static zf_status
tab_reserve(struct scan *s, size_t need)
{
    struct key_slot *t;
    size_t cap, bytes;

    if (need <= s->tab_cap)
        return ZF_OK;
    cap = s->tab_cap ? s->tab_cap : 64;
    while (cap < need) {
        if (zf__mul_overflow(cap, 2, &cap))
            return fail_nomem(s);
    }
    if (zf__mul_overflow(cap, sizeof(*t), &bytes))
        return fail_nomem(s);
    t = zf__realloc(s->ctx, s->tab, bytes);
    if (!t)
        return fail_nomem(s);
    s->tab = t;
    s->tab_cap = cap;
    return ZF_OK;
}

static zf_status
push(struct scan *s, unsigned char kind)
{
    struct frame *fr;
    zf_status rc;

    if (s->depth >= s->max_depth)
        return fail(s, ZF_ELIMIT, ZF_DIAG_LIMIT_JSON, s->pos,
                    "nesting deeper than %u", s->max_depth);
    if (!ZF_ARRAY_RESERVE(s->ctx, s->st, s->depth, s->st_cap, FRAMES_MIN))
        return fail_nomem(s);
    if (kind == FR_OBJECT) {
        rc = tab_reserve(s, s->tab_top + KEY_TABLE_MIN);
        if (rc != ZF_OK)
            return rc;
    }
    fr = &s->st[s->depth++];
    memset(fr, 0, sizeof(*fr));
    fr->kind = kind;
    if (kind == FR_OBJECT) {
        fr->tbase = s->tab_top;
        fr->tcap = KEY_TABLE_MIN;
        memset(s->tab + fr->tbase, 0, KEY_TABLE_MIN * sizeof(*s->tab));
        s->tab_top += KEY_TABLE_MIN;
    }
    return ZF_OK;
}

static void
pop(struct scan *s)
{
    struct frame *fr = &s->st[--s->depth];

    if (fr->kind == FR_OBJECT)
        s->tab_top = fr->tbase;
}

static void
slot_put(struct key_slot *slots, size_t mask, uint64_t hash, size_t key)
{
    size_t i = (size_t)hash & mask;

    while (slots[i].key)
        i = (i + 1) & mask;
    slots[i].hash = hash;
    slots[i].key = key;
}

/* Double the table of `fr`, the topmost object: build the new table just
 * above the old one, then slide it down. */
static zf_status
table_grow(struct scan *s, struct frame *fr)
{
    size_t ncap, need, i;
    struct key_slot *old, *neu;
    zf_status rc;

    if (zf__mul_overflow(fr->tcap, 2, &ncap) ||
        zf__add_overflow(fr->tbase + fr->tcap, ncap, &need))
        return fail_nomem(s);
    rc = tab_reserve(s, need);
    if (rc != ZF_OK)
        return rc;
    old = s->tab + fr->tbase;
    neu = old + fr->tcap;
    memset(neu, 0, ncap * sizeof(*neu));
    for (i = 0; i < fr->tcap; i++)
        if (old[i].key)
            slot_put(neu, ncap - 1, old[i].hash, old[i].key);
    memmove(old, neu, ncap * sizeof(*neu));
    fr->tcap = ncap;
    s->tab_top = fr->tbase + ncap;
    return ZF_OK;
}

/* Add the key at `key` (hash `hash`) to the topmost object; *dup tells
 * whether it was already there. */
static zf_status
key_insert(struct scan *s, uint64_t hash, size_t key, bool *dup)
{
    struct frame *fr = &s->st[s->depth - 1];
    struct key_slot *slots;
    size_t mask, i;
    zf_status rc;

    *dup = false;
    if ((fr->tcount + 1) * 4 > fr->tcap * 3) {
        rc = table_grow(s, fr);
        if (rc != ZF_OK)
            return rc;
    }
    slots = s->tab + fr->tbase;
    mask = fr->tcap - 1;
    for (i = (size_t)hash & mask; slots[i].key; i = (i + 1) & mask) {
        if (slots[i].hash == hash && keys_equal(s, slots[i].key, key)) {
            *dup = true;
            return ZF_OK;
        }
    }
    slots[i].hash = hash;
    slots[i].key = key;
    fr->tcount++;
    return ZF_OK;
}

/* ---- lexical pieces ---- */

static void
skip_ws(struct scan *s)
{
    while (s->pos < s->len) {
        unsigned char c = s->b[s->pos];

        if (c != ' ' && c != '\t' && c != '\n' && c != '\r')
            break;
        s->pos++;
    }
}

/* The \u escape at p (b[p] == '\\', b[p+1] == 'u'): its value in *v. */
static zf_status
read_u(struct scan *s, size_t p, long *v)
{
    size_t i;

    if (s->len - p < 6) {
        for (i = p + 2; i < s->len; i++)
            if (hexval(s->b[i]) < 0)
                return fail_syntax(s, p, "invalid \\u escape");
        return fail_syntax(s, s->len, "unterminated string");
    }
    *v = hex4(s->b + p + 2);
    if (*v < 0)
        return fail_syntax(s, p, "invalid \\u escape");
    return ZF_OK;
}

/* The string whose opening quote is at s->pos. With `h`, the unescaped
 * UTF-8 text is fed to it. On success s->pos is past the closing quote. */
static zf_status
scan_string(struct scan *s, struct sip *h)
{
    const unsigned char *b = s->b;
    size_t len = s->len, p = s->pos + 1, run, k;
    unsigned char c;
    uint32_t cp;

    for (;;) {
        run = p;
        while (p < len && (c = b[p]) >= 0x20 && c < 0x80 && c != '"' &&
               c != '\\')
            p++;
        if (h)
            sip_bytes(h, b + run, p - run);
        if (p >= len)
            return fail_syntax(s, len, "unterminated string");
        c = b[p];
        if (c == '"') {
            s->pos = p + 1;
            return ZF_OK;
        }
        if (c == '\\') {
            if (p + 1 >= len)
                return fail_syntax(s, len, "unterminated string");
            switch (b[p + 1]) {
            case '"': cp = '"'; break;
            case '\\': cp = '\\'; break;
            case '/': cp = '/'; break;
            case 'b': cp = '\b'; break;
            case 'f': cp = '\f'; break;
            case 'n': cp = '\n'; break;
            case 'r': cp = '\r'; break;
            case 't': cp = '\t'; break;
            case 'u': {
                long v = 0, lo = 0;
                zf_status rc = read_u(s, p, &v);

                if (rc != ZF_OK)
                    return rc;
                if (v == 0)
                    return fail(s, ZF_EINPUT, ZF_DIAG_CASE_BAD_UTF8, p,
                                "\\u0000 is not allowed");
                if (v >= 0xD800 && v <= 0xDBFF) {
                    /* must be followed by a low-surrogate escape */
                    if (len - p < 7 || (b[p + 6] == '\\' && len - p < 8))
                        return fail_syntax(s, len, "unterminated string");
                    if (b[p + 6] == '\\' && b[p + 7] == 'u') {
                        rc = read_u(s, p + 6, &lo);
                        if (rc != ZF_OK)
                            return rc;
                    }
                    if (lo < 0xDC00 || lo > 0xDFFF)
                        return fail(s, ZF_EINPUT, ZF_DIAG_CASE_BAD_UTF8, p,
                                    "lone surrogate \\u%04lX is not allowed",
                                    v);
                    cp = 0x10000 + (((uint32_t)v - 0xD800) << 10) +
                         ((uint32_t)lo - 0xDC00);
                    p += 6;
                } else if (v >= 0xDC00 && v <= 0xDFFF) {
                    return fail(s, ZF_EINPUT, ZF_DIAG_CASE_BAD_UTF8, p,
                                "lone surrogate \\u%04lX is not allowed", v);
                } else {
                    cp = (uint32_t)v;
                }
                p += 4;
                break;
            }
            default:
                if (b[p + 1] > 0x20 && b[p + 1] < 0x7F)
                    return fail(s, ZF_ESYNTAX, ZF_DIAG_JSON_SYNTAX, p,
                                "invalid escape '\\%c'", b[p + 1]);
                return fail_syntax(s, p, "invalid escape");
            }
            p += 2;
            if (h)
                sip_cp(h, cp);
            continue;
        }
        if (c < 0x20)
            return fail(s, ZF_ESYNTAX, ZF_DIAG_JSON_SYNTAX, p,
                        "unescaped control character U+%04X in string",
                        (unsigned)c);
        k = zf__utf8_decode((const char *)b + p, len - p, &cp);
        if (!k)
            return fail(s, ZF_EINPUT, ZF_DIAG_CASE_BAD_UTF8, p,
                        "invalid UTF-8");
        if (h)
            sip_bytes(h, b + p, k);
        p += k;
    }
}

static bool
is_digit(const struct scan *s, size_t p)
{
    return p < s->len && s->b[p] >= '0' && s->b[p] <= '9';
}

static zf_status
scan_number(struct scan *s)
{
    size_t p = s->pos;

    if (s->b[p] == '-')
        p++;
    if (!is_digit(s, p))
        return fail_syntax(s, p, "invalid number: expected a digit");
    if (s->b[p] == '0') {
        if (is_digit(s, p + 1))
            return fail_syntax(s, p, "invalid number: leading zero");
        p++;
    } else {
        size_t start = p;
        while (is_digit(s, p))
            p++;
        /* an integer beyond ±2^53 cannot be held exactly (cJSON reads a
         * double): 9007199254740993 would silently become ...992 */
        if ((p == s->len || (s->b[p] != '.' && s->b[p] != 'e' &&
                             s->b[p] != 'E')) &&
            (p - start > 16 ||
             (p - start == 16 &&
              memcmp(s->b + start, "9007199254740992", 16) > 0)))
            return fail(s, ZF_EINPUT, ZF_DIAG_CASE_BAD_MONEY, s->pos,
                        "number %.*s is beyond ±2^53 and cannot be held "
                        "exactly", (int)(p - s->pos),
                        (const char *)s->b + s->pos);
    }
    if (p < s->len && s->b[p] == '.') {
        p++;
        if (!is_digit(s, p))
            return fail_syntax(s, p, "invalid number: expected a digit");
        while (is_digit(s, p))
            p++;
    }
    if (p < s->len && (s->b[p] == 'e' || s->b[p] == 'E')) {
        p++;
        if (p < s->len && (s->b[p] == '+' || s->b[p] == '-'))
            p++;
        if (!is_digit(s, p))
            return fail_syntax(s, p, "invalid number: expected a digit");
        while (is_digit(s, p))
            p++;
    }
    s->pos = p;
    return ZF_OK;
}

static zf_status
scan_literal(struct scan *s, const char *lit)
{
    size_t n = strlen(lit), i;

    for (i = 0; i < n; i++) {
        if (s->pos + i >= s->len)
            return fail_eof(s);
        if (s->b[s->pos + i] != (unsigned char)lit[i])
            return fail_syntax(s, s->pos, "invalid literal");
    }
    s->pos += n;
    return ZF_OK;
}

/* A member key at s->pos (whitespace skipped), then ':' and whitespace. */
static zf_status
member_key(struct scan *s, const char *expected)
{
    struct frame *fr = &s->st[s->depth - 1];
    struct sip h;
    size_t start = s->pos;
    zf_status rc;
    bool dup;

    if (s->pos >= s->len || s->b[s->pos] != '"')
        return unexpected(s, expected);
    sip_init(&h, s->k0, s->k1);
    rc = scan_string(s, &h);
    if (rc != ZF_OK)
        return rc;
    rc = key_insert(s, sip_final(&h), start + 1, &dup);
    if (rc != ZF_OK)
        return rc;
    fr->has_cur = true;
    fr->cur = start + 1;
    if (dup) {
        char key[192], shown[224];
        struct pw w;
        bool ident, clipped;
        size_t n = decode_key(s, start + 1, key, sizeof(key), &ident,
                              &clipped);

        memset(&w, 0, sizeof(w));
        w.p = shown;
        w.limit = sizeof(shown) - 4;
        shown[0] = '\0';
        pw_key_text(&w, key, n);
        if (clipped || w.stopped)
            memcpy(shown + w.len, "...", 4);
        return fail(s, ZF_EINPUT, ZF_DIAG_CASE_DUP_KEY, start,
                    "duplicate key '%s'", shown);
    }
    skip_ws(s);
    if (s->pos >= s->len || s->b[s->pos] != ':')
        return unexpected(s, "expected ':'");
    s->pos++;
    skip_ws(s);
    return ZF_OK;
}

/* ---- the scanner ---- */

static zf_status
run(struct scan *s)
{
    bool want_value = true;
    struct frame *fr;
    zf_status rc;

    skip_ws(s);
    if (s->pos >= s->len)
        return fail_syntax(s, s->len, "empty input");
    for (;;) {
        if (want_value) {
            if (s->pos >= s->len)
                return fail_eof(s);
            switch (s->b[s->pos]) {
            case '[':
                rc = push(s, FR_ARRAY);
                if (rc != ZF_OK)
                    return rc;
                s->pos++;
                skip_ws(s);
                if (s->pos < s->len && s->b[s->pos] == ']') {
                    s->pos++;
                    pop(s);
                    want_value = false;
                } else {
                    fr = &s->st[s->depth - 1];
                    fr->has_cur = true;
                    fr->cur = 0;
                }
                break;
            case '{':
                rc = push(s, FR_OBJECT);
                if (rc != ZF_OK)
                    return rc;
                s->pos++;
                skip_ws(s);
                if (s->pos < s->len && s->b[s->pos] == '}') {
                    s->pos++;
                    pop(s);
                    want_value = false;
                } else {
                    rc = member_key(s, "expected a string key or '}'");
                    if (rc != ZF_OK)
                        return rc;
                }
                break;
            case '"':
                rc = scan_string(s, NULL);
                if (rc != ZF_OK)
                    return rc;
                want_value = false;
                break;
            case '-': case '0': case '1': case '2': case '3': case '4':
            case '5': case '6': case '7': case '8': case '9':
                rc = scan_number(s);
                if (rc != ZF_OK)
                    return rc;
                want_value = false;
                break;
            case 't':
            case 'f':
            case 'n':
                rc = scan_literal(s, s->b[s->pos] == 't' ? "true"
                                     : s->b[s->pos] == 'f' ? "false"
                                                           : "null");
                if (rc != ZF_OK)
                    return rc;
                want_value = false;
                break;
            default:
                return unexpected(s, "expected a value");
            }
            continue;
        }

        /* a value just ended */
        skip_ws(s);
        if (s->depth == 0) {
            if (s->pos < s->len)
                return unexpected(s, "trailing characters after the value");
            return ZF_OK;
        }
        fr = &s->st[s->depth - 1];
        fr->has_cur = false;
        if (s->pos >= s->len)
            return fail_eof(s);
        if (fr->kind == FR_ARRAY) {
            if (s->b[s->pos] == ']') {
                s->pos++;
                pop(s);
            } else if (s->b[s->pos] == ',') {
                s->pos++;
                skip_ws(s);
                fr->has_cur = true;
                fr->cur++;
                if (s->pos < s->len && s->b[s->pos] == ']')
                    return fail_syntax(s, s->pos, "trailing comma");
                want_value = true;
            } else {
                return unexpected(s, "expected ',' or ']'");
            }
        } else {
            if (s->b[s->pos] == '}') {
                s->pos++;
                pop(s);
            } else if (s->b[s->pos] == ',') {
                s->pos++;
                skip_ws(s);
                if (s->pos < s->len && s->b[s->pos] == '}')
                    return fail_syntax(s, s->pos, "trailing comma");
                rc = member_key(s, "expected a string key");
                if (rc != ZF_OK)
                    return rc;
                want_value = true;
            } else {
                return unexpected(s, "expected ',' or '}'");
            }
        }
    }
}

zf_status
zf__json_prescan(const zf_context *ctx, const char *buf, size_t len,
                 unsigned max_depth, struct zf__json_scan_error *e)
{
    static const char anchor = 0;
    struct scan s;
    zf_status rc;

    if (e)
        memset(e, 0, sizeof(*e));
    if (!ctx || (!buf && len)) {
        if (e) {
            e->code = ZF_EINVAL;
            e->diag = ZF_DIAG_INVAL;
            zf__strlcpy_utf8(e->message, sizeof(e->message),
                             "invalid arguments");
        }
        return ZF_EINVAL;
    }
    memset(&s, 0, sizeof(s));
    s.ctx = ctx;
    s.b = (const unsigned char *)(buf ? buf : "");
    s.len = len;
    s.max_depth = max_depth;
    s.e = e;
    /* Hash key from the address-space layout (stack, heap, image): not
     * secret against a local attacker, unknown to a remote one. */
    s.k0 = mix64((uint64_t)(uintptr_t)&s ^ mix64((uint64_t)(uintptr_t)ctx));
    s.k1 = mix64((uint64_t)(uintptr_t)&anchor ^
                 mix64((uint64_t)(uintptr_t)buf ^ s.k0));

    rc = run(&s);
    zf__free(ctx, s.st);
    zf__free(ctx, s.tab);
    return rc;
}

void
zf__json_offset_to_linecol(const char *buf, size_t len, size_t offset,
                           unsigned *line, unsigned *column)
{
    unsigned l = 1, c = 1;
    size_t i;

    if (offset > len)
        offset = len;
    for (i = 0; i < offset; i++) {
        unsigned char ch = (unsigned char)buf[i];

        if (ch == '\n') {
            if (l < UINT_MAX)
                l++;
            c = 1;
        } else if ((ch & 0xC0) != 0x80 && c < UINT_MAX) {
            c++;
        }
    }
    if (line)
        *line = l;
    if (column)
        *column = c;
}

bool
zf__json_integral_money(double v, int64_t *out)
{
    int64_t i;

    /* also false for NaN */
    if (!(v >= -9007199254740992.0 && v <= 9007199254740992.0))
        return false;
    i = (int64_t)v;
    if ((double)i != v)
        return false;
    *out = i;
    return true;
}
