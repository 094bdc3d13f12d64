/* SPDX-License-Identifier: MIT */
/*
 * A line reader with a bound: memory stays O(max) whatever the input (one
 * endless line, /dev/zero, a 200 MB line). A line longer than `max` bytes is
 * skipped to its newline and reported as too long instead of being read.
 */
#ifndef ZHIFA_LINEREADER_H
#define ZHIFA_LINEREADER_H

#include <stdbool.h>
#include <stdio.h>

struct line_reader {
    FILE *f;
    size_t max;          /* longest line kept, newline excluded */
    char *line;          /* the current line (max + 1 bytes), NUL-ended */
    size_t len;          /* its length */
    bool too_long;       /* the current line exceeded max and was skipped */
    char chunk[65536];
    size_t pos, fill;
};

/* Prepare to read `f` with lines of at most `max` bytes. Returns false when
 * out of memory. */
bool line_reader_init(struct line_reader *r, FILE *f, size_t max);

/*
 * Read the next line into r->line / r->len (without the newline; a final
 * line without one counts). When it was longer than max, r->too_long is set
 * and r->len is 0. Returns 1 for a line, 0 at the end, -1 on a read error
 * (errno set).
 */
int line_reader_next(struct line_reader *r);

void line_reader_free(struct line_reader *r);

#endif
