/* SPDX-License-Identifier: MIT */
/*
 * _zhifa — the CPython extension under the `zhifa` package. A thin client
 * of the public C API (include/zhifa/zhifa.h) only.
 *
 * Ruleset owns a zf_context and one zf_ruleset reference, plus a pool of
 * idle zf_evaluators: each concurrent call takes one, so every thread
 * evaluates with its own evaluator while the rule set is shared.
 *
 * evaluate() and evaluate_batch() parse, evaluate and render with the GIL
 * released (once per call, for one case or a whole chunk), and free the C
 * case and decision before returning: the Python layer keeps the rendered
 * JSON, and the case text to have the same deterministic decision
 * rendered again for explain(). Holding the C objects instead cost about
 * 13 KB per decision and doubled the time of a batch (malloc and page
 * faults), and a C decision borrows strings from its case, so both would
 * have to live on.
 *
 * The pool is only touched with the GIL held. Every zhifa status becomes
 * a Python exception in one place: status_exception().
 */
#define PY_SSIZE_T_CLEAN
#include <Python.h>

#include <limits.h>
#include <stdbool.h>
#include <stdint.h>
#include <string.h>

#include "zhifa/zhifa.h"
#include "zhifa-py-config.h"

/* Idle evaluators kept per rule set; more than this are freed on return. */
#define POOL_MAX 256

/* PyType_Slot and PyModuleDef_Slot hold functions in a `void *`: ISO C
 * leaves that conversion undefined, POSIX and CPython rely on it. */
#if defined(__GNUC__)
#define FUNC_SLOT(f) (__extension__(void *)(f))
#else
#define FUNC_SLOT(f) ((void *)(f))
#endif

typedef struct {
    PyObject *Error;
    PyObject *RuleError;
    PyObject *CaseError;
    PyObject *IndeterminateError;
    PyTypeObject *RulesetType;
} modstate;

typedef struct {
    PyObject_HEAD
    zf_context *ctx;
    zf_ruleset *rs;
    zf_evaluator **pool;    /* idle evaluators; GIL held to touch */
    size_t pool_len, pool_cap;
} RulesetObject;

/* Where an error came from decides which exception it becomes. */
enum origin {
    ORIGIN_RULES,   /* loading or compiling a rule set */
    ORIGIN_CASE,    /* parsing or evaluating a case */
    ORIGIN_ITEM,    /* looking an item up by id */
    ORIGIN_OTHER    /* rendering, listing */
};

static struct PyModuleDef zhifa_module;

static modstate *
state_of_module(PyObject *module)
{
    return (modstate *)PyModule_GetState(module);
}

static modstate *
state_of_type(PyTypeObject *tp)
{
    PyObject *m = PyType_GetModuleByDef(tp, &zhifa_module);
    return m ? state_of_module(m) : NULL;
}

static const struct {
    const char *name;
    zf_limit id;
} limit_names[] = {
    {"file_size", ZF_LIMIT_FILE_SIZE},
    {"yaml_depth", ZF_LIMIT_YAML_DEPTH},
    {"scalar_length", ZF_LIMIT_SCALAR_LENGTH},
    {"rules", ZF_LIMIT_RULES},
    {"list_items", ZF_LIMIT_LIST_ITEMS},
    {"expr_depth", ZF_LIMIT_EXPR_DEPTH},
    {"pattern_length", ZF_LIMIT_PATTERN_LENGTH},
    {"regex_nest", ZF_LIMIT_REGEX_NEST},
    {"regex_size", ZF_LIMIT_REGEX_SIZE},
    {"match", ZF_LIMIT_MATCH},
    {"match_depth", ZF_LIMIT_MATCH_DEPTH},
    {"match_heap", ZF_LIMIT_MATCH_HEAP},
    {"subject_length", ZF_LIMIT_SUBJECT_LENGTH},
    {"json_size", ZF_LIMIT_JSON_SIZE},
    {"json_depth", ZF_LIMIT_JSON_DEPTH},
    {"violations", ZF_LIMIT_VIOLATIONS},
    {"files", ZF_LIMIT_FILES},
};

#define N_LIMITS (sizeof(limit_names) / sizeof(limit_names[0]))

/* ------------------------------------------------------------------ */
/* errors: the one place where a zf_status becomes an exception */

static PyObject *
str_or_none(const char *s)
{
    if (!s || !*s)
        Py_RETURN_NONE;
    /* the library truncates on character boundaries; be lenient anyway */
    return PyUnicode_DecodeUTF8(s, (Py_ssize_t)strlen(s), "replace");
}

static PyObject *
uint_or_none(unsigned v)
{
    if (!v)
        Py_RETURN_NONE;
    return PyLong_FromUnsignedLong(v);
}

static int
set_attr_steal(PyObject *o, const char *name, PyObject *v)
{
    int r;

    if (!v)
        return -1;
    r = PyObject_SetAttrString(o, name, v);
    Py_DECREF(v);
    return r;
}

/* Attach the zf_error fields to an exception instance. */
static int
fill_error_attrs(PyObject *exc, zf_status rc, const zf_error *err,
                 const char *fallback_source)
{
    const char *src = err->source[0] ? err->source : fallback_source;

    if (set_attr_steal(exc, "status", PyLong_FromLong(rc)) < 0 ||
        set_attr_steal(exc, "code", PyLong_FromLong(err->diag)) < 0 ||
        set_attr_steal(exc, "message", str_or_none(err->message)) < 0 ||
        set_attr_steal(exc, "source", str_or_none(src)) < 0 ||
        set_attr_steal(exc, "path", str_or_none(err->path)) < 0 ||
        set_attr_steal(exc, "rule_id", str_or_none(err->rule_id)) < 0 ||
        set_attr_steal(exc, "line", uint_or_none(err->line)) < 0 ||
        set_attr_steal(exc, "column", uint_or_none(err->column)) < 0)
        return -1;
    if (err->offset == (size_t)-1)
        return PyObject_SetAttrString(exc, "offset", Py_None);
    return set_attr_steal(exc, "offset", PyLong_FromSize_t(err->offset));
}

/* "rules/x.yaml:4:3: [ZF-101] unknown key" or "[ZF-201] a.b: ..." */
static PyObject *
format_error(const zf_error *err, const char *src)
{
    int diag = err->diag ? err->diag : ZF_DIAG_INTERNAL;
    const char *msg = err->message[0] ? err->message : "unknown error";

    if (src && *src && err->line)
        return PyUnicode_FromFormat("%s:%u:%u: [ZF-%03d] %s", src, err->line,
                                    err->column, diag, msg);
    if (src && *src)
        return PyUnicode_FromFormat("%s: [ZF-%03d] %s", src, diag, msg);
    if (err->line)
        return PyUnicode_FromFormat("line %u, column %u: [ZF-%03d] %s",
                                    err->line, err->column, diag, msg);
    return PyUnicode_FromFormat("[ZF-%03d] %s", diag, msg);
}

/*
 * The one place where a zf_status becomes a Python exception. Returns a
 * new exception instance, or NULL with an error set (always so for
 * ZF_ENOMEM, which is MemoryError).
 */
static PyObject *
status_exception(modstate *st, zf_status rc, const zf_error *err,
                 enum origin origin, const char *fallback_source)
{
    zf_error none = ZF_ERROR_INIT;
    PyObject *type, *text, *exc;
    const char *src;

    if (!err)
        err = &none;
    if (rc == ZF_ENOMEM) {
        PyErr_NoMemory();
        return NULL;
    }
    src = err->source[0] ? err->source : fallback_source;
    if (origin == ORIGIN_CASE && !err->source[0])
        src = NULL;
    switch (rc) {
    case ZF_EIO:
        type = PyExc_OSError;
        break;
    case ZF_EINVAL:
        type = PyExc_ValueError;
        break;
    case ZF_EINDETERMINATE:
        type = st->IndeterminateError;
        break;
    case ZF_ESYNTAX:
    case ZF_ESCHEMA:
    case ZF_ELIMIT:
    case ZF_EREGEX:
    case ZF_EINPUT:
        if (origin == ORIGIN_ITEM) {
            /* an unknown item id: a missing key, with the suggestion */
            PyObject *m = str_or_none(err->message);
            if (!m)
                return NULL;
            exc = PyObject_CallOneArg(PyExc_KeyError, m);
            Py_DECREF(m);
            return exc;
        }
        if (origin == ORIGIN_RULES)
            type = st->RuleError;
        else if (origin == ORIGIN_CASE)
            type = st->CaseError;
        else
            type = st->Error;
        break;
    default: /* ZF_EINTERNAL and anything new */
        type = st->Error;
        break;
    }
    text = format_error(err, src);
    if (!text)
        return NULL;
    exc = PyObject_CallOneArg(type, text);
    Py_DECREF(text);
    if (!exc)
        return NULL;
    /* zf_error carries no errno, so an OSError cannot be the precise
     * subclass (FileNotFoundError, ...); its .source names the file. Not
     * setting .filename keeps str(exc) free of "[Errno None]". */
    if (type != PyExc_ValueError &&
        fill_error_attrs(exc, rc, err, fallback_source) < 0) {
        Py_DECREF(exc);
        return NULL;
    }
    return exc;
}

/* Raise the exception for a failed status; always returns NULL. */
static PyObject *
raise_status(modstate *st, zf_status rc, const zf_error *err,
             enum origin origin, const char *fallback_source)
{
    PyObject *exc = status_exception(st, rc, err, origin, fallback_source);

    if (exc) {
        PyErr_SetObject((PyObject *)Py_TYPE(exc), exc);
        Py_DECREF(exc);
    }
    return NULL;
}

/* ------------------------------------------------------------------ */
/* Ruleset */

static void
ruleset_dealloc(PyObject *o)
{
    RulesetObject *self = (RulesetObject *)o;
    PyTypeObject *tp = Py_TYPE(o);
    size_t i;

    for (i = 0; i < self->pool_len; i++)
        zf_evaluator_free(self->pool[i]);
    PyMem_Free(self->pool);
    zf_ruleset_unref(self->rs);
    zf_context_free(self->ctx);
    tp->tp_free(o);
    Py_DECREF(tp);
}

static zf_evaluator *
pool_take(modstate *st, RulesetObject *self)
{
    zf_evaluator *ev = NULL;
    zf_status rc;

    if (self->pool_len)
        return self->pool[--self->pool_len];
    rc = zf_evaluator_new(&ev, self->ctx);
    if (rc != ZF_OK) {
        raise_status(st, rc, NULL, ORIGIN_OTHER, NULL);
        return NULL;
    }
    return ev;
}

static void
pool_give(RulesetObject *self, zf_evaluator *ev)
{
    if (self->pool_len == self->pool_cap && self->pool_cap < POOL_MAX) {
        size_t cap = self->pool_cap ? self->pool_cap * 2 : 4;
        zf_evaluator **np = PyMem_Realloc(self->pool, cap * sizeof(*np));
        if (np) {
            self->pool = np;
            self->pool_cap = cap;
        }
    }
    if (self->pool_len < self->pool_cap)
        self->pool[self->pool_len++] = ev;
    else
        zf_evaluator_free(ev);
}

static int
apply_limits(zf_context *ctx, PyObject *limits)
{
    PyObject *key, *value;
    Py_ssize_t pos = 0;

    if (!limits || limits == Py_None)
        return 0;
    if (!PyDict_Check(limits)) {
        PyErr_SetString(PyExc_TypeError, "limits must be a dict");
        return -1;
    }
    while (PyDict_Next(limits, &pos, &key, &value)) {
        const char *name;
        long v;
        size_t i;

        if (!PyUnicode_Check(key)) {
            PyErr_SetString(PyExc_TypeError, "limit names must be str");
            return -1;
        }
        name = PyUnicode_AsUTF8(key);
        if (!name)
            return -1;
        for (i = 0; i < N_LIMITS; i++)
            if (strcmp(limit_names[i].name, name) == 0)
                break;
        if (i == N_LIMITS) {
            PyErr_Format(PyExc_ValueError, "unknown limit '%s'", name);
            return -1;
        }
        if (!PyLong_Check(value) || PyBool_Check(value)) {
            PyErr_Format(PyExc_TypeError, "limit '%s' must be an int", name);
            return -1;
        }
        v = PyLong_AsLong(value);
        if (v == -1 && PyErr_Occurred())
            return -1;
        if (v < 1) {
            PyErr_Format(PyExc_ValueError, "limit '%s' must be at least 1",
                         name);
            return -1;
        }
        zf_context_set_limit(ctx, limit_names[i].id, v);
    }
    return 0;
}

/* Make a Ruleset object around a fresh context; `rs` is filled later. */
static RulesetObject *
ruleset_new(modstate *st, PyObject *limits)
{
    RulesetObject *self;
    zf_status rc;

    self = (RulesetObject *)st->RulesetType->tp_alloc(st->RulesetType, 0);
    if (!self)
        return NULL;
    rc = zf_context_new(&self->ctx);
    if (rc != ZF_OK) {
        Py_DECREF(self);
        return (RulesetObject *)raise_status(st, rc, NULL, ORIGIN_OTHER,
                                             NULL);
    }
    if (apply_limits(self->ctx, limits) < 0) {
        Py_DECREF(self);
        return NULL;
    }
    return self;
}

static PyObject *
ruleset_str(const char *s)
{
    return PyUnicode_DecodeUTF8(s ? s : "", s ? (Py_ssize_t)strlen(s) : 0,
                                "replace");
}

static PyObject *
ruleset_get_id(PyObject *o, void *closure)
{
    return ruleset_str(zf_ruleset_id(((RulesetObject *)o)->rs));
}

static PyObject *
ruleset_get_version(PyObject *o, void *closure)
{
    return ruleset_str(zf_ruleset_version(((RulesetObject *)o)->rs));
}

static PyObject *
ruleset_get_digest(PyObject *o, void *closure)
{
    return ruleset_str(zf_ruleset_digest(((RulesetObject *)o)->rs));
}

static PyObject *
ruleset_get_generation(PyObject *o, void *closure)
{
    return PyLong_FromUnsignedLongLong(
        zf_ruleset_generation(((RulesetObject *)o)->rs));
}

static PyObject *
ruleset_get_domain_count(PyObject *o, void *closure)
{
    return PyLong_FromSize_t(
        zf_ruleset_domain_count(((RulesetObject *)o)->rs));
}

static PyObject *
ruleset_get_item_count(PyObject *o, void *closure)
{
    return PyLong_FromSize_t(zf_ruleset_item_count(((RulesetObject *)o)->rs));
}

static PyObject *
ruleset_get_limits(PyObject *o, void *closure)
{
    RulesetObject *self = (RulesetObject *)o;
    PyObject *d = PyDict_New();
    size_t i;

    if (!d)
        return NULL;
    for (i = 0; i < N_LIMITS; i++) {
        long v = zf_context_set_limit(self->ctx, limit_names[i].id, -1);
        PyObject *pv = PyLong_FromLong(v);

        if (!pv || PyDict_SetItemString(d, limit_names[i].name, pv) < 0) {
            Py_XDECREF(pv);
            Py_DECREF(d);
            return NULL;
        }
        Py_DECREF(pv);
    }
    return d;
}

/* A buffer rendered by the library becomes a str and is freed. */
static PyObject *
take_rendered(zf_context *ctx, char *s, size_t n)
{
    PyObject *r = PyUnicode_DecodeUTF8(s, (Py_ssize_t)n, "strict");

    zf_free(ctx, s);
    return r;
}

static int
check_format(int format, int lo, int hi)
{
    if (format < lo || format > hi) {
        PyErr_Format(PyExc_ValueError, "unknown format %d", format);
        return -1;
    }
    return 0;
}

PyDoc_STRVAR(ruleset_list_doc,
"list(format=LIST_JSON) -> str\n\n"
"The catalogue of domains and items, as `zhifa list` prints it:\n"
"LIST_JSON (CONTRACT.md `list --json` shape), LIST_TEXT or LIST_MARKDOWN.");

static PyObject *
ruleset_list(PyObject *o, PyObject *args, PyObject *kwds)
{
    static const char *kwlist[] = {"format", NULL};
    RulesetObject *self = (RulesetObject *)o;
    zf_error err = ZF_ERROR_INIT;
    int format = ZF_LIST_JSON;
    char *s = NULL;
    size_t n = 0;
    zf_status rc;

    if (!PyArg_ParseTupleAndKeywords(args, kwds, "|i:list", (char **)kwlist,
                                     &format))
        return NULL;
    if (check_format(format, ZF_LIST_TEXT, ZF_LIST_MARKDOWN) < 0)
        return NULL;
    rc = zf_ruleset_list(&s, &n, self->rs, format, &err);
    if (rc != ZF_OK)
        return raise_status(state_of_type(Py_TYPE(o)), rc, &err,
                            ORIGIN_OTHER, NULL);
    return take_rendered(self->ctx, s, n);
}

PyDoc_STRVAR(ruleset_plan_doc,
"plan(format=LIST_JSON) -> str\n\n"
"The enforcement plan's key items per domain, as `zhifa list --plan`\n"
"prints it (LIST_JSON, LIST_TEXT or LIST_MARKDOWN). Raises zhifa.Error\n"
"when the rule set has no plan.");

static PyObject *
ruleset_plan(PyObject *o, PyObject *args, PyObject *kwds)
{
    static const char *kwlist[] = {"format", NULL};
    RulesetObject *self = (RulesetObject *)o;
    zf_error err = ZF_ERROR_INIT;
    int format = ZF_LIST_JSON;
    char *s = NULL;
    size_t n = 0;
    zf_status rc;

    if (!PyArg_ParseTupleAndKeywords(args, kwds, "|i:plan", (char **)kwlist,
                                     &format))
        return NULL;
    if (check_format(format, ZF_LIST_TEXT, ZF_LIST_MARKDOWN) < 0)
        return NULL;
    rc = zf_ruleset_plan(&s, &n, self->rs, format, &err);
    if (rc != ZF_OK)
        return raise_status(state_of_type(Py_TYPE(o)), rc, &err,
                            ORIGIN_OTHER, NULL);
    return take_rendered(self->ctx, s, n);
}

PyDoc_STRVAR(ruleset_checklist_doc,
"checklist(domains, format=LIST_JSON) -> str\n\n"
"An enterprise's combined checklist (综合清单), as `zhifa checklist`\n"
"prints it: `domains` is a sequence of domain ids or Chinese names.\n"
"Raises KeyError for an unknown domain (the message suggests the closest).");

static PyObject *
ruleset_checklist(PyObject *o, PyObject *args, PyObject *kwds)
{
    static const char *kwlist[] = {"domains", "format", NULL};
    RulesetObject *self = (RulesetObject *)o;
    zf_error err = ZF_ERROR_INIT;
    PyObject *seq, *fast, *res = NULL;
    const char **names = NULL;
    int format = ZF_LIST_JSON;
    Py_ssize_t i, k;
    char *s = NULL;
    size_t n = 0;
    zf_status rc;

    if (!PyArg_ParseTupleAndKeywords(args, kwds, "O|i:checklist",
                                     (char **)kwlist, &seq, &format))
        return NULL;
    if (check_format(format, ZF_LIST_TEXT, ZF_LIST_MARKDOWN) < 0)
        return NULL;
    if (PyUnicode_Check(seq) || PyBytes_Check(seq)) {
        PyErr_SetString(PyExc_TypeError,
                        "domains is a sequence of str, not one str");
        return NULL;
    }
    fast = PySequence_Fast(seq, "domains is a sequence of str");
    if (!fast)
        return NULL;
    k = PySequence_Fast_GET_SIZE(fast);
    names = PyMem_Calloc((size_t)k + 1, sizeof(*names));
    if (!names) {
        PyErr_NoMemory();
        goto out;
    }
    for (i = 0; i < k; i++) {
        PyObject *it = PySequence_Fast_GET_ITEM(fast, i);
        Py_ssize_t len;
        if (!PyUnicode_Check(it)) {
            PyErr_SetString(PyExc_TypeError, "a domain is a str");
            goto out;
        }
        names[i] = PyUnicode_AsUTF8AndSize(it, &len);
        if (!names[i])
            goto out;
        if ((size_t)len != strlen(names[i])) {
            PyErr_SetString(PyExc_ValueError, "a domain contains NUL");
            goto out;
        }
    }
    rc = zf_ruleset_checklist(&s, &n, self->rs, names, (size_t)k, format,
                              &err);
    if (rc != ZF_OK)
        raise_status(state_of_type(Py_TYPE(o)), rc, &err, ORIGIN_ITEM, NULL);
    else
        res = take_rendered(self->ctx, s, n);
out:
    PyMem_Free(names);
    Py_DECREF(fast);
    return res;
}

PyDoc_STRVAR(ruleset_show_doc,
"show(item_id, format=LIST_JSON) -> str\n\n"
"One item as `zhifa show` prints it (LIST_JSON or LIST_TEXT).\n"
"Raises KeyError for an unknown id (the message suggests the closest).");

static PyObject *
ruleset_show(PyObject *o, PyObject *args, PyObject *kwds)
{
    static const char *kwlist[] = {"item_id", "format", NULL};
    RulesetObject *self = (RulesetObject *)o;
    zf_error err = ZF_ERROR_INIT;
    const char *id;
    Py_ssize_t id_len;
    int format = ZF_LIST_JSON;
    char *s = NULL;
    size_t n = 0;
    zf_status rc;

    if (!PyArg_ParseTupleAndKeywords(args, kwds, "s#|i:show", (char **)kwlist,
                                     &id, &id_len, &format))
        return NULL;
    if (check_format(format, ZF_LIST_TEXT, ZF_LIST_JSON) < 0)
        return NULL;
    if ((size_t)id_len != strlen(id)) {
        PyErr_SetString(PyExc_ValueError, "item id contains NUL");
        return NULL;
    }
    rc = zf_ruleset_show(&s, &n, self->rs, id, format, &err);
    if (rc != ZF_OK)
        return raise_status(state_of_type(Py_TYPE(o)), rc, &err, ORIGIN_ITEM,
                            NULL);
    return take_rendered(self->ctx, s, n);
}

/* Parse, evaluate and render one case. Called without the GIL. */
static zf_status
eval_one(RulesetObject *self, zf_evaluator *ev, const char *buf, size_t len,
         int format, char **out, size_t *out_len, zf_error *err)
{
    zf_case *cs = NULL;
    zf_decision *dec = NULL;
    zf_status rc;

    rc = zf_case_parse(&cs, self->ctx, buf, len, err);
    if (rc == ZF_OK)
        rc = zf_evaluate(&dec, ev, self->rs, cs, err);
    if (rc == ZF_OK)
        rc = zf_decision_render(out, out_len, dec, format, err);
    /* the decision borrows from the case: free it first */
    zf_decision_free(dec);
    zf_case_free(cs);
    return rc;
}

PyDoc_STRVAR(ruleset_evaluate_doc,
"evaluate(case_json, format=RENDER_JSON, raw=False) -> str | bytes\n\n"
"Parse and evaluate one case given as JSON text (str, or a bytes-like\n"
"object holding UTF-8) and return the decision rendered as `format`:\n"
"RENDER_JSON is byte-for-byte what `zhifa eval --compact` prints,\n"
"RENDER_JSON_PRETTY what `zhifa eval` prints, RENDER_TEXT the Chinese\n"
"裁量说明 of `zhifa eval --text`. The GIL is released while the library\n"
"works; any number of threads may call this at once. With raw=True the\n"
"result is the UTF-8 bytes, undecoded.\n"
"Raises CaseError, IndeterminateError, MemoryError.");

static PyObject *
ruleset_evaluate(PyObject *o, PyObject *args, PyObject *kwds)
{
    static const char *kwlist[] = {"case_json", "format", "raw", NULL};
    RulesetObject *self = (RulesetObject *)o;
    modstate *st = state_of_type(Py_TYPE(o));
    zf_error err = ZF_ERROR_INIT;
    PyObject *arg;
    int format = ZF_RENDER_JSON, raw = 0;
    Py_buffer view;
    bool have_view = false;
    const char *buf;
    Py_ssize_t len;
    zf_evaluator *ev;
    PyObject *result;
    char *out = NULL;
    size_t out_len = 0;
    zf_status rc;

    if (!st)
        return NULL;
    if (!PyArg_ParseTupleAndKeywords(args, kwds, "O|ip:evaluate",
                                     (char **)kwlist, &arg, &format, &raw))
        return NULL;
    if (check_format(format, ZF_RENDER_JSON, ZF_RENDER_TEXT) < 0)
        return NULL;
    if (PyUnicode_Check(arg)) {
        /* the UTF-8 form is cached in the str, which the argument tuple
         * keeps alive for the whole call */
        buf = PyUnicode_AsUTF8AndSize(arg, &len);
        if (!buf)
            return NULL;
    } else if (PyObject_CheckBuffer(arg)) {
        /* an exported buffer cannot be resized while we read it */
        if (PyObject_GetBuffer(arg, &view, PyBUF_SIMPLE) < 0)
            return NULL;
        have_view = true;
        buf = view.buf;
        len = view.len;
    } else {
        return PyErr_Format(PyExc_TypeError,
                            "case JSON must be str or bytes, not %.100s",
                            Py_TYPE(arg)->tp_name);
    }
    ev = pool_take(st, self);
    if (!ev) {
        if (have_view)
            PyBuffer_Release(&view);
        return NULL;
    }
    Py_BEGIN_ALLOW_THREADS
    rc = eval_one(self, ev, buf, (size_t)len, format, &out, &out_len, &err);
    Py_END_ALLOW_THREADS
    pool_give(self, ev);
    if (have_view)
        PyBuffer_Release(&view);
    if (rc != ZF_OK) {
        zf_free(self->ctx, out);
        return raise_status(st, rc, &err, ORIGIN_CASE, NULL);
    }
    if (!raw)
        return take_rendered(self->ctx, out, out_len);
    result = PyBytes_FromStringAndSize(out, (Py_ssize_t)out_len);
    zf_free(self->ctx, out);
    return result;
}

struct job {
    const char *buf;
    size_t len;
    char *out;
    size_t out_len;
    zf_status rc;
    zf_error *err;      /* only for a failed case */
    Py_buffer view;     /* held for a bytes-like case other than bytes */
    bool have_view;
};

PyDoc_STRVAR(ruleset_evaluate_batch_doc,
"evaluate_batch(cases) -> list\n\n"
"Evaluate a sequence of cases given as JSON text (str, or a bytes-like\n"
"object holding UTF-8, as evaluate() takes) with one\n"
"evaluator, releasing the GIL once for the whole sequence. Returns a\n"
"list in the same order holding, for each case, its compact decision\n"
"JSON as UTF-8 bytes or, when that case failed, the exception evaluate()\n"
"would have raised (CaseError, IndeterminateError, ...). Running out of\n"
"memory raises MemoryError for the whole call.");

static PyObject *
ruleset_evaluate_batch(PyObject *o, PyObject *arg)
{
    static const zf_error err_init = ZF_ERROR_INIT;
    RulesetObject *self = (RulesetObject *)o;
    modstate *st = state_of_type(Py_TYPE(o));
    PyObject *seq, *result = NULL;
    struct job *jobs = NULL;
    zf_evaluator *ev = NULL;
    Py_ssize_t n, i;

    if (!st)
        return NULL;
    /* a tuple of our own: its items stay alive while the GIL is released */
    seq = PySequence_Tuple(arg);
    if (!seq)
        return NULL;
    n = PyTuple_GET_SIZE(seq);
    jobs = PyMem_Calloc(n ? (size_t)n : 1, sizeof(*jobs));
    if (!jobs) {
        PyErr_NoMemory();
        goto out;
    }
    for (i = 0; i < n; i++) {
        PyObject *item = PyTuple_GET_ITEM(seq, i);
        Py_ssize_t len;

        if (PyUnicode_Check(item)) {
            jobs[i].buf = PyUnicode_AsUTF8AndSize(item, &len);
            if (!jobs[i].buf)
                goto out;
        } else if (PyBytes_Check(item)) {
            jobs[i].buf = PyBytes_AS_STRING(item);
            len = PyBytes_GET_SIZE(item);
        } else if (PyObject_CheckBuffer(item)) {
            /* any bytes-like object, as evaluate() takes: the exported
             * buffer cannot be resized or freed until it is released at
             * the end of the call, after the GIL is held again */
            if (PyObject_GetBuffer(item, &jobs[i].view, PyBUF_SIMPLE) < 0)
                goto out;
            jobs[i].have_view = true;
            jobs[i].buf = jobs[i].view.buf;
            len = jobs[i].view.len;
        } else {
            PyErr_Format(PyExc_TypeError,
                         "case %zd: JSON text must be str or bytes, not "
                         "%.100s", i, Py_TYPE(item)->tp_name);
            goto out;
        }
        jobs[i].len = (size_t)len;
    }
    ev = pool_take(st, self);
    if (!ev)
        goto out;
    Py_BEGIN_ALLOW_THREADS
    for (i = 0; i < n; i++) {
        zf_error err = err_init;
        struct job *j = &jobs[i];

        j->rc = eval_one(self, ev, j->buf, j->len, ZF_RENDER_JSON, &j->out,
                         &j->out_len, &err);
        if (j->rc != ZF_OK) {
            /* raw: no GIL needed; a failed copy is reported as ENOMEM */
            j->err = PyMem_RawMalloc(sizeof(err));
            if (j->err)
                memcpy(j->err, &err, sizeof(err));
            else
                j->rc = ZF_ENOMEM;
        }
    }
    Py_END_ALLOW_THREADS
    pool_give(self, ev);
    result = PyList_New(n);
    if (!result)
        goto out;
    for (i = 0; i < n; i++) {
        PyObject *r;

        if (jobs[i].rc == ZF_OK)
            r = PyBytes_FromStringAndSize(jobs[i].out,
                                          (Py_ssize_t)jobs[i].out_len);
        else
            r = status_exception(st, jobs[i].rc, jobs[i].err, ORIGIN_CASE,
                                 NULL);
        if (!r) {
            Py_CLEAR(result);
            goto out;
        }
        PyList_SET_ITEM(result, i, r);
    }
out:
    if (jobs) {
        for (i = 0; i < n; i++) {
            zf_free(self->ctx, jobs[i].out);
            PyMem_RawFree(jobs[i].err);
            if (jobs[i].have_view)
                PyBuffer_Release(&jobs[i].view);
        }
        PyMem_Free(jobs);
    }
    Py_DECREF(seq);
    return result;
}

static PyMethodDef ruleset_methods[] = {
    {"list", (PyCFunction)(void (*)(void))ruleset_list,
     METH_VARARGS | METH_KEYWORDS, ruleset_list_doc},
    {"show", (PyCFunction)(void (*)(void))ruleset_show,
     METH_VARARGS | METH_KEYWORDS, ruleset_show_doc},
    {"plan", (PyCFunction)(void (*)(void))ruleset_plan,
     METH_VARARGS | METH_KEYWORDS, ruleset_plan_doc},
    {"checklist", (PyCFunction)(void (*)(void))ruleset_checklist,
     METH_VARARGS | METH_KEYWORDS, ruleset_checklist_doc},
    {"evaluate", (PyCFunction)(void (*)(void))ruleset_evaluate,
     METH_VARARGS | METH_KEYWORDS, ruleset_evaluate_doc},
    {"evaluate_batch", ruleset_evaluate_batch, METH_O,
     ruleset_evaluate_batch_doc},
    {NULL, NULL, 0, NULL}};

static PyGetSetDef ruleset_getset[] = {
    {"id", ruleset_get_id, NULL, "The manifest's rule-set id.", NULL},
    {"version", ruleset_get_version, NULL, "The rule-set version string.",
     NULL},
    {"digest", ruleset_get_digest, NULL,
     "\"sha256:<hex>\" over every source file of the rule set.", NULL},
    {"generation", ruleset_get_generation, NULL,
     "0 for a rule set loaded directly.", NULL},
    {"domain_count", ruleset_get_domain_count, NULL, "Number of domains.",
     NULL},
    {"item_count", ruleset_get_item_count, NULL,
     "Number of checklist items.", NULL},
    {"limits", ruleset_get_limits, NULL,
     "The context limits in force, as a new dict {name: value}.", NULL},
    {NULL, NULL, NULL, NULL, NULL}};

PyDoc_STRVAR(ruleset_doc,
"A compiled, immutable rule set (create with load() or compile()).\n\n"
"Safe to share between threads: each concurrent evaluate() call uses its\n"
"own evaluator from a pool.");

static PyType_Slot ruleset_slots[] = {
    {Py_tp_dealloc, FUNC_SLOT(ruleset_dealloc)},
    {Py_tp_methods, ruleset_methods},
    {Py_tp_getset, ruleset_getset},
    {Py_tp_doc, (void *)ruleset_doc},
    {0, NULL}};

static PyType_Spec ruleset_spec = {
    .name = "zhifa._zhifa.Ruleset",
    .basicsize = sizeof(RulesetObject),
    .flags = Py_TPFLAGS_DEFAULT | Py_TPFLAGS_DISALLOW_INSTANTIATION |
             Py_TPFLAGS_IMMUTABLETYPE,
    .slots = ruleset_slots,
};

/* ------------------------------------------------------------------ */
/* module functions */

PyDoc_STRVAR(mod_load_doc,
"load(path, limits=None) -> Ruleset\n\n"
"Load and compile a rule set from a directory holding zhifa.yaml, or a\n"
"YAML file. `limits` is an optional dict {name: int} (see LIMITS).\n"
"Raises RuleError (with source, line, column), OSError, MemoryError.");

static PyObject *
mod_load(PyObject *module, PyObject *args, PyObject *kwds)
{
    static const char *kwlist[] = {"path", "limits", NULL};
    modstate *st = state_of_module(module);
    PyObject *path_bytes = NULL, *limits = Py_None;
    RulesetObject *self;
    zf_error err = ZF_ERROR_INIT;
    const char *path;
    zf_status rc;

    if (!PyArg_ParseTupleAndKeywords(args, kwds, "O&|O:load",
                                     (char **)kwlist, PyUnicode_FSConverter,
                                     &path_bytes, &limits))
        return NULL;
    self = ruleset_new(st, limits);
    if (!self) {
        Py_DECREF(path_bytes);
        return NULL;
    }
    path = PyBytes_AS_STRING(path_bytes);
    Py_BEGIN_ALLOW_THREADS
    rc = zf_ruleset_load(&self->rs, self->ctx, path, &err);
    Py_END_ALLOW_THREADS
    if (rc != ZF_OK) {
        raise_status(st, rc, &err, ORIGIN_RULES, path);
        Py_DECREF(path_bytes);
        Py_DECREF(self);
        return NULL;
    }
    Py_DECREF(path_bytes);
    return (PyObject *)self;
}

PyDoc_STRVAR(mod_compile_doc,
"compile(text, source_name='<string>', limits=None) -> Ruleset\n\n"
"Compile a self-contained single-file rule set from YAML text (str or\n"
"bytes). `source_name` is used in errors and traces. Raises RuleError.");

static PyObject *
mod_compile(PyObject *module, PyObject *args, PyObject *kwds)
{
    static const char *kwlist[] = {"text", "source_name", "limits", NULL};
    modstate *st = state_of_module(module);
    PyObject *text, *limits = Py_None;
    const char *source_name = "<string>";
    RulesetObject *self;
    zf_error err = ZF_ERROR_INIT;
    Py_buffer view;
    bool have_view = false;
    const char *buf;
    Py_ssize_t len;
    zf_status rc;

    if (!PyArg_ParseTupleAndKeywords(args, kwds, "O|sO:compile",
                                     (char **)kwlist, &text, &source_name,
                                     &limits))
        return NULL;
    if (PyUnicode_Check(text)) {
        buf = PyUnicode_AsUTF8AndSize(text, &len);
        if (!buf)
            return NULL;
    } else if (PyObject_CheckBuffer(text)) {
        if (PyObject_GetBuffer(text, &view, PyBUF_SIMPLE) < 0)
            return NULL;
        have_view = true;
        buf = view.buf;
        len = view.len;
    } else {
        return PyErr_Format(PyExc_TypeError,
                            "rule text must be str or bytes, not %.100s",
                            Py_TYPE(text)->tp_name);
    }
    self = ruleset_new(st, limits);
    if (!self)
        goto fail;
    Py_BEGIN_ALLOW_THREADS
    rc = zf_ruleset_compile(&self->rs, self->ctx, buf, (size_t)len,
                            source_name, &err);
    Py_END_ALLOW_THREADS
    if (rc != ZF_OK) {
        raise_status(st, rc, &err, ORIGIN_RULES, source_name);
        Py_CLEAR(self);
    }
fail:
    if (have_view)
        PyBuffer_Release(&view);
    return (PyObject *)self;
}

PyDoc_STRVAR(mod_strerror_doc,
"strerror(status) -> str\n\nA short English description of a status code.");

static PyObject *
mod_strerror(PyObject *module, PyObject *arg)
{
    long v = PyLong_AsLong(arg);

    if (v == -1 && PyErr_Occurred())
        return NULL;
    if (v < INT_MIN || v > INT_MAX)
        return PyErr_Format(PyExc_OverflowError, "status out of range");
    return PyUnicode_FromString(zf_strerror((zf_status)v));
}

PyDoc_STRVAR(mod_version_doc,
"version() -> str\n\nThe run-time library version, \"MAJOR.MINOR.PATCH\".");

static PyObject *
mod_version(PyObject *module, PyObject *unused)
{
    return PyUnicode_FromString(zf_version());
}

static PyMethodDef mod_methods[] = {
    {"load", (PyCFunction)(void (*)(void))mod_load,
     METH_VARARGS | METH_KEYWORDS, mod_load_doc},
    {"compile", (PyCFunction)(void (*)(void))mod_compile,
     METH_VARARGS | METH_KEYWORDS, mod_compile_doc},
    {"strerror", mod_strerror, METH_O, mod_strerror_doc},
    {"version", mod_version, METH_NOARGS, mod_version_doc},
    {NULL, NULL, 0, NULL}};

/* ------------------------------------------------------------------ */
/* module */

static int
add_int(PyObject *m, const char *name, long v)
{
    return PyModule_AddIntConstant(m, name, v);
}

static int
add_type(PyObject *m, PyType_Spec *spec, PyTypeObject **slot)
{
    PyObject *t = PyType_FromModuleAndSpec(m, spec, NULL);

    if (!t)
        return -1;
    *slot = (PyTypeObject *)t;
    return PyModule_AddType(m, *slot);
}

static int
add_exception(PyObject *m, const char *qualname, const char *doc,
              PyObject *bases, PyObject **slot)
{
    const char *dot = strrchr(qualname, '.');

    *slot = PyErr_NewExceptionWithDoc(qualname, doc, bases, NULL);
    if (!*slot)
        return -1;
    return PyModule_AddObjectRef(m, dot + 1, *slot);
}

static int
zhifa_exec(PyObject *m)
{
    modstate *st = state_of_module(m);
    PyObject *bases, *names;
    size_t i;
    int r;

    if (add_type(m, &ruleset_spec, &st->RulesetType) < 0)
        return -1;

    if (add_exception(m, "zhifa.Error",
                      "Base class of the errors zhifa raises. Attributes:\n"
                      "status (int zf_status), code (int, [ZF-nnn]),\n"
                      "message, source, path, rule_id, line, column,\n"
                      "offset (None when unknown).",
                      NULL, &st->Error) < 0)
        return -1;
    bases = PyTuple_Pack(2, st->Error, PyExc_ValueError);
    if (!bases)
        return -1;
    r = add_exception(m, "zhifa.RuleError",
                      "A rule set failed to load or compile: .source, "
                      ".line, .column,\n.rule_id, .code, .status, "
                      ".message tell where and why.",
                      bases, &st->RuleError);
    if (r == 0)
        r = add_exception(m, "zhifa.CaseError",
                          "A case is invalid: .path is the JSON path, "
                          ".line/.column the\nposition in the JSON text "
                          "when known, .code the [ZF-nnn] number.",
                          bases, &st->CaseError);
    Py_DECREF(bases);
    if (r < 0)
        return -1;
    if (add_exception(m, "zhifa.IndeterminateError",
                      "A regular expression hit a match limit, so there is "
                      "no answer;\n.rule_id names the item.",
                      st->Error, &st->IndeterminateError) < 0)
        return -1;

    if (PyModule_AddStringConstant(m, "VERSION", zf_version()) < 0 ||
        PyModule_AddStringConstant(m, "HEADER_VERSION", ZF_VERSION_STRING) <
            0 ||
        /* install paths only ("" in a wheel, whose rules are inside the
         * package); the build tree's paths are in zhifa/_buildtree.py,
         * which is never installed */
        PyModule_AddStringConstant(m, "DATADIR", ZF_PY_DATADIR) < 0 ||
        PyModule_AddStringConstant(m, "INSTALLED_RULES",
                                   ZF_PY_INSTALLED_RULES) < 0)
        return -1;
    if (add_int(m, "OK", ZF_OK) < 0 || add_int(m, "ESYNTAX", ZF_ESYNTAX) < 0 ||
        add_int(m, "ESCHEMA", ZF_ESCHEMA) < 0 ||
        add_int(m, "ELIMIT", ZF_ELIMIT) < 0 ||
        add_int(m, "EREGEX", ZF_EREGEX) < 0 ||
        add_int(m, "EINPUT", ZF_EINPUT) < 0 ||
        add_int(m, "EINDETERMINATE", ZF_EINDETERMINATE) < 0 ||
        add_int(m, "ENOMEM", ZF_ENOMEM) < 0 || add_int(m, "EIO", ZF_EIO) < 0 ||
        add_int(m, "EINVAL", ZF_EINVAL) < 0 ||
        add_int(m, "EINTERNAL", ZF_EINTERNAL) < 0 ||
        add_int(m, "LIST_TEXT", ZF_LIST_TEXT) < 0 ||
        add_int(m, "LIST_JSON", ZF_LIST_JSON) < 0 ||
        add_int(m, "LIST_MARKDOWN", ZF_LIST_MARKDOWN) < 0 ||
        add_int(m, "RENDER_JSON", ZF_RENDER_JSON) < 0 ||
        add_int(m, "RENDER_JSON_PRETTY", ZF_RENDER_JSON_PRETTY) < 0 ||
        add_int(m, "RENDER_TEXT", ZF_RENDER_TEXT) < 0)
        return -1;

    names = PyTuple_New((Py_ssize_t)N_LIMITS);
    if (!names)
        return -1;
    for (i = 0; i < N_LIMITS; i++) {
        PyObject *s = PyUnicode_FromString(limit_names[i].name);
        if (!s) {
            Py_DECREF(names);
            return -1;
        }
        PyTuple_SET_ITEM(names, (Py_ssize_t)i, s);
    }
    r = PyModule_AddObjectRef(m, "LIMITS", names);
    Py_DECREF(names);
    return r;
}

static int
zhifa_traverse(PyObject *m, visitproc visit, void *arg)
{
    modstate *st = state_of_module(m);

    Py_VISIT(st->Error);
    Py_VISIT(st->RuleError);
    Py_VISIT(st->CaseError);
    Py_VISIT(st->IndeterminateError);
    Py_VISIT(st->RulesetType);
    return 0;
}

static int
zhifa_clear(PyObject *m)
{
    modstate *st = state_of_module(m);

    Py_CLEAR(st->Error);
    Py_CLEAR(st->RuleError);
    Py_CLEAR(st->CaseError);
    Py_CLEAR(st->IndeterminateError);
    Py_CLEAR(st->RulesetType);
    return 0;
}

static void
zhifa_free(void *m)
{
    zhifa_clear((PyObject *)m);
}

static PyModuleDef_Slot zhifa_slots[] = {
    {Py_mod_exec, FUNC_SLOT(zhifa_exec)},
    {0, NULL}};

PyDoc_STRVAR(module_doc,
"Low-level binding of libzhifa. Use the `zhifa` package instead.");

static struct PyModuleDef zhifa_module = {
    PyModuleDef_HEAD_INIT,
    .m_name = "zhifa._zhifa",
    .m_doc = module_doc,
    .m_size = sizeof(modstate),
    .m_methods = mod_methods,
    .m_slots = zhifa_slots,
    .m_traverse = zhifa_traverse,
    .m_clear = zhifa_clear,
    .m_free = zhifa_free,
};

PyMODINIT_FUNC PyInit__zhifa(void);

PyMODINIT_FUNC
PyInit__zhifa(void)
{
    return PyModuleDef_Init(&zhifa_module);
}
