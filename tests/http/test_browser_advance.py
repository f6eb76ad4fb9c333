"""Issue 7's real-browser test: headless Debian chromium, driven by the
npm package playwright-core (tests/browser/advance_submit.js), fills a
module as a vendor — two answers saved as they are typed, a request line
item added — submits it, and staff then sees it waiting for review. The
database is checked afterwards, so the browser's view and the stored
state must agree."""

import json
import os
import subprocess

import pytest

from advfix import advance, asset_type, module, module_template, question, \
    request
from bo import BASE, PASSWORD, sql, sql_one
from world import build_world

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(
    os.path.abspath(__file__))))
SCRIPT = os.path.join(ROOT, "tests", "browser", "advance_submit.js")


@pytest.fixture(scope="module")
def w():
    w = build_world()
    ev = w.event
    power = asset_type(ev, "Power drop", [
        ("phase", "Phase", "select", [("one", "Single phase"),
                                      ("three", "Three phase")], 1),
        ("amps", "Current (A)", "number", None, 1)])
    w.tpl = module_template(ev, "Stage needs")
    w.foh = question(ev, w.tpl, 1, "FOH console", "text", required=1)
    w.mixes = question(ev, w.tpl, 2, "Monitor mixes", "number", required=1)
    w.drops = request(ev, w.tpl, 3, "Power drops", asset=power, op=1, res=0)
    w.adv = advance(ev, w.v1, "Festival show")
    w.mod = module(ev, w.adv, w.tpl, submission=1)
    return w


def test_vendor_fills_and_submits_a_module_staff_sees_it_needs_review(w,
                                                                      tmp_path):
    env = dict(os.environ, BO_BASE=BASE, BO_EVENT=str(w.event),
               BO_ADV=str(w.adv), BO_VENDOR_EMAIL=w.vendor1.email,
               BO_STAFF_EMAIL=w.owner.email, BO_PASSWORD=PASSWORD,
               BO_SHOT_DIR=str(tmp_path),
               NODE_PATH=os.path.join(ROOT, "tests", "browser",
                                      "node_modules"))
    run = subprocess.run(["node", SCRIPT], env=env, capture_output=True,
                         text=True, timeout=180,
                         cwd=os.path.join(ROOT, "tests", "browser"))
    print(run.stdout, run.stderr)
    assert run.returncode == 0, run.stdout + run.stderr
    assert run.stdout.count("ok - ") == 5 and "not ok" not in run.stdout

    # What the browser did is what was stored.
    rows = dict(sql(f"SELECT block_id, value FROM answers WHERE "
                    f"advance_module_id = {w.mod}"))
    assert rows == {str(w.foh): "DiGiCo SD12", str(w.mixes): "12"}
    assert sql_one(f"SELECT COUNT(*) FROM answers WHERE advance_module_id = "
                   f"{w.mod} AND review = 'needs_review'") == "2"
    (props, review, op), = sql(f"SELECT props, review, op_state FROM "
                               f"line_items WHERE advance_module_id = "
                               f"{w.mod}")
    assert json.loads(props)["props"] == {"phase": "three", "amps": "63"}
    assert (review, op) == ("needs_review", "pending")
    assert sql_one(f"SELECT state FROM advance_modules WHERE id = "
                   f"{w.mod}") == "submitted"
