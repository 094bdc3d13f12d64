/* SPDX-License-Identifier: MIT */
/* JSON output shared by render.c, list.c and checklist.c: see
 * json-out-private.h. */
#include "config.h"

#include <stdbool.h>
#include <string.h>

#include "json-out-private.h"

void
zf__json_str_or_null(struct zf__buf *b, const char *s)
{
    if (s)
        zf__buf_json_str(b, s, strlen(s));
    else
        zf__buf_puts(b, "null");
}

void
zf__json_indent(struct zf__buf *out, const char *s, size_t n)
{
    size_t i, depth = 0, k;
    bool in_str = false;

    for (i = 0; i < n; i++) {
        char c = s[i];
        if (in_str) {
            zf__buf_putc(out, c);
            if (c == '\\' && i + 1 < n)
                zf__buf_putc(out, s[++i]);
            else if (c == '"')
                in_str = false;
            continue;
        }
        switch (c) {
        case '"':
            in_str = true;
            zf__buf_putc(out, c);
            break;
        case '{':
        case '[':
            if (i + 1 < n && (s[i + 1] == '}' || s[i + 1] == ']')) {
                zf__buf_putc(out, c);
                zf__buf_putc(out, s[++i]);
                break;
            }
            zf__buf_putc(out, c);
            depth++;
            zf__buf_putc(out, '\n');
            for (k = 0; k < depth; k++)
                zf__buf_puts(out, "  ");
            break;
        case '}':
        case ']':
            depth--;
            zf__buf_putc(out, '\n');
            for (k = 0; k < depth; k++)
                zf__buf_puts(out, "  ");
            zf__buf_putc(out, c);
            break;
        case ',':
            zf__buf_putc(out, c);
            zf__buf_putc(out, '\n');
            for (k = 0; k < depth; k++)
                zf__buf_puts(out, "  ");
            break;
        case ':':
            zf__buf_puts(out, ": ");
            break;
        default:
            zf__buf_putc(out, c);
        }
    }
    zf__buf_putc(out, '\n');
}
