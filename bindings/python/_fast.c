/*
 * hotpath._fast — CPython entry points for the few calls whose whole cost is the call.
 *
 * Why this exists beside the cffi and ctypes bindings (docs/abi.md, "Fast path"): a
 * cffi call costs 150-300 ns here before any work (argument conversion, the GIL release
 * cffi always does), ctypes several times that, and a str must first be encoded. For
 * one short pair (fuzz.ratio of two words, a 1536-dim cosine) the work is 50-200 ns, so
 * the binding, not the kernel, decided the speed, and peers written as C extensions
 * (RapidFuzz, SimSIMD) were several times faster. These functions take Python objects
 * directly: a str is passed as its own storage (Latin-1, UCS-2 or UCS-4: HP_ENC_BYTES,
 * HP_ENC_U16, HP_ENC_U32; nothing is encoded or copied), a buffer as its memory. Case
 * mapping of a str likewise maps its storage into a new str's (hp_ucs_*), where encoding
 * to UTF-8 and decoding back would cost more than the mapping itself.
 *
 * Scope is deliberately tiny: anything but the plain case returns NotImplemented and the
 * caller takes the cffi/ctypes path, which does all argument checking and error
 * reporting. The library is called through its public API only. The GIL is released
 * when the work is long enough to be worth it (it costs about as much as a short pair).
 * The module is optional: without it (HOTPATH_FAST=0, or a build without it) every call
 * takes the regular path with the same results.
 */
#define PY_SSIZE_T_CLEAN
#include <Python.h>

#include <stddef.h>

#include "hotpath.h"

/* Work (elements compared) above which the GIL is released. */
#define RELEASE_GIL_WORK 4096

static PyObject *error_hook; /* callable(status) that raises the HotpathError */

static PyObject *raise_status(hp_status st) {
    if (error_hook == NULL) {
        PyErr_Format(PyExc_RuntimeError, "hotpath status %d: %s", (int)st,
                     hp_last_error_message());
        return NULL;
    }
    PyObject *code = PyLong_FromLong((long)st);
    if (code == NULL) return NULL;
    PyObject *r = PyObject_CallOneArg(error_hook, code);
    Py_DECREF(code);
    Py_XDECREF(r);
    if (!PyErr_Occurred()) PyErr_SetString(PyExc_RuntimeError, "hotpath error hook did not raise");
    return NULL;
}

/* (pointer, length, hp_enc) of an exact str or bytes; 0 if the type is not handled. */
static int as_sequence(PyObject *o, const void **p, size_t *n, int *enc) {
    if (PyUnicode_CheckExact(o)) {
        switch (PyUnicode_KIND(o)) {
        case PyUnicode_1BYTE_KIND:
            *enc = HP_ENC_BYTES; /* Latin-1 storage: bytes equal code points */
            break;
        case PyUnicode_2BYTE_KIND:
            *enc = HP_ENC_U16;
            break;
        default:
            *enc = HP_ENC_U32;
            break;
        }
        *p = PyUnicode_DATA(o);
        *n = (size_t)PyUnicode_GET_LENGTH(o);
        return 1;
    }
    if (PyBytes_CheckExact(o)) {
        *p = PyBytes_AS_STRING(o);
        *n = (size_t)PyBytes_GET_SIZE(o);
        *enc = HP_ENC_BYTES;
        return 1;
    }
    return 0;
}

/* fuzzy_score(scorer: bytes, s1, s2, cutoff: float) -> float | NotImplemented
 * scorer is the raw hp_scorer struct (struct.pack'ed by hotpath._fuzzy). Integer
 * measures (distance and similarity of every metric but Jaro*) return an int. */
static PyObject *fuzzy_score(PyObject *self, PyObject *const *args, Py_ssize_t nargs) {
    (void)self;
    if (nargs != 4 || !PyBytes_CheckExact(args[0]) ||
        PyBytes_GET_SIZE(args[0]) != (Py_ssize_t)sizeof(hp_scorer) || !PyFloat_CheckExact(args[3]))
        Py_RETURN_NOTIMPLEMENTED;
    const void *a, *b;
    size_t la, lb;
    int ea, eb;
    if (!as_sequence(args[1], &a, &la, &ea) || !as_sequence(args[2], &b, &lb, &eb))
        Py_RETURN_NOTIMPLEMENTED;
    hp_scorer sc;
    memcpy(&sc, PyBytes_AS_STRING(args[0]), sizeof sc);
    double cutoff = PyFloat_AS_DOUBLE(args[3]), out = 0;
    hp_status st;
    if ((la + 1) * (lb + 1) > RELEASE_GIL_WORK) {
        Py_BEGIN_ALLOW_THREADS
        st = hp_fuzzy_score(&out, &sc, a, la, ea, b, lb, eb, cutoff);
        Py_END_ALLOW_THREADS
    } else {
        st = hp_fuzzy_score(&out, &sc, a, la, ea, b, lb, eb, cutoff);
    }
    if (st != HP_OK) return raise_status(st);
    /* integer distances and similarities come back as int, as RapidFuzz returns them */
    if (sc.kind == HP_SCORER_METRIC && sc.measure <= HP_SIMILARITY &&
        sc.id != HP_METRIC_JARO && sc.id != HP_METRIC_JARO_WINKLER)
        return PyLong_FromDouble(out);
    return PyFloat_FromDouble(out);
}

/* vec_score(metric: int, a, b) -> float | NotImplemented
 * Two 1-D C-contiguous buffers of the same format ('f', 'd' or 'b') and length >= 1. */
static PyObject *vec_pair(long metric, PyObject *a, PyObject *b) {
    Py_buffer va, vb;
    if (PyObject_GetBuffer(a, &va, PyBUF_C_CONTIGUOUS | PyBUF_FORMAT) != 0) {
        PyErr_Clear();
        Py_RETURN_NOTIMPLEMENTED;
    }
    if (PyObject_GetBuffer(b, &vb, PyBUF_C_CONTIGUOUS | PyBUF_FORMAT) != 0) {
        PyErr_Clear();
        PyBuffer_Release(&va);
        Py_RETURN_NOTIMPLEMENTED;
    }
    PyObject *result = Py_NotImplemented;
    const char *fa = va.format ? va.format : "B", *fb = vb.format ? vb.format : "B";
    if (fa[0] == '@' || fa[0] == '=' || fa[0] == '<') fa++;
    if (fb[0] == '@' || fb[0] == '=' || fb[0] == '<') fb++;
    if (va.ndim == 1 && vb.ndim == 1 && va.shape[0] == vb.shape[0] && va.shape[0] > 0 &&
        fa[1] == '\0' && fb[1] == '\0' && fa[0] == fb[0] &&
        (fa[0] == 'f' || fa[0] == 'd' || fa[0] == 'b')) {
        size_t dim = (size_t)va.shape[0];
        double out = 0;
        hp_status st;
        int release = dim > 65536;
        PyThreadState *ts = release ? PyEval_SaveThread() : NULL;
        if (fa[0] == 'f')
            st = hp_vec_score_f32(&out, va.buf, vb.buf, dim, (hp_vec_metric)metric);
        else if (fa[0] == 'd')
            st = hp_vec_score_f64(&out, va.buf, vb.buf, dim, (hp_vec_metric)metric);
        else
            st = hp_vec_score_i8(&out, va.buf, vb.buf, dim, (hp_vec_metric)metric);
        if (ts) PyEval_RestoreThread(ts);
        result = st == HP_OK ? PyFloat_FromDouble(out) : raise_status(st);
    } else {
        Py_INCREF(result);
    }
    PyBuffer_Release(&va);
    PyBuffer_Release(&vb);
    return result;
}

static PyObject *vec_score(PyObject *self, PyObject *const *args, Py_ssize_t nargs) {
    (void)self;
    if (nargs != 3 || !PyLong_CheckExact(args[0])) Py_RETURN_NOTIMPLEMENTED;
    long metric = PyLong_AsLong(args[0]);
    if (metric == -1 && PyErr_Occurred()) return NULL;
    return vec_pair(metric, args[1], args[2]);
}

typedef hp_status (*ucs_fn)(void *out, size_t capacity, size_t out_width, size_t *out_len,
                            uint32_t *out_max, const void *s, size_t n, size_t width);

/* case_map(which: int, s: str) -> str | NotImplemented
 * which: 0 casefold, 1 lower, 2 upper. The str's own storage is mapped straight into
 * the storage of a new str of the right length and kind (PyUnicode_New), as CPython's
 * own str methods build their results. Usually one pass: the result is written into a
 * str of the input's kind with room to grow, then trimmed (or narrowed, when every code
 * point of the result fits a narrower kind, as CPython requires). Otherwise one call
 * measures (length, largest code point) and a second writes; ASCII input (whose image
 * is ASCII of the same length) needs no measuring.
 * NotImplemented for str subclasses and for text the kernel refuses (lone surrogates),
 * so the caller's UTF-8 route raises exactly as str.encode would. */
static PyObject *case_map(PyObject *self, PyObject *const *args, Py_ssize_t nargs) {
    (void)self;
    static const ucs_fn fns[3] = {hp_ucs_casefold, hp_ucs_lower, hp_ucs_upper};
    if (nargs != 2 || !PyLong_CheckExact(args[0]) || !PyUnicode_CheckExact(args[1]))
        Py_RETURN_NOTIMPLEMENTED;
    long which = PyLong_AsLong(args[0]);
    if (which < 0 || which > 2) Py_RETURN_NOTIMPLEMENTED;
    ucs_fn fn = fns[which];
    PyObject *s = args[1];
    size_t n = (size_t)PyUnicode_GET_LENGTH(s), width = (size_t)PyUnicode_KIND(s);
    const void *src = PyUnicode_DATA(s);
    int release = n > 4096;
    hp_status st;
    size_t written = 0;
    uint32_t top = 0;
    PyThreadState *ts;
    if (!PyUnicode_IS_ASCII(s) && n >= 64) {
        /* One pass in the common case: write into a str of the input's kind with room
         * for some growth (ß -> ss), then trim it. Output that needs a wider kind or
         * more room is HP_EBUFSIZE and takes the two passes below. */
        size_t cap = n + n / 4 + 8;
        Py_UCS4 kind_max = width == 1 ? 0xFF : width == 2 ? 0xFFFF : 0x10FFFF;
        PyObject *result = PyUnicode_New((Py_ssize_t)cap, kind_max);
        if (result == NULL) return NULL;
        ts = release ? PyEval_SaveThread() : NULL;
        st = fn(PyUnicode_DATA(result), cap, width, &written, &top, src, n, width);
        if (ts) PyEval_RestoreThread(ts);
        if (st == HP_OK) {
            Py_UCS4 narrow_max = top < 0x80 ? 0x7F : top < 0x100 ? 0xFF : top < 0x10000 ? 0xFFFF
                                                                                       : 0x10FFFF;
            if (narrow_max < kind_max) {
                /* a narrower kind suffices: CPython needs the canonical (narrowest) form */
                PyObject *exact = PyUnicode_FromKindAndData((int)width, PyUnicode_DATA(result),
                                                            (Py_ssize_t)written);
                Py_DECREF(result);
                return exact;
            }
            if (PyUnicode_Resize(&result, (Py_ssize_t)written) != 0) return NULL;
            return result;
        }
        Py_DECREF(result);
        if (st != HP_EBUFSIZE) Py_RETURN_NOTIMPLEMENTED;
    }
    size_t out_len = n;
    top = 0x7F;
    if (!PyUnicode_IS_ASCII(s)) {
        ts = release ? PyEval_SaveThread() : NULL;
        st = fn(NULL, 0, 4, &out_len, &top, src, n, width);
        if (ts) PyEval_RestoreThread(ts);
        if (st != HP_OK && st != HP_EBUFSIZE) Py_RETURN_NOTIMPLEMENTED;
    }
    PyObject *result = PyUnicode_New((Py_ssize_t)out_len, (Py_UCS4)top);
    if (result == NULL || out_len == 0) return result;
    uint32_t top2 = 0;
    ts = release ? PyEval_SaveThread() : NULL;
    st = fn(PyUnicode_DATA(result), out_len, (size_t)PyUnicode_KIND(result), &written, &top2, src,
            n, width);
    if (ts) PyEval_RestoreThread(ts);
    if (st != HP_OK || written != out_len) {
        Py_DECREF(result);
        return st != HP_OK ? raise_status(st)
                           : (PyErr_SetString(PyExc_RuntimeError, "hp_ucs_* wrote too little"),
                              NULL);
    }
    return result;
}

/* ---------------------------------------------------------------- scorer objects */

/*
 * A callable standing in for one public scorer function (hotpath.fuzz.ratio,
 * hotpath.distance.Levenshtein.distance, ...) or one vector pair function
 * (hotpath.compute.cosine, dot, ...): a call with exactly two positional arguments and
 * no keywords is scored here directly (str/bytes for a scorer, two 1-D buffers of one
 * format for a vector function); every other call, and every pair the fast path
 * declines, is passed unchanged to `fallback`, the Python implementation with the full
 * signature. The Python frame of a wrapper costs as much as the whole call of a short
 * pair (~150 ns here), so the common call must not have one. Instances take attributes
 * (__name__, __doc__, __wrapped__, the scorer description process uses).
 */
typedef struct {
    PyObject_HEAD
    vectorcallfunc vectorcall;
    PyObject *raw;      /* bytes: the hp_scorer; NULL for a vector function */
    long metric;        /* a vector function's hp_vec_metric */
    PyObject *fallback; /* the Python function */
    PyObject *dict;
} scorer_object;

static PyObject *scorer_vectorcall(PyObject *callable, PyObject *const *args, size_t nargsf,
                                   PyObject *kwnames) {
    scorer_object *self = (scorer_object *)callable;
    Py_ssize_t nargs = PyVectorcall_NARGS(nargsf);
    if (nargs == 2 && (kwnames == NULL || PyTuple_GET_SIZE(kwnames) == 0) && self->raw == NULL) {
        PyObject *r = vec_pair(self->metric, args[0], args[1]);
        if (r != Py_NotImplemented) return r;
        Py_DECREF(r);
    } else if (nargs == 2 && (kwnames == NULL || PyTuple_GET_SIZE(kwnames) == 0)) {
        PyObject *call[4] = {self->raw, args[0], args[1], NULL};
        PyObject *nan = PyFloat_FromDouble(Py_NAN);
        if (nan == NULL) return NULL;
        call[3] = nan;
        PyObject *r = fuzzy_score(NULL, call, 4);
        Py_DECREF(nan);
        if (r != Py_NotImplemented) return r;
        Py_DECREF(r);
    }
    return PyObject_Vectorcall(self->fallback, args, nargsf, kwnames);
}

static void scorer_dealloc(PyObject *obj) {
    scorer_object *self = (scorer_object *)obj;
    Py_XDECREF(self->raw);
    Py_XDECREF(self->fallback);
    Py_XDECREF(self->dict);
    Py_TYPE(obj)->tp_free(obj);
}

static PyObject *scorer_repr(PyObject *obj) {
    PyObject *module = PyObject_GetAttrString(obj, "__module__");
    PyObject *name = module ? PyObject_GetAttrString(obj, "__qualname__") : NULL;
    PyObject *r = name ? PyUnicode_FromFormat("<function %S.%S>", module, name) : NULL;
    Py_XDECREF(module);
    Py_XDECREF(name);
    return r;
}

/* Pickled by reference, as functions are: the name under which the module holds it
 * (its __qualname__, e.g. "ratio" in hotpath.fuzz), so process pools can ship scorers. */
static PyObject *scorer_reduce(PyObject *obj, PyObject *unused) {
    (void)unused;
    return PyObject_GetAttrString(obj, "__qualname__");
}

static PyMethodDef scorer_methods[] = {
    {"__reduce__", scorer_reduce, METH_NOARGS, "pickled by reference (module + qualified name)"},
    {NULL, NULL, 0, NULL},
};

static PyTypeObject scorer_type = {
    PyVarObject_HEAD_INIT(NULL, 0)
    .tp_name = "hotpath._fast.Scorer",
    .tp_basicsize = sizeof(scorer_object),
    .tp_dealloc = scorer_dealloc,
    .tp_vectorcall_offset = offsetof(scorer_object, vectorcall),
    .tp_repr = scorer_repr,
    .tp_methods = scorer_methods,
    .tp_call = PyVectorcall_Call,
    .tp_getattro = PyObject_GenericGetAttr,
    .tp_setattro = PyObject_GenericSetAttr,
    .tp_flags = Py_TPFLAGS_DEFAULT | Py_TPFLAGS_HAVE_VECTORCALL,
    .tp_doc = "A hotpath scorer function with a C fast path for plain calls.",
    .tp_dictoffset = offsetof(scorer_object, dict),
};

/* scorer(raw: bytes, fallback: callable) -> Scorer */
static PyObject *make_scorer(PyObject *self, PyObject *const *args, Py_ssize_t nargs) {
    (void)self;
    if (nargs != 2 || !PyBytes_CheckExact(args[0]) ||
        PyBytes_GET_SIZE(args[0]) != (Py_ssize_t)sizeof(hp_scorer) || !PyCallable_Check(args[1])) {
        PyErr_SetString(PyExc_TypeError, "scorer(raw: bytes of an hp_scorer, fallback: callable)");
        return NULL;
    }
    scorer_object *obj = PyObject_New(scorer_object, &scorer_type);
    if (obj == NULL) return NULL;
    obj->vectorcall = scorer_vectorcall;
    Py_INCREF(args[0]);
    obj->raw = args[0];
    obj->metric = 0;
    Py_INCREF(args[1]);
    obj->fallback = args[1];
    obj->dict = NULL;
    return (PyObject *)obj;
}

/* vec_function(metric: int, fallback: callable) -> Scorer, for a vector pair function */
static PyObject *make_vec_function(PyObject *self, PyObject *const *args, Py_ssize_t nargs) {
    (void)self;
    long metric = nargs == 2 && PyLong_CheckExact(args[0]) ? PyLong_AsLong(args[0]) : -1;
    if (metric < 0 || !PyCallable_Check(args[1])) {
        PyErr_Clear();
        PyErr_SetString(PyExc_TypeError, "vec_function(metric: int >= 0, fallback: callable)");
        return NULL;
    }
    scorer_object *obj = PyObject_New(scorer_object, &scorer_type);
    if (obj == NULL) return NULL;
    obj->vectorcall = scorer_vectorcall;
    obj->raw = NULL;
    obj->metric = metric;
    Py_INCREF(args[1]);
    obj->fallback = args[1];
    obj->dict = NULL;
    return (PyObject *)obj;
}

/* same_items(a, b) -> bool: a and b (each a list or tuple) hold the same objects in the
 * same order. process.extract checks that its cached choices are unchanged this way on
 * every call; as a Python-level map over 100k items that check cost ~3 ms, more than
 * the search itself. NotImplemented for other types. */
static PyObject *same_items(PyObject *self, PyObject *const *args, Py_ssize_t nargs) {
    (void)self;
    if (nargs != 2) Py_RETURN_NOTIMPLEMENTED;
    PyObject *a = args[0], *b = args[1];
    if (!(PyList_CheckExact(a) || PyTuple_CheckExact(a)) ||
        !(PyList_CheckExact(b) || PyTuple_CheckExact(b)))
        Py_RETURN_NOTIMPLEMENTED;
    Py_ssize_t n = PySequence_Fast_GET_SIZE(a);
    if (n != PySequence_Fast_GET_SIZE(b)) Py_RETURN_FALSE;
    PyObject **x = PySequence_Fast_ITEMS(a), **y = PySequence_Fast_ITEMS(b);
    for (Py_ssize_t i = 0; i < n; i++)
        if (x[i] != y[i]) Py_RETURN_FALSE;
    Py_RETURN_TRUE;
}

static PyObject *set_error_hook(PyObject *self, PyObject *hook) {
    (void)self;
    if (!PyCallable_Check(hook)) {
        PyErr_SetString(PyExc_TypeError, "the error hook must be callable");
        return NULL;
    }
    Py_INCREF(hook);
    Py_XSETREF(error_hook, hook);
    Py_RETURN_NONE;
}

static PyMethodDef methods[] = {
    {"fuzzy_score", (PyCFunction)(void (*)(void))fuzzy_score, METH_FASTCALL,
     "fuzzy_score(scorer, s1, s2, cutoff) -> float, or NotImplemented for other types"},
    {"same_items", (PyCFunction)(void (*)(void))same_items, METH_FASTCALL,
     "same_items(a, b) -> bool: two lists/tuples hold the same objects in order"},
    {"vec_function", (PyCFunction)(void (*)(void))make_vec_function, METH_FASTCALL,
     "vec_function(metric, fallback) -> a C callable for one vector pair function"},
    {"vec_score", (PyCFunction)(void (*)(void))vec_score, METH_FASTCALL,
     "vec_score(metric, a, b) -> float, or NotImplemented for other buffers"},
    {"case_map", (PyCFunction)(void (*)(void))case_map, METH_FASTCALL,
     "case_map(which, s) -> str: 0 casefold, 1 lower, 2 upper; NotImplemented if declined"},
    {"scorer", (PyCFunction)(void (*)(void))make_scorer, METH_FASTCALL,
     "scorer(raw, fallback) -> a callable scoring plain (s1, s2) calls in C"},
    {"set_error_hook", set_error_hook, METH_O, "set_error_hook(fn): fn(status) raises"},
    {NULL, NULL, 0, NULL},
};

static struct PyModuleDef module = {
    PyModuleDef_HEAD_INIT, "_fast", "CPython fast paths of hotpath (see _fast.c).", -1, methods,
    NULL, NULL, NULL, NULL,
};

PyMODINIT_FUNC PyInit__fast(void) {
    if (PyType_Ready(&scorer_type) < 0) return NULL;
    PyObject *m = PyModule_Create(&module);
    if (m == NULL) return NULL;
    if (PyModule_AddIntConstant(m, "SCORER_SIZE", (long)sizeof(hp_scorer)) != 0 ||
        PyModule_AddIntConstant(m, "ABI", (long)HP_VERSION_NUMBER) != 0) {
        Py_DECREF(m);
        return NULL;
    }
    return m;
}
