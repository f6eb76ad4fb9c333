"""Hardening and release content (RELIABILITY T40): the release binary is
PIE with full RELRO, a non-executable stack and fortified calls, and holds
none of the test hooks; no SQL is ever sent as unprepared text."""

import os
import re
import subprocess

ROOT = os.path.abspath(os.path.join(os.path.dirname(__file__), "..", ".."))
REL = os.path.join(ROOT, "app", "backopsd")


def run(*cmd):
    return subprocess.run(cmd, check=True, capture_output=True,
                          text=True).stdout


def test_release_binary_is_hardened():
    head = run("readelf", "-h", REL)
    assert re.search(r"Type:\s+DYN", head)
    seg = run("readelf", "-lW", REL)
    assert "GNU_RELRO" in seg
    stack = [l for l in seg.splitlines() if "GNU_STACK" in l][0]
    assert "RWE" not in stack
    dyn = run("readelf", "-d", REL)
    assert "BIND_NOW" in dyn or "FLAGS_1" in dyn and "NOW" in dyn
    syms = run("nm", "-D", REL)
    assert "__stack_chk_fail" in syms
    assert re.search(r"__\w+_chk", syms)


def test_release_binary_has_no_test_hooks():
    syms = run("nm", REL)
    assert "h_test_" not in syms
    strings = run("strings", REL)
    assert "/__test/" not in strings
    routes = run(REL, "routes")
    assert "__test" not in routes and "GET /login" in routes


def test_no_unprepared_sql_in_the_source():
    r = subprocess.run(["grep", "-rnE", "--include=*.c", "--include=*.h",
                        r"mysql_(real_)?query", os.path.join(ROOT, "app")],
                       capture_output=True, text=True)
    assert r.stdout == ""


def test_build_flags_are_strict():
    mk = open(os.path.join(ROOT, "Makefile")).read()
    for flag in ("-Wformat=2", "-Werror=format-security",
                 "-Werror=implicit-function-declaration", "-Werror",
                 "-D_FORTIFY_SOURCE=3", "-fstack-protector-strong"):
        assert flag in mk, flag
