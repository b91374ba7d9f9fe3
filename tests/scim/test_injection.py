"""SQL injection and odd text through SCIM, with a valid token: in filters, ids, paging
and every attribute coachkit keeps. No 500, no database error text."""

from __future__ import annotations

from urllib.parse import quote

from tests.scim.conftest import GROUP, USER
from tests.security.test_injection import CORE, DATABASE_ERRORS


def clean(response):
    body = response.get_data(as_text=True)
    return response.status_code < 500 and not DATABASE_ERRORS.search(body)


def test_payloads_give_no_database_error(app, scim):
    user_id = scim.user("sam", "sam@example.com").get_json()["id"]
    group_id = scim.group("Care", [user_id]).get_json()["id"]
    problems = []
    for payload in CORE:
        quoted = payload.replace('"', '\\"')
        user_filter = quote('userName eq "' + quoted + '"')
        group_filter = quote('displayName eq "' + quoted + '"')
        attempts = [
            scim("GET", f"/Users?filter={user_filter}"),
            scim("GET", f"/Groups?filter={group_filter}"),
            scim("GET", f"/Users?filter={quote(payload)}"),
            scim("GET", f"/Users?startIndex={quote(payload)}&count={quote(payload)}"),
            scim("GET", f"/Users/{quote(payload, safe='')}"),
            scim("GET", f"/Groups/{quote(payload, safe='')}"),
            scim.user(payload, "x@example.com", displayName=payload, externalId=payload),
            scim.group(payload, externalId=payload),
            scim(
                "PUT",
                f"/Users/{user_id}",
                {
                    "schemas": [USER],
                    "userName": payload,
                    "displayName": payload,
                    "emails": [{"value": "sam@example.com"}],
                },
            ),
            scim(
                "PUT",
                f"/Groups/{group_id}",
                {"schemas": [GROUP], "displayName": payload, "members": [{"value": payload}]},
            ),
            scim.patch(f"/Users/{user_id}", {"op": "replace", "path": payload, "value": payload}),
            scim.patch(
                f"/Groups/{group_id}", {"op": "remove", "path": f'members[value eq "{quoted}"]'}
            ),
        ]
        problems += [
            f"{payload}: {r.status_code} {r.get_data(as_text=True)[:200]}"
            for r in attempts
            if not clean(r)
        ]
    assert problems == []
