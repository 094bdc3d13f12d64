/* SPDX-License-Identifier: MIT */
#include "linereader.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>

bool
line_reader_init(struct line_reader *r, FILE *f, size_t max)
{
    r->f = f;
    r->max = max;
    r->len = 0;
    r->too_long = false;
    r->pos = r->fill = 0;
    r->line = malloc(max + 1);
    return r->line != NULL;
}

int
line_reader_next(struct line_reader *r)
{
    bool any = false;

    r->len = 0;
    r->too_long = false;
    for (;;) {
        const char *p, *nl;
        size_t n;

        if (r->pos == r->fill) {
            r->pos = 0;
            r->fill = fread(r->chunk, 1, sizeof(r->chunk), r->f);
            if (r->fill == 0) {
                if (ferror(r->f))
                    return -1;
                break;
            }
        }
        any = true;
        p = r->chunk + r->pos;
        nl = memchr(p, '\n', r->fill - r->pos);
        n = nl ? (size_t)(nl - p) : r->fill - r->pos;
        if (!r->too_long) {
            if (n > r->max - r->len) {
                r->too_long = true;   /* skip the rest, keep nothing */
                r->len = 0;
            } else {
                memcpy(r->line + r->len, p, n);
                r->len += n;
            }
        }
        r->pos += n + (nl != NULL);
        if (nl)
            break;
    }
    r->line[r->len] = '\0';
    return any ? 1 : 0;
}

void
line_reader_free(struct line_reader *r)
{
    free(r->line);
    r->line = NULL;
}
