"""`backopsd seed-demo` builds a living festival (issue 4 item 8) once,
and the demo logins work as the personas they describe."""

import re
import subprocess

from bo import BIN, CONF, Browser, sql_one


def seed():
    return subprocess.run([BIN, "-c", CONF, "seed-demo"], check=True,
                          capture_output=True, text=True).stdout


def test_seed_demo_festival_is_idempotent_and_usable():
    out = seed()
    again = seed()
    assert "already present" in again
    login = re.search(r"demo login: (\S+) / (\S+)", out)
    vendor = re.search(r"vendor login: (\S+) / (\S+)", out)
    ev = sql_one("SELECT id FROM events WHERE code = 'nlf2027'")
    assert sql_one(f"SELECT COUNT(*) FROM areas WHERE event_id = {ev}") == "6"
    assert sql_one(f"SELECT COUNT(*) FROM collaborators WHERE event_id = "
                   f"{ev}") == "8"
    assert int(sql_one(f"SELECT COUNT(*) FROM crew WHERE event_id = {ev}")) \
        >= 10
    products = sql_one("SELECT GROUP_CONCAT(DISTINCT p.product ORDER BY "
                       "p.product) FROM org_members m JOIN license_pools p ON "
                       "p.id = m.pool_id JOIN orgs o ON o.id = m.org_id WHERE "
                       "o.name = 'Northern Lights Productions'")
    assert set(products.split(",")) == {"org_pro", "org_standard"}

    dana = Browser()
    assert dana.login(login.group(1), login.group(2)).status_code == 303
    page = dana.get(f"/events/{ev}")
    assert page.status_code == 200 and "Northern Lights Festival" in page.text

    vera = Browser()
    assert vera.login(vendor.group(1), vendor.group(2)).status_code == 303
    home = vera.get("/")
    assert "Shared with me" in home.text and f"/events/{ev}" in home.text
    collabs = vera.get(f"/events/{ev}/collaborators").text
    assert "Soundwave Audio" in collabs
    assert "Harbor Catering" not in collabs
    harbor = sql_one(f"SELECT id FROM collaborators WHERE event_id = {ev} "
                     f"AND name = 'Harbor Catering'")
    assert vera.get(f"/events/{ev}/collaborators/{harbor}").status_code == 404
