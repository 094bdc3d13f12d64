/* SPDX-License-Identifier: MIT */
/*
 * Standalone replay driver (libgit2's fuzzers/standalone_driver.c idea):
 * links with one fuzz target instead of libFuzzer and runs it over every
 * file named on the command line, descending into directories. Built with
 * any compiler, so `meson test` replays the seed corpus and every past
 * finding (tests/fuzz/regress/) on each build.
 */
#include "config.h"

#include <dirent.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "fuzz-common.h"

__attribute__((weak)) int
LLVMFuzzerInitialize(int *argc, char ***argv)
{
    (void)argc;
    (void)argv;
    return 0;
}

static unsigned long n_run;

static int
run_file(const char *path)
{
    FILE *f = fopen(path, "rb");
    uint8_t *buf;
    long size;

    if (!f) {
        perror(path);
        return 1;
    }
    if (fseek(f, 0, SEEK_END) != 0 || (size = ftell(f)) < 0 ||
        fseek(f, 0, SEEK_SET) != 0) {
        fclose(f);
        perror(path);
        return 1;
    }
    /* an exact-size heap copy, so ASan sees any over-read */
    buf = malloc(size ? (size_t)size : 1);
    if (!buf || fread(buf, 1, (size_t)size, f) != (size_t)size) {
        fclose(f);
        free(buf);
        fprintf(stderr, "%s: read error\n", path);
        return 1;
    }
    fclose(f);
    if (getenv("ZF_FUZZ_VERBOSE"))
        fprintf(stderr, "replay %s (%ld bytes)\n", path, size);
    LLVMFuzzerTestOneInput(buf, (size_t)size);
    free(buf);
    n_run++;
    return 0;
}

static int
cmp_str(const void *a, const void *b)
{
    return strcmp(*(char *const *)a, *(char *const *)b);
}

static int
run_path(const char *path)
{
    struct stat st;
    DIR *d;
    struct dirent *e;
    char **names = NULL;
    size_t n = 0, cap = 0, i;
    int rc = 0;

    if (stat(path, &st) != 0) {
        perror(path);
        return 1;
    }
    if (!S_ISDIR(st.st_mode))
        return run_file(path);
    d = opendir(path);
    if (!d) {
        perror(path);
        return 1;
    }
    while ((e = readdir(d))) {
        size_t len;
        if (e->d_name[0] == '.')
            continue;
        if (n == cap) {
            cap = cap ? cap * 2 : 64;
            names = realloc(names, cap * sizeof(*names));
            if (!names)
                abort();
        }
        len = strlen(path) + strlen(e->d_name) + 2;
        names[n] = malloc(len);
        if (!names[n])
            abort();
        snprintf(names[n], len, "%s/%s", path, e->d_name);
        n++;
    }
    closedir(d);
    if (n)
        qsort(names, n, sizeof(*names), cmp_str);
    for (i = 0; i < n; i++) {
        rc |= run_path(names[i]);
        free(names[i]);
    }
    free(names);
    return rc;
}

int
main(int argc, char **argv)
{
    int i, rc = 0;

    LLVMFuzzerInitialize(&argc, &argv);
    for (i = 1; i < argc; i++)
        rc |= run_path(argv[i]);
    printf("%lu inputs replayed, %s\n", n_run, rc ? "with errors" : "ok");
    return rc;
}
