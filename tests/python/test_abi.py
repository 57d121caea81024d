"""The ABI as the Python package sees it.

- The hand-written ctypes table (hotpath._ctypes_sig.SIGNATURES) must match the cffi
  declarations preprocessed from the public headers (the shipped _cdef.h): same function
  set, same result and argument types.
- The library exports exactly the functions the headers declare (nm -D).
- Exception codes equal the C enum values; status names and messages come through.
"""
from __future__ import annotations

import ctypes
import re
import shutil
import subprocess
from importlib import resources

import cffi
import pytest

import hotpath
from hotpath import _backend, _ctypes_sig, _errors

CDEF_TEXT = (resources.files("hotpath") / "_cdef.h").read_text()

# Built once per module: an ABI-mode view of the same library, from the same declarations.
_ffi = cffi.FFI()
_ffi.cdef(CDEF_TEXT)
_abi = _ffi.dlopen(hotpath.library_path())

PRIMITIVES = {
    "size_t": ctypes.c_size_t,
    "uint64_t": ctypes.c_uint64,
    "int64_t": ctypes.c_int64,
    "uint32_t": ctypes.c_uint32,
    "int32_t": ctypes.c_int32,
    "unsigned int": ctypes.c_uint,
    "int": ctypes.c_int,
    "double": ctypes.c_double,
    "float": ctypes.c_float,
    "_Bool": ctypes.c_bool,
    "char": ctypes.c_char,
}


def cdef_functions() -> dict:
    """name -> cffi function ctype, for every function declared in _cdef.h."""
    out = {}
    for name in dir(_abi):
        obj = getattr(_abi, name)
        if isinstance(obj, _ffi.CData) and _ffi.typeof(obj).kind == "function":
            out[name] = _ffi.typeof(obj)
    return out


CDEF_FUNCS = cdef_functions()


def describe(ct) -> str:
    return getattr(ct, "cname", None) or getattr(ct, "__name__", repr(ct))


def compatible(cf, ct, where: str) -> list:
    """Problems (empty if none) matching cffi type cf against ctypes type ct."""
    kind = cf.kind
    if kind == "void":
        return [] if ct is None else [f"{where}: C void, ctypes {describe(ct)}"]
    if ct is None:
        return [f"{where}: C {cf.cname}, ctypes None (void)"]
    if kind == "primitive":
        want = PRIMITIVES.get(cf.cname)
        if want is None:
            return [f"{where}: no ctypes mapping for C type {cf.cname}"]
        if ct is not want:
            return [f"{where}: C {cf.cname} needs {want.__name__}, ctypes has {describe(ct)}"]
        return []
    if kind == "enum":
        # C enums here are int-sized (all values fit an int).
        return [] if ct is ctypes.c_int else [f"{where}: C {cf.cname} needs c_int, ctypes has "
                                              f"{describe(ct)}"]
    if kind == "pointer":
        item = cf.item
        if item.kind == "primitive" and item.cname == "char":
            # c_void_p keeps the address (outputs, library-owned memory); c_char_p takes bytes
            return [] if ct in (ctypes.c_char_p, ctypes.c_void_p) else [
                f"{where}: C {cf.cname} needs c_char_p or c_void_p, ctypes has {describe(ct)}"]
        if ct is ctypes.c_void_p:
            return []  # any data pointer may travel as an address
        if isinstance(ct, type) and issubclass(ct, ctypes._Pointer):
            return compatible(item, ct._type_, where + " -> *")
        if item.kind == "struct" and isinstance(ct, type) and issubclass(ct, ctypes.Structure):
            return [f"{where}: C {cf.cname} is a pointer, ctypes has the struct by value"]
        return [f"{where}: C {cf.cname} needs POINTER(...) or c_void_p, ctypes has "
                f"{describe(ct)}"]
    if kind == "array":
        if not (isinstance(ct, type) and issubclass(ct, ctypes.Array)):
            return [f"{where}: C array {cf.cname} needs a ctypes array, has {describe(ct)}"]
        if ct._length_ != cf.length:
            return [f"{where}: C array of {cf.length}, ctypes array of {ct._length_}"]
        return compatible(cf.item, ct._type_, where + "[]")
    if kind == "struct":
        if not (isinstance(ct, type) and issubclass(ct, ctypes.Structure)):
            return [f"{where}: C {cf.cname} needs a ctypes.Structure, has {describe(ct)}"]
        return struct_problems(cf, ct, where)
    if kind == "function":
        if not (isinstance(ct, type) and issubclass(ct, ctypes._CFuncPtr)):
            return [f"{where}: C function pointer {cf.cname} needs CFUNCTYPE, has {describe(ct)}"]
        problems = compatible(cf.result, ct._restype_, where + " result")
        if len(cf.args) != len(ct._argtypes_):
            return problems + [f"{where}: {len(cf.args)} args in C, {len(ct._argtypes_)} in ctypes"]
        for i, (a, b) in enumerate(zip(cf.args, ct._argtypes_)):
            problems += compatible(a, b, f"{where} arg {i}")
        return problems
    return [f"{where}: unhandled C type kind {kind} ({cf.cname})"]


def struct_problems(cf, ct, where: str) -> list:
    problems = []
    c_fields = cf.fields
    py_fields = ct._fields_
    if [n for n, _ in c_fields] != [f[0] for f in py_fields]:
        return [f"{where}: fields {[n for n, _ in c_fields]} vs {[f[0] for f in py_fields]}"]
    if _ffi.sizeof(cf) != ctypes.sizeof(ct):
        problems.append(f"{where}: sizeof {_ffi.sizeof(cf)} vs {ctypes.sizeof(ct)}")
    for (name, field), (_, pytype) in zip(c_fields, [f[:2] for f in py_fields]):
        if field.offset != getattr(ct, name).offset:
            problems.append(f"{where}.{name}: offset {field.offset} vs {getattr(ct, name).offset}")
        ftype = field.type
        if ftype.kind == "pointer" and ftype.item.kind == "primitive" and \
                ftype.item.cname == "char" and pytype is ctypes.c_void_p:
            continue  # char * stored as an address on purpose (no conversion to bytes)
        problems += compatible(ftype, pytype, f"{where}.{name}")
    return problems


def test_cdef_declares_functions():
    assert len(CDEF_FUNCS) >= 25
    assert {"hp_version", "hp_hash64", "hp_split", "hp_sum_f64"} <= set(CDEF_FUNCS)


def test_every_cdef_function_has_a_ctypes_signature_and_vice_versa():
    missing = sorted(set(CDEF_FUNCS) - set(_ctypes_sig.SIGNATURES))
    extra = sorted(set(_ctypes_sig.SIGNATURES) - set(CDEF_FUNCS))
    assert missing == [], f"declared in the headers but not in SIGNATURES: {missing}"
    assert extra == [], f"in SIGNATURES but not declared in the headers: {extra}"


@pytest.mark.parametrize("name", sorted(CDEF_FUNCS))
def test_ctypes_signature_matches_cdef(name):
    assert name in _ctypes_sig.SIGNATURES, f"{name} has no ctypes signature"
    restype, argtypes = _ctypes_sig.SIGNATURES[name]
    cf = CDEF_FUNCS[name]
    assert not cf.ellipsis
    problems = compatible(cf.result, restype, f"{name} result")
    assert len(cf.args) == len(argtypes), \
        f"{name}: {len(cf.args)} arguments in C, {len(argtypes)} in ctypes"
    for i, (a, b) in enumerate(zip(cf.args, argtypes)):
        problems += compatible(a, b, f"{name} arg {i} ({a.cname})")
    assert problems == []


def test_ctypes_strings_struct_matches_hp_strings():
    assert struct_problems(_ffi.typeof("hp_strings"), _ctypes_sig.Strings, "hp_strings") == []


def test_ctypes_bind_sets_every_signature():
    dll = _ctypes_sig.bind(ctypes.CDLL(hotpath.library_path()))
    for name, (restype, argtypes) in _ctypes_sig.SIGNATURES.items():
        fn = getattr(dll, name)
        assert fn.restype is restype, name
        assert list(fn.argtypes) == list(argtypes), name


def test_active_backend_lib_has_every_function():
    for name in CDEF_FUNCS:
        assert hasattr(_backend.lib, name), name


def _nm_exports(path: str) -> set:
    nm = shutil.which("nm")
    assert nm is not None, "nm (binutils) is needed to list the library's exports"
    out = subprocess.run([nm, "-D", "--defined-only", path], check=True, capture_output=True,
                         text=True).stdout
    names = set()
    for line in out.splitlines():
        parts = line.split()
        if len(parts) < 3:
            continue
        kind, sym = parts[1], parts[2]
        if kind == "A":
            continue  # version definition nodes (HOTPATH_0), not symbols
        names.add(sym.split("@")[0])
    return names


def test_exported_symbols_equal_cdef_functions():
    exported = _nm_exports(hotpath.library_path())
    assert sorted(exported - set(CDEF_FUNCS)) == [], "exported but not declared"
    assert sorted(set(CDEF_FUNCS) - exported) == [], "declared but not exported"


def test_exported_symbols_all_have_hp_prefix():
    assert all(s.startswith("hp_") for s in _nm_exports(hotpath.library_path()))


# ------------------------------------------------------------------ status codes

HEADER_TABLE = re.findall(r'X\((HP_[A-Z0-9_]+),\s*(-?\d+),\s*"([^"]*)"\)',
                          (resources.files("hotpath") / "include" / "hotpath" / "core.h")
                          .read_text())


def test_header_status_table_parsed():
    names = [n for n, _, _ in HEADER_TABLE]
    assert names[0] == "HP_OK" and "HP_EUTF8" in names and len(names) >= 11


@pytest.mark.parametrize("cls", sorted(set(_errors.ERRORS_BY_NAME.values()), key=lambda c: c.code),
                         ids=lambda c: c.__name__)
def test_exception_code_equals_c_enum_value(cls):
    assert getattr(_abi, cls.name) == cls.code
    assert _ffi.string(_abi.hp_status_name(cls.code)).decode() == cls.name


@pytest.mark.parametrize("name,value,message", HEADER_TABLE)
def test_status_names_and_messages_through_both_views(name, value, message):
    value = int(value)
    assert getattr(_abi, name) == value
    assert _ffi.string(_abi.hp_status_name(value)).decode() == name
    assert _ffi.string(_abi.hp_strerror(value)).decode() == message
    # the active backend (cffi API module or ctypes) sees the same strings
    assert _backend._text(_backend.lib.hp_status_name(value)) == name
    assert _backend._text(_backend.lib.hp_strerror(value)) == message


@pytest.mark.parametrize("name,value,message", [t for t in HEADER_TABLE if t[0] != "HP_OK"])
def test_every_error_status_maps_to_its_exception_class(name, value, message):
    cls = _errors.ERRORS_BY_NAME.get(name)
    assert cls is not None, f"no exception class for {name}"
    assert cls.code == int(value)
    assert _backend._ERRORS[int(value)] == (name, cls)


@pytest.mark.parametrize("value", [1, -11, -63, -1000, 2**31 - 1, -(2**31)])
def test_unknown_status_names(value):
    assert _backend._text(_backend.lib.hp_status_name(value)) == "HP_EUNKNOWN"
    assert _backend._text(_backend.lib.hp_strerror(value)) == "unknown status"


def test_unknown_status_raises_base_hotpath_error():
    err = _backend.error(-63)
    assert type(err) is hotpath.HotpathError
    assert err.code == -63


def test_last_error_message_and_status_through_backend():
    lib = _backend.lib
    lib.hp_clear_error()
    assert _backend._text(lib.hp_last_error_message()) == ""
    assert lib.hp_last_error_status() == 0
    assert lib.hp_simd_set_level(99) == _abi.HP_EINVAL
    assert lib.hp_last_error_status() == _abi.HP_EINVAL
    assert _backend._text(lib.hp_last_error_message()) != ""
    lib.hp_clear_error()
    assert lib.hp_last_error_status() == 0
    assert _backend._text(lib.hp_last_error_message()) == ""
