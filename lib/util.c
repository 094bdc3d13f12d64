/* SPDX-License-Identifier: MIT */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "util-private.h"

void *
zf__malloc(const zf_context *ctx, size_t size)
{
    if (size == 0)
        size = 1;
    return ctx->alloc.malloc_fn(size, ctx->alloc.user_data);
}

void *
zf__calloc(const zf_context *ctx, size_t n, size_t size)
{
    size_t total;
    void *p;

    if (zf__mul_overflow(n, size, &total))
        return NULL;
    p = zf__malloc(ctx, total);
    if (p)
        memset(p, 0, total ? total : 1);
    return p;
}

void *
zf__realloc(const zf_context *ctx, void *ptr, size_t size)
{
    if (size == 0)
        size = 1;
    return ctx->alloc.realloc_fn(ptr, size, ctx->alloc.user_data);
}

void
zf__free(const zf_context *ctx, void *ptr)
{
    if (ptr)
        ctx->alloc.free_fn(ptr, ctx->alloc.user_data);
}

char *
zf__strndup(const zf_context *ctx, const char *s, size_t n)
{
    char *p;
    size_t sz;

    if (zf__add_overflow(n, 1, &sz))
        return NULL;
    p = zf__malloc(ctx, sz);
    if (!p)
        return NULL;
    memcpy(p, s, n);
    p[n] = '\0';
    return p;
}

void
zf__log(const zf_context *ctx, zf_log_level level, const char *fmt, ...)
{
    char msg[512];
    va_list ap;

    if (!ctx->log_fn || level > ctx->log_level)
        return;
    va_start(ap, fmt);
    vsnprintf(msg, sizeof(msg), fmt, ap);
    va_end(ap);
    ctx->log_fn(level, msg, ctx->log_user_data);
}

/* ---- arena ---- */

struct zf__arena_chunk {
    struct zf__arena_chunk *next;
    size_t size;   /* usable bytes in data[] */
    size_t used;
    _Alignas(16) unsigned char data[];
};

void
zf__arena_init(struct zf__arena *a, const zf_context *ctx, size_t chunk_size)
{
    a->ctx = ctx;
    a->head = NULL;
    a->chunk_size = chunk_size ? chunk_size : 16384;
    a->total = 0;
}

void *
zf__arena_alloc(struct zf__arena *a, size_t size, size_t align)
{
    struct zf__arena_chunk *c = a->head;
    size_t off, need, csize;

    if (align == 0)
        align = 1;
    if (c) {
        off = (c->used + align - 1) & ~(align - 1);
        if (off <= c->size && c->size - off >= size) {
            c->used = off + size;
            return c->data + off;
        }
    }
    if (zf__add_overflow(size, align, &need))
        return NULL;
    csize = need > a->chunk_size ? need : a->chunk_size;
    if (zf__add_overflow(csize, sizeof(*c), &need))
        return NULL;
    c = zf__malloc(a->ctx, need);
    if (!c)
        return NULL;
    c->size = csize;
    c->used = 0;
    a->total += need;
    /* A big one-off allocation goes behind the head so the head's free
     * space is not wasted. */
    if (a->head && size > a->chunk_size / 2) {
        c->next = a->head->next;
        a->head->next = c;
    } else {
        c->next = a->head;
        a->head = c;
    }
    off = 0;
    c->used = off + size;
    return c->data + off;
}

void *
zf__arena_calloc(struct zf__arena *a, size_t n, size_t size, size_t align)
{
    size_t total;
    void *p;

    if (zf__mul_overflow(n, size, &total))
        return NULL;
    p = zf__arena_alloc(a, total, align);
    if (p)
        memset(p, 0, total);
    return p;
}

char *
zf__arena_strndup(struct zf__arena *a, const char *s, size_t n)
{
    size_t sz;
    char *p;

    if (zf__add_overflow(n, 1, &sz))
        return NULL;
    p = zf__arena_alloc(a, sz, 1);
    if (!p)
        return NULL;
    if (n)
        memcpy(p, s, n);
    p[n] = '\0';
    return p;
}

char *
zf__arena_strdup(struct zf__arena *a, const char *s)
{
    return zf__arena_strndup(a, s, strlen(s));
}

char *
zf__arena_printf(struct zf__arena *a, const char *fmt, ...)
{
    va_list ap;
    int n;
    char *p;

    va_start(ap, fmt);
    n = vsnprintf(NULL, 0, fmt, ap);
    va_end(ap);
    if (n < 0)
        return NULL;
    p = zf__arena_alloc(a, (size_t)n + 1, 1);
    if (!p)
        return NULL;
    va_start(ap, fmt);
    vsnprintf(p, (size_t)n + 1, fmt, ap);
    va_end(ap);
    return p;
}

void
zf__arena_reset(struct zf__arena *a)
{
    struct zf__arena_chunk *c, *next;

    if (!a->head)
        return;
    for (c = a->head->next; c; c = next) {
        next = c->next;
        a->total -= c->size + sizeof(*c);
        zf__free(a->ctx, c);
    }
    a->head->next = NULL;
    a->head->used = 0;
}

void
zf__arena_destroy(struct zf__arena *a)
{
    struct zf__arena_chunk *c, *next;

    for (c = a->head; c; c = next) {
        next = c->next;
        zf__free(a->ctx, c);
    }
    a->head = NULL;
    a->total = 0;
}

/* ---- errors ---- */

void
zf__strlcpy_utf8(char *dst, size_t dst_size, const char *src)
{
    size_t n;

    if (!dst_size)
        return;
    n = strlen(src);
    if (n >= dst_size) {
        n = dst_size - 1;
        /* back up to a UTF-8 lead byte */
        while (n > 0 && ((unsigned char)src[n] & 0xC0) == 0x80)
            n--;
    }
    memcpy(dst, src, n);
    dst[n] = '\0';
}

zf_status
zf__error_setv(zf_error *err, zf_status code, int diag, const char *fmt,
               va_list ap) ZF_PRINTF(4, 0);

/*
 * Copy `src` into dst[cap] (UTF-8 safe truncation) with every control
 * character written as an escape: C0 and DEL as \xNN, C1 (U+0080–U+009F)
 * as \uNNNN. Error fields quote rule keys, case values and file names,
 * which come from outside; raw ESC or BEL must never reach a terminal.
 */
static void
copy_escaped(char *dst, size_t cap, const char *src)
{
    char tmp[1024];
    size_t o = 0;
    const unsigned char *p = (const unsigned char *)src;

    for (; *p && o + 7 < sizeof(tmp); p++) {
        if (*p < 0x20 || *p == 0x7f) {
            o += (size_t)snprintf(tmp + o, sizeof(tmp) - o, "\\x%02x", *p);
        } else if (*p == 0xc2 && p[1] >= 0x80 && p[1] <= 0x9f) {
            o += (size_t)snprintf(tmp + o, sizeof(tmp) - o, "\\u%04x", p[1]);
            p++;
        } else {
            tmp[o++] = (char)*p;
        }
    }
    tmp[o] = '\0';
    zf__strlcpy_utf8(dst, cap, tmp);
}

zf_status
zf__error_setv(zf_error *err, zf_status code, int diag, const char *fmt,
               va_list ap)
{
    char tmp[1024];

    if (!err)
        return code;
    err->code = code;
    err->diag = diag;
    vsnprintf(tmp, sizeof(tmp), fmt, ap);
    copy_escaped(err->message, sizeof(err->message), tmp);
    return code;
}

zf_status
zf__error_set(zf_error *err, zf_status code, int diag, const char *fmt, ...)
{
    va_list ap;

    va_start(ap, fmt);
    zf__error_setv(err, code, diag, fmt, ap);
    va_end(ap);
    return code;
}

void
zf__error_at(zf_error *err, const char *source, unsigned line,
             unsigned column)
{
    if (!err)
        return;
    if (source)
        copy_escaped(err->source, sizeof(err->source), source);
    err->line = line;
    err->column = column;
}

void
zf__error_path(zf_error *err, const char *path)
{
    if (err && path)
        copy_escaped(err->path, sizeof(err->path), path);
}

void
zf__error_rule(zf_error *err, const char *rule_id)
{
    if (err && rule_id)
        copy_escaped(err->rule_id, sizeof(err->rule_id), rule_id);
}

zf_status
zf__error_nomem(zf_error *err)
{
    return zf__error_set(err, ZF_ENOMEM, ZF_DIAG_NOMEM, "out of memory");
}

/* ---- string buffer ---- */

void
zf__buf_init(struct zf__buf *b, const zf_context *ctx)
{
    b->ctx = ctx;
    b->data = NULL;
    b->len = 0;
    b->cap = 0;
    b->failed = false;
}

static bool
buf_reserve(struct zf__buf *b, size_t extra)
{
    size_t need, cap;
    char *p;

    if (b->failed)
        return false;
    if (zf__add_overflow(b->len, extra, &need) ||
        zf__add_overflow(need, 1, &need)) {
        b->failed = true;
        return false;
    }
    if (need <= b->cap)
        return true;
    cap = b->cap ? b->cap : 256;
    while (cap < need) {
        if (zf__mul_overflow(cap, 2, &cap)) {
            b->failed = true;
            return false;
        }
    }
    p = zf__realloc(b->ctx, b->data, cap);
    if (!p) {
        b->failed = true;
        return false;
    }
    b->data = p;
    b->cap = cap;
    return true;
}

void
zf__buf_append(struct zf__buf *b, const char *s, size_t n)
{
    if (!buf_reserve(b, n))
        return;
    if (n)
        memcpy(b->data + b->len, s, n);
    b->len += n;
    b->data[b->len] = '\0';
}

void
zf__buf_puts(struct zf__buf *b, const char *s)
{
    zf__buf_append(b, s, strlen(s));
}

void
zf__buf_putc(struct zf__buf *b, char c)
{
    zf__buf_append(b, &c, 1);
}

void
zf__buf_printf(struct zf__buf *b, const char *fmt, ...)
{
    va_list ap;
    int n;

    va_start(ap, fmt);
    n = vsnprintf(NULL, 0, fmt, ap);
    va_end(ap);
    if (n < 0 || !buf_reserve(b, (size_t)n))
        return;
    va_start(ap, fmt);
    vsnprintf(b->data + b->len, (size_t)n + 1, fmt, ap);
    va_end(ap);
    b->len += (size_t)n;
}

void
zf__buf_int(struct zf__buf *b, int64_t v)
{
    char tmp[24];
    char *p = tmp + sizeof(tmp);
    uint64_t u = v < 0 ? (uint64_t)0 - (uint64_t)v : (uint64_t)v;

    do {
        *--p = (char)('0' + u % 10);
        u /= 10;
    } while (u);
    if (v < 0)
        *--p = '-';
    zf__buf_append(b, p, (size_t)(tmp + sizeof(tmp) - p));
}

void
zf__buf_json_str(struct zf__buf *b, const char *s, size_t n)
{
    static const char hex[] = "0123456789abcdef";
    size_t i, start = 0;

    zf__buf_putc(b, '"');
    for (i = 0; i < n; i++) {
        unsigned char c = (unsigned char)s[i];
        const char *esc = NULL;
        char u[6];

        if (c >= 0x20 && c != '"' && c != '\\')
            continue;
        zf__buf_append(b, s + start, i - start);
        start = i + 1;
        switch (c) {
        case '"': esc = "\\\""; break;
        case '\\': esc = "\\\\"; break;
        case '\n': esc = "\\n"; break;
        case '\r': esc = "\\r"; break;
        case '\t': esc = "\\t"; break;
        default:
            u[0] = '\\'; u[1] = 'u'; u[2] = '0'; u[3] = '0';
            u[4] = hex[c >> 4]; u[5] = hex[c & 15];
            zf__buf_append(b, u, 6);
            continue;
        }
        zf__buf_puts(b, esc);
    }
    zf__buf_append(b, s + start, n - start);
    zf__buf_putc(b, '"');
}

char *
zf__buf_steal(struct zf__buf *b, size_t *len)
{
    char *p;

    if (b->failed) {
        zf__buf_free(b);
        return NULL;
    }
    if (!b->data && !buf_reserve(b, 0))
        return NULL;
    if (b->len == 0)
        b->data[0] = '\0';
    p = b->data;
    if (len)
        *len = b->len;
    b->data = NULL;
    b->len = b->cap = 0;
    return p;
}

void
zf__buf_free(struct zf__buf *b)
{
    zf__free(b->ctx, b->data);
    b->data = NULL;
    b->len = b->cap = 0;
}

/* ---- UTF-8 ---- */

size_t
zf__utf8_decode(const char *s, size_t n, uint32_t *cp)
{
    const unsigned char *u = (const unsigned char *)s;
    uint32_t c;
    size_t len, i;

    if (n == 0)
        return 0;
    if (u[0] < 0x80) {
        *cp = u[0];
        return 1;
    } else if ((u[0] & 0xE0) == 0xC0) {
        len = 2;
        c = u[0] & 0x1F;
    } else if ((u[0] & 0xF0) == 0xE0) {
        len = 3;
        c = u[0] & 0x0F;
    } else if ((u[0] & 0xF8) == 0xF0) {
        len = 4;
        c = u[0] & 0x07;
    } else {
        return 0;
    }
    if (n < len)
        return 0;
    for (i = 1; i < len; i++) {
        if ((u[i] & 0xC0) != 0x80)
            return 0;
        c = (c << 6) | (u[i] & 0x3F);
    }
    /* reject overlongs, surrogates and out-of-range */
    if ((len == 2 && c < 0x80) || (len == 3 && c < 0x800) ||
        (len == 4 && c < 0x10000) || c > 0x10FFFF ||
        (c >= 0xD800 && c <= 0xDFFF))
        return 0;
    *cp = c;
    return len;
}

bool
zf__utf8_valid(const char *s, size_t n, size_t *bad_offset)
{
    size_t i = 0, k;
    uint32_t cp;

    while (i < n) {
        if ((unsigned char)s[i] < 0x80) {
            if (s[i] == '\0')
                goto bad;
            i++;
            continue;
        }
        k = zf__utf8_decode(s + i, n - i, &cp);
        if (k == 0)
            goto bad;
        i += k;
    }
    return true;
bad:
    if (bad_offset)
        *bad_offset = i;
    return false;
}

size_t
zf__utf8_count(const char *s, size_t n)
{
    size_t i, count = 0;

    for (i = 0; i < n; i++)
        if (((unsigned char)s[i] & 0xC0) != 0x80)
            count++;
    return count;
}

void
zf__zh_number(struct zf__buf *b, unsigned n)
{
    static const char *const d[] = {"零", "一", "二", "三", "四",
                                    "五", "六", "七", "八", "九"};
    unsigned h = n / 100, t = n / 10 % 10, u = n % 10;

    if (n >= 1000 || n == 0) {
        zf__buf_printf(b, "%u", n);
        return;
    }
    if (h) {
        zf__buf_puts(b, d[h]);
        zf__buf_puts(b, "百");
        if (t) {
            zf__buf_puts(b, d[t]);
            zf__buf_puts(b, "十");
        } else if (u) {
            zf__buf_puts(b, "零");
        }
    } else if (t) {
        if (t > 1)
            zf__buf_puts(b, d[t]);
        zf__buf_puts(b, "十");
    }
    if (u)
        zf__buf_puts(b, d[u]);
}

void
zf__cite(struct zf__buf *b, const char *title, unsigned article,
         unsigned sub, unsigned para, unsigned item)
{
    zf__buf_printf(b, "《%s》", title);
    if (article) {
        zf__buf_puts(b, "第");
        zf__zh_number(b, article);
        zf__buf_puts(b, "条");
    }
    if (sub) {
        zf__buf_puts(b, "之");
        zf__zh_number(b, sub);
    }
    if (para) {
        zf__buf_puts(b, "第");
        zf__zh_number(b, para);
        zf__buf_puts(b, "款");
    }
    if (item) {
        zf__buf_puts(b, "第（");
        zf__zh_number(b, item);
        zf__buf_puts(b, "）项");
    }
}

/* ---- misc ---- */

const void *
zf__memmem(const void *hay, size_t hn, const void *needle, size_t nn)
{
    const unsigned char *h = hay, *n = needle, *p, *end;

    if (nn == 0)
        return hay;
    if (hn < nn)
        return NULL;
    end = h + (hn - nn) + 1;
    for (p = h; p < end; p++) {
        p = memchr(p, n[0], (size_t)(end - p));
        if (!p)
            return NULL;
        if (memcmp(p, n, nn) == 0)
            return p;
    }
    return NULL;
}

unsigned
zf__edit_distance(const char *a, const char *b, unsigned cap)
{
    uint32_t ca[64], cb[64];
    unsigned row[65], na = 0, nb = 0, i, j;
    size_t la = strlen(a), lb = strlen(b), k;
    uint32_t cp;

    for (k = 0; k < la && na < 64;) {
        size_t s = zf__utf8_decode(a + k, la - k, &cp);
        if (!s)
            return cap;
        ca[na++] = cp;
        k += s;
    }
    for (k = 0; k < lb && nb < 64;) {
        size_t s = zf__utf8_decode(b + k, lb - k, &cp);
        if (!s)
            return cap;
        cb[nb++] = cp;
        k += s;
    }
    for (j = 0; j <= nb; j++)
        row[j] = j;
    for (i = 1; i <= na; i++) {
        unsigned prev = row[0], best;
        row[0] = i;
        best = row[0];
        for (j = 1; j <= nb; j++) {
            unsigned cur = row[j];
            unsigned v = prev + (ca[i - 1] != cb[j - 1]);
            if (row[j] + 1 < v)
                v = row[j] + 1;
            if (row[j - 1] + 1 < v)
                v = row[j - 1] + 1;
            row[j] = v;
            prev = cur;
            if (v < best)
                best = v;
        }
        if (best >= cap)
            return cap;
    }
    return row[nb] < cap ? row[nb] : cap;
}

static int32_t
days_from_civil(int32_t y, unsigned m, unsigned d)
{
    /* Howard Hinnant's algorithm */
    int32_t era;
    unsigned yoe, doy, doe;

    y -= m <= 2;
    era = (y >= 0 ? y : y - 399) / 400;
    yoe = (unsigned)(y - era * 400);
    doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
    doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    return era * 146097 + (int32_t)doe - 719468;
}

bool
zf__parse_date(const char *s, size_t n, int32_t *days)
{
    static const unsigned char mdays[] = {31, 28, 31, 30, 31, 30,
                                          31, 31, 30, 31, 30, 31};
    unsigned y = 0, m, d, i, dim;

    if (n != 10 || s[4] != '-' || s[7] != '-')
        return false;
    for (i = 0; i < 10; i++) {
        if (i == 4 || i == 7)
            continue;
        if (s[i] < '0' || s[i] > '9')
            return false;
    }
    for (i = 0; i < 4; i++)
        y = y * 10 + (unsigned)(s[i] - '0');
    m = (unsigned)(s[5] - '0') * 10 + (unsigned)(s[6] - '0');
    d = (unsigned)(s[8] - '0') * 10 + (unsigned)(s[9] - '0');
    if (y < 1900 || m < 1 || m > 12 || d < 1)
        return false;
    dim = mdays[m - 1];
    if (m == 2 && ((y % 4 == 0 && y % 100 != 0) || y % 400 == 0))
        dim = 29;
    if (d > dim)
        return false;
    *days = days_from_civil((int32_t)y, m, d);
    return true;
}

int32_t
zf__days_from_civil(int32_t y, unsigned m, unsigned d)
{
    return days_from_civil(y, m, d);
}

void
zf__civil_from_days(int32_t z, int32_t *year, unsigned *month, unsigned *day)
{
    int32_t era, y;
    unsigned doe, yoe, doy, mp, d, m;

    z += 719468;
    era = (z >= 0 ? z : z - 146096) / 146097;
    doe = (unsigned)(z - era * 146097);
    yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
    y = (int32_t)yoe + era * 400;
    doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    mp = (5 * doy + 2) / 153;
    d = doy - (153 * mp + 2) / 5 + 1;
    m = mp < 10 ? mp + 3 : mp - 9;
    *year = y + (m <= 2);
    *month = m;
    *day = d;
}

void
zf__format_date(int32_t z, char out[11])
{
    int32_t era, y;
    unsigned doe, yoe, doy, mp, d, m;

    z += 719468;
    era = (z >= 0 ? z : z - 146096) / 146097;
    doe = (unsigned)(z - era * 146097);
    yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
    y = (int32_t)yoe + era * 400;
    doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    mp = (5 * doy + 2) / 153;
    d = doy - (153 * mp + 2) / 5 + 1;
    m = mp < 10 ? mp + 3 : mp - 9;
    y += m <= 2;
    if (y < 0 || y > 9999)
        y = 0;
    out[0] = (char)('0' + y / 1000);
    out[1] = (char)('0' + y / 100 % 10);
    out[2] = (char)('0' + y / 10 % 10);
    out[3] = (char)('0' + y % 10);
    out[4] = '-';
    out[5] = (char)('0' + m / 10);
    out[6] = (char)('0' + m % 10);
    out[7] = '-';
    out[8] = (char)('0' + d / 10);
    out[9] = (char)('0' + d % 10);
    out[10] = '\0';
}
