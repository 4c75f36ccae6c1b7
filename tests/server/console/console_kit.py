"""Helpers for the console tests: sign in through the form, CSRF tokens, seeded inspections."""
from __future__ import annotations

import hashlib
import io
import re
import time

from server_testkit import PASSWORD, finding, inspection_item, uid

CSRF_RE = re.compile(r'name="csrf_token" value="([^"]+)"')


def csrf(client, path: str = "/console/login") -> str:
    """Return the CSRF token shown in the form at `path`."""
    html = client.get(path).get_data(as_text=True)
    match = CSRF_RE.search(html)
    assert match, html[:500]
    return match.group(1)


def sign_in(client, username: str, password: str = PASSWORD):
    """Post the sign-in form; returns the response (not followed)."""
    return client.post("/console/login", data={"csrf_token": csrf(client), "username": username,
                                               "password": password})


def seed(api, photos=()) -> dict[str, str]:
    """Push inspections through the real push API; returns their ids by role in the tests:
    `disagree` (chaoyang, a tablet 'pass' the server judges 'fail', one photo never uploaded),
    `plain` (chaoyang, all pass, another company), `haidian` (another district)."""
    ids = {"disagree": uid(), "plain": uid(), "haidian": uid()}
    items = [
        inspection_item(ids["disagree"], findings=[finding(measured="15"), finding(measured="24", outcome="pass")],
                        photos=["ab" * 32, *photos], address="北京市朝阳区示例路1号", batch="B2025-06",
                        product_name="婴儿纯棉连体衣 59cm"),
        inspection_item(ids["plain"], findings=[finding(measured="12")], company_name="北京示例纺织有限公司"),
    ]
    r = api.push(items, "insp_chaoyang")
    assert [x["status"] for x in r.json["results"]] == ["applied", "applied"], r.json
    r = api.push([inspection_item(ids["haidian"], jurisdiction="110108", findings=[finding(measured="10")])],
                 "insp_haidian")
    assert r.json["results"][0]["status"] == "applied", r.json
    return ids


def jpeg_bytes(colour=(180, 40, 40)) -> tuple[bytes, str]:
    """Return (a small real JPEG, its SHA-256 hex)."""
    from PIL import Image

    buf = io.BytesIO()
    Image.new("RGB", (640, 480), colour).save(buf, "JPEG", quality=80)
    data = buf.getvalue()
    return data, hashlib.sha256(data).hexdigest()


def wait_js(page, expression: str, timeout: float = 10.0) -> None:
    """Wait until `expression` is true in the page (page.evaluate, polled: the console's
    Content-Security-Policy forbids the eval that Playwright's wait_for_function uses)."""
    deadline = time.monotonic() + timeout
    while not page.evaluate(expression):
        assert time.monotonic() < deadline, f"timed out waiting for {expression}"
        page.wait_for_timeout(50)
