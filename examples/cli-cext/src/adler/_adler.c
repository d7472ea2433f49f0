/* Adler-32 (RFC 1950) over a bytes-like object: the package's own compiled code. */
#define PY_SSIZE_T_CLEAN
#include <Python.h>

static PyObject *adler32(PyObject *self, PyObject *args) {
    Py_buffer view;
    if (!PyArg_ParseTuple(args, "y*", &view)) {
        return NULL;
    }
    const unsigned char *data = view.buf;
    unsigned long a = 1, b = 0;
    for (Py_ssize_t i = 0; i < view.len; i++) {
        a = (a + data[i]) % 65521;
        b = (b + a) % 65521;
    }
    PyBuffer_Release(&view);
    return PyLong_FromUnsignedLong((b << 16) | a);
}

static PyMethodDef methods[] = {
    {"adler32", adler32, METH_VARARGS, "Adler-32 checksum of a bytes-like object."},
    {NULL, NULL, 0, NULL},
};

static struct PyModuleDef module = {PyModuleDef_HEAD_INIT, "_adler", NULL, -1, methods};

PyMODINIT_FUNC PyInit__adler(void) { return PyModule_Create(&module); }
