"""Configuration: every key the binary knows is documented in
conf/backops.conf.example with its default, and invalid configuration
stops start-up naming the key (DESIGN §9)."""

import os
import re
import subprocess
import tempfile

from bo import BIN

ROOT = os.path.abspath(os.path.join(os.path.dirname(__file__), "..", ".."))


def effective(conf_text):
    with tempfile.NamedTemporaryFile("w", suffix=".conf", delete=False) as f:
        f.write(conf_text)
    try:
        return subprocess.run([BIN, "-c", f.name, "config"],
                              capture_output=True, text=True)
    finally:
        os.unlink(f.name)


def test_every_key_documented_with_its_default():
    defaults = effective("")
    assert defaults.returncode == 0
    example = open(os.path.join(ROOT, "conf", "backops.conf.example")).read()
    documented = dict(re.findall(r"^(\w+) =[ ]?(.*)$", example, re.M))
    for line in defaults.stdout.splitlines():
        key, value = line.split(" = ", 1)
        assert key in documented, f"{key} missing from backops.conf.example"
        if key not in ("workers",):
            want = {"0": "false", "1": "true"}.get(value, value) \
                if documented[key] in ("true", "false") else value
            assert documented[key] == want, key
    # And the example itself loads.
    r = subprocess.run([BIN, "-c", os.path.join(ROOT, "conf",
                                                "backops.conf.example"),
                        "config"], capture_output=True, text=True)
    assert r.returncode == 0, r.stderr


def test_invalid_configuration_names_the_key():
    r = effective("workers = many\n")
    assert r.returncode == 2 and "workers" in r.stderr
    r = effective("no_such_key = 1\n")
    assert r.returncode == 2 and "no_such_key" in r.stderr
    r = effective("base_url = https://ops.example.com\n"
                  "insecure_dev_cookies = true\n")
    assert r.returncode == 2 and "insecure_dev_cookies" in r.stderr


def test_refuses_to_start_on_a_non_durable_database():
    from bo import CONF, sql
    sql("SET GLOBAL innodb_flush_log_at_trx_commit = 2")
    try:
        r = subprocess.run([BIN, "-c", CONF, "serve"], capture_output=True,
                           text=True, timeout=20)
    finally:
        sql("SET GLOBAL innodb_flush_log_at_trx_commit = 1")
    assert r.returncode != 0
    assert "innodb_flush_log_at_trx_commit" in r.stderr
    # The settings the stack runs with are the durable ones (T12).
    row = sql("SELECT @@innodb_flush_log_at_trx_commit, @@sync_binlog, "
              "@@log_bin, @@innodb_snapshot_isolation, @@tx_isolation")[0]
    assert row == ["1", "1", "1", "1", "REPEATABLE-READ"]
