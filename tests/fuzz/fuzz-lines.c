/* SPDX-License-Identifier: MIT */
/*
 * fuzz-lines: the bounded line reader of `zhifa batch` over arbitrary bytes
 * with a small bound (the first byte picks it, 1..64). Every line it returns
 * holds no newline and at most `max` bytes; a too-long line is empty; the
 * lines and the newlines between them account for every input byte.
 */
#include "config.h"

#include <stdio.h>

#include "fuzz-common.h"
#include "linereader.h"

int
LLVMFuzzerInitialize(int *argc, char ***argv)
{
    (void)argc;
    (void)argv;
    return 0;
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    static struct line_reader r;     /* 64 KiB chunk: not on the stack */
    size_t max, lines = 0, newlines = 0, kept = 0, i;
    FILE *f;
    int got;

    if (size < 1)
        return 0;
    max = 1 + data[0] % 64;
    data++;
    size--;
    for (i = 0; i < size; i++)
        newlines += data[i] == '\n';
    f = size ? fmemopen((void *)data, size, "rb") : fopen("/dev/null", "rb");
    FUZZ_CHECK(f != NULL);
    FUZZ_CHECK(line_reader_init(&r, f, max));
    while ((got = line_reader_next(&r)) > 0) {
        lines++;
        FUZZ_CHECK(r.len <= max);
        FUZZ_CHECK(memchr(r.line, '\n', r.len) == NULL);
        FUZZ_CHECK(r.line[r.len] == '\0');
        if (r.too_long)
            FUZZ_CHECK(r.len == 0);
        kept += r.len;
    }
    FUZZ_CHECK(got == 0);
    /* one line per newline, plus a last one without it */
    FUZZ_CHECK(lines == newlines + (size && data[size - 1] != '\n'));
    FUZZ_CHECK(kept <= size - newlines);
    line_reader_free(&r);
    fclose(f);
    return 0;
}
