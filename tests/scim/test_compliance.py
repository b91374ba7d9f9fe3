"""A third-party SCIM compliance checker, scim2-tester, run against coachkit served on
loopback: discovery, Users and Groups (create, read, list, attribute selection, search,
replace, delete, PATCH add, replace and remove on every attribute) without an ERROR or
CRITICAL result."""

from __future__ import annotations

from collections import Counter

import httpx2
from scim2_client.engines.httpx2 import SyncSCIMClient
from scim2_tester import Status, check_server

from tests.scim.conftest import make_token

BAD = (Status.ERROR, Status.CRITICAL)


def test_scim2_tester_finds_no_error(app, live_scim):
    token = make_token(app, "scim2-tester")
    with httpx2.Client(
        base_url=live_scim, headers={"Authorization": f"Bearer {token}"}, timeout=30
    ) as http:
        results = check_server(SyncSCIMClient(http))
    failures = [
        f"{r.status.name} {r.resource_type} {r.title}: {r.reason}"
        for r in results
        if r.status in BAD
    ]
    assert failures == []
    counted = Counter((r.resource_type, r.status) for r in results)
    # It ran the whole suite: discovery and every check on both resource types.
    assert counted[(None, Status.SUCCESS)] >= 5
    assert counted[("User", Status.SUCCESS)] >= 12
    assert counted[("Group", Status.SUCCESS)] >= 10
    tags = set().union(*(r.tags for r in results))
    assert {"discovery", "crud:create", "crud:read", "crud:update", "crud:delete"} <= tags
    assert {"patch:add", "patch:remove", "patch:replace"} <= tags
