"""Candidates: adding one, CSV upload with bad rows, neutral codes, the candidate page,
invite links (shown once or e-mailed), revoking, decisions, deleting, blindness."""

from __future__ import annotations

import re

import pytest
from sqlalchemy import func, select

from coachkit.auth.sessions import token_digest
from coachkit.database import utcnow
from coachkit.extensions import db
from coachkit.hiring import invitations
from coachkit.hiring.candidates import comparison, decisions, roster
from coachkit.hiring.candidates.candidate_csv import UnreadableFile, read_csv
from coachkit.hiring.candidates.roster import CODE_DIGITS, CODE_LETTERS
from coachkit.hiring.models import Candidate, CandidateStatus, Invitation
from tests.conftest import page, signed_in
from tests.hiring.conftest import words

CODE = re.compile(rf"^[{CODE_LETTERS}]{{3}}-[{CODE_DIGITS}]{{3}}$")
LINK = re.compile(r'value="(https://coachkit\.test/screening/([A-Za-z0-9_-]+))"')


def stored(app, opening_id: int) -> list[tuple[str, str, str]]:
    with app.app_context():
        return [
            tuple(row)
            for row in db.session.execute(
                select(Candidate.name, Candidate.email, Candidate.code)
                .where(Candidate.opening_id == opening_id)
                .order_by(Candidate.id)
            )
        ]


def upload(client, opening_id: int, data: bytes, filename: str = "candidates.csv"):
    from io import BytesIO

    return client.post(
        f"/hiring/openings/{opening_id}/candidates/upload",
        data={"file": (BytesIO(data), filename)},
        content_type="multipart/form-data",
    )


# Adding one ------------------------------------------------------------------------


def test_recruiter_adds_a_candidate_with_a_neutral_code(app, people, make_opening):
    opening_id = make_opening()
    client = signed_in(app, people.recruiter)
    response = client.post(
        f"/hiring/openings/{opening_id}/candidates",
        data={"name": "  Ann Lee ", "email": " Ann.Lee@Example.ORG "},
    )
    [(name, email, code)] = stored(app, opening_id)
    assert (name, email) == ("Ann Lee", "ann.lee@example.org")
    assert CODE.match(code)
    with app.app_context():
        candidate_id = db.session.scalar(select(Candidate.id))
    assert response.headers["Location"] == (
        f"/hiring/openings/{opening_id}/candidates/{candidate_id}"
    )


def test_the_same_email_twice_in_one_opening_is_refused(app, people, make_opening, make_candidate):
    opening_id = make_opening()
    make_candidate(opening_id, name="Ann Lee", email="ann@example.org")
    client = signed_in(app, people.recruiter)
    response = client.post(
        f"/hiring/openings/{opening_id}/candidates",
        data={"name": "Ann Again", "email": "ANN@example.org"},
    )
    assert response.status_code == 200
    text = page(response)
    assert "This e-mail address is already a candidate for this opening." in text
    assert 'value="Ann Again"' in text
    assert len(stored(app, opening_id)) == 1


def test_the_same_email_may_apply_to_another_opening(app, people, make_opening, make_candidate):
    first, second = make_opening("Care adviser"), make_opening("Shop assistant")
    make_candidate(first, email="ann@example.org")
    client = signed_in(app, people.recruiter)
    client.post(
        f"/hiring/openings/{second}/candidates", data={"name": "Ann", "email": "ann@example.org"}
    )
    assert len(stored(app, second)) == 1


@pytest.mark.parametrize(
    ("fields", "message"),
    [
        ({"name": " "}, "Enter the candidate's name."),
        ({"name": "x" * 121}, "Keep the name under 121 characters."),
        ({"email": ""}, "Enter the candidate's e-mail address."),
        ({"email": "ann at example"}, "Enter a valid e-mail address, like name@example.com."),
    ],
)
def test_bad_candidate_input_shows_the_error_and_saves_nothing(
    app, people, make_opening, fields, message
):
    opening_id = make_opening()
    data = {"name": "Ann <i>Lee</i>", "email": "ann@example.org", **fields}
    response = signed_in(app, people.recruiter).post(
        f"/hiring/openings/{opening_id}/candidates", data=data
    )
    assert response.status_code == 200
    text = page(response)
    assert message in text
    assert 'aria-invalid="true"' in text
    assert f'value="{data["name"]}"' in text  # what was typed is kept, escaped
    assert f'value="{data["email"]}"' in text
    assert "<i>Lee</i>" not in response.get_data(as_text=True)
    assert stored(app, opening_id) == []


def test_codes_are_unique_and_unambiguous():
    taken = {"AAA-333"}
    codes = {roster.new_code(taken) for _ in range(500)}
    assert len(codes) == 500 and "AAA-333" not in codes
    assert all(CODE.match(code) for code in codes)
    for confusable in "01258BILOSZ":
        assert confusable not in CODE_LETTERS + CODE_DIGITS


def test_a_code_clash_is_retried(monkeypatch):
    picks = iter("AAA333" + "AAA333" + "CCC444")
    monkeypatch.setattr(roster.secrets, "choice", lambda _alphabet: next(picks))
    assert roster.new_code({"AAA-333"}) == "CCC-444"


# CSV upload ------------------------------------------------------------------------


def test_upload_adds_good_rows_and_reports_bad_ones_by_line(
    app, people, make_opening, make_candidate
):
    opening_id = make_opening()
    make_candidate(opening_id, name="Known Person", email="known@example.org")
    data = (
        b"E-mail,Name,Phone\n"  # any column order, extra columns ignored
        b"ann@example.org,Ann Lee,123\n"
        b",Nobody,\n"  # line 3: no e-mail
        b"bo@example.org,,\n"  # line 4: no name
        b"not-an-email,Cy,\n"  # line 5
        b"ANN@example.org,Ann Twice,\n"  # line 6: duplicate of line 2
        b"known@example.org,Known Again,\n"  # line 7: already a candidate
        b"\n"  # blank lines are skipped
        b"dee@example.org , Dee  Diaz ,\n"  # line 9
    )
    response = upload(signed_in(app, people.recruiter), opening_id, data)
    assert response.status_code == 200
    text = words(response)
    assert "2 candidates added" in text
    assert "5 rows not added" in text
    assert "3 The e-mail address is missing" in text
    assert "4 The name is missing" in text
    assert "5 “not-an-email” is not a valid e-mail address" in text
    assert "6 ann@example.org is already on line 2 of this file" in text
    assert "7 known@example.org is already a candidate for this opening" in text
    rows = stored(app, opening_id)
    assert [(name, email) for name, email, _code in rows] == [
        ("Known Person", "known@example.org"),
        ("Ann Lee", "ann@example.org"),
        ("Dee Diaz", "dee@example.org"),
    ]
    assert all(CODE.match(code) for _n, _e, code in rows[1:])
    assert len({code for _n, _e, code in rows}) == 3


def test_upload_reads_utf8_with_a_byte_order_mark_and_semicolons(app, people, make_opening):
    opening_id = make_opening()
    data = "\ufeffname;email\r\nZoë Ångström;zoe@example.org\r\n".encode()
    upload(signed_in(app, people.recruiter), opening_id, data)
    assert [row[:2] for row in stored(app, opening_id)] == [("Zoë Ångström", "zoe@example.org")]


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ("name,email\nZoë,zoe@example.org\n".encode("latin-1"), "The file is not UTF-8 text"),
        (b"", "The file is empty."),
        (b"first,second\nAnn,ann@example.org\n", "no name and email column found"),
        (b"name,mail\nAnn,ann@example.org\n", "no email column found"),
        (b"name,email\nAnn,ann@ex\x00ample.org\n", "binary data"),
        (("name,email\n" + "A,a@example.org\n" * 1001).encode(), "more than 1,000 candidates"),
    ],
)
def test_an_unreadable_file_adds_nothing(app, people, make_opening, data, message):
    opening_id = make_opening()
    response = upload(signed_in(app, people.recruiter), opening_id, data)
    assert response.status_code == 200
    text = page(response)
    assert message in text
    assert 'aria-invalid="true"' in text
    assert stored(app, opening_id) == []


def test_exactly_1000_rows_are_accepted():
    data = ("name,email\n" + "".join(f"P{i},p{i}@example.org\n" for i in range(1000))).encode()
    rows = read_csv(data)
    assert len(rows) == 1000
    assert rows[0] == (2, "P0", "p0@example.org") and rows[-1][0] == 1001


def test_upload_without_a_file_asks_for_one(app, people, make_opening):
    opening_id = make_opening()
    response = signed_in(app, people.recruiter).post(
        f"/hiring/openings/{opening_id}/candidates/upload", data={}
    )
    assert "Choose a CSV file to upload." in page(response)


def test_broken_quoting_is_reported_as_unreadable():
    with pytest.raises(UnreadableFile, match="not valid CSV"):
        read_csv(b'name,email\n"Ann,ann@example.org\n' + b"x" * 200_000)


@pytest.mark.parametrize(
    ("data", "expected"),
    [
        pytest.param(
            b"\n\r\n  \nname,email\nAnn Lee,ann@example.org\n",
            [(5, "Ann Lee", "ann@example.org")],
            id="blank lines before the header",
        ),
        pytest.param(
            b"sep=;\r\nName;E-mail\r\nLee, Ann;ann@example.org\r\n",
            [(3, "Lee, Ann", "ann@example.org")],
            id="Excel sep=; line",
        ),
        pytest.param(
            b"sep=,\nname,email\nAnn Lee,ann@example.org\n",
            [(3, "Ann Lee", "ann@example.org")],
            id="Excel sep=, line",
        ),
        pytest.param(
            b"sep=\t\nname\temail\nLee, Ann\tann@example.org\n",
            [(3, "Lee, Ann", "ann@example.org")],
            id="Excel sep=tab line",
        ),
        pytest.param(
            b"name;email\nLee, Ann;ann@example.org\nBo Diaz;bo@example.org\n",
            [(2, "Lee, Ann", "ann@example.org"), (3, "Bo Diaz", "bo@example.org")],
            id="semicolons without sep line",
        ),
        pytest.param(
            b"Name\tEmail\tNotes\nLee, Ann\tann@example.org\tcalls back; kind\n",
            [(2, "Lee, Ann", "ann@example.org")],
            id="tabs without sep line",
        ),
        pytest.param(
            b"name,email\nAnn; Lee,ann@example.org\nBo,bo@example.org\n",
            [(2, "Ann; Lee", "ann@example.org"), (3, "Bo", "bo@example.org")],
            id="commas with a semicolon in a name",
        ),
        pytest.param(
            b"name;email\n",
            [],
            id="semicolon header alone",
        ),
        pytest.param(
            b"name,email\r\n\r\nAnn,ann@example.org\r\n,,\r\n\r\nBo,bo@example.org\r\n",
            [(3, "Ann", "ann@example.org"), (6, "Bo", "bo@example.org")],
            id="blank lines between rows keep line numbers",
        ),
        pytest.param(
            b'name,email\n"Ann\nLee",ann@example.org\nBo,bo@example.org\n',
            [(2, "Ann\nLee", "ann@example.org"), (4, "Bo", "bo@example.org")],
            id="a cell over two lines: its row starts on the first",
        ),
    ],
)
def test_read_csv_accepts_what_spreadsheets_export(data, expected):
    assert read_csv(data) == expected


@pytest.mark.parametrize(
    ("header", "row", "name"),
    [
        (" NAME , Email Address ", "Ann Lee,ann@example.org", "Ann Lee"),
        ("Full Name,E-Mail", "Ann Lee,ann@example.org", "Ann Lee"),
        ("Candidate name,e-mail address", "Ann Lee,ann@example.org", "Ann Lee"),
        ("First Name,Last Name,Email", "Ann,Lee,ann@example.org", "Ann Lee"),
        ("email,last_name,first_name", "ann@example.org,Lee,Ann", "Ann Lee"),
        ("Given name,Family name,Phone,Email", "Ann,Lee,0123,ann@example.org", "Ann Lee"),
        ("first name,surname,email", "Ann,,ann@example.org", "Ann"),
        ("Surname,Email", "Lee,ann@example.org", "Lee"),
        ("id,Name,First name,Email", "7,Ann Lee,Annie,ann@example.org", "Ann Lee"),
    ],
)
def test_header_names_are_recognised_in_any_case(header, row, name):
    [(line, read_name, email)] = read_csv(f"{header}\n{row}\n".encode())
    assert (line, " ".join(read_name.split()), email) == (2, name, "ann@example.org")


def test_upload_reports_physical_lines_after_blank_lines_and_a_sep_line(app, people, make_opening):
    opening_id = make_opening()
    data = (
        b"sep=;\r\n"  # line 1
        b"\r\n"  # line 2
        b"First name;Last name;E-mail address\r\n"  # line 3
        b"Ann;Lee;ann@example.org\r\n"  # line 4
        b"\r\n"  # line 5
        b"Bo;Diaz;not-an-email\r\n"  # line 6
        b";;cy@example.org\r\n"  # line 7
        b"Dee;Diaz;dee@example.org\r\n"  # line 8
    )
    text = words(upload(signed_in(app, people.recruiter), opening_id, data))
    assert "2 candidates added" in text and "2 rows not added" in text
    assert "6 “not-an-email” is not a valid e-mail address" in text
    assert "7 The name is missing" in text
    assert [row[:2] for row in stored(app, opening_id)] == [
        ("Ann Lee", "ann@example.org"),
        ("Dee Diaz", "dee@example.org"),
    ]


def test_upload_reads_excel_unicode_text(app, people, make_opening):
    opening_id = make_opening()
    data = "Name\tEmail\r\nZoë Ångström\tzoe@example.org\r\n".encode("utf-16")
    upload(signed_in(app, people.recruiter), opening_id, data)
    assert [row[:2] for row in stored(app, opening_id)] == [("Zoë Ångström", "zoe@example.org")]


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ("name;email\nZoë;zoe@example.org\n".encode("cp1252"), "Save As › “CSV UTF-8"),
        (b"PK\x03\x04\x14\x00\x06\x00", "This is a spreadsheet workbook, not a CSV file."),
        (b"\n\n \n", "The file is empty."),
        (b"sep=;\n\n", "The file is empty."),
        (b"first,second\nAnn,ann@example.org\n", "“first name” and “last name” columns"),
    ],
)
def test_an_unreadable_file_says_how_to_fix_it(data, message):
    with pytest.raises(UnreadableFile) as error:
        read_csv(data)
    assert message in str(error.value)


def test_more_than_1000_rows_with_blank_lines_are_counted_by_rows():
    rows = "".join(f"P{i},p{i}@example.org\n\n" for i in range(1000))
    assert len(read_csv(("name,email\n" + rows).encode())) == 1000
    with pytest.raises(UnreadableFile, match="more than 1,000"):
        read_csv(("name,email\n" + rows + "Q,q@example.org\n").encode())


# The candidate page ----------------------------------------------------------------


def test_candidate_page_shows_identity_link_time_and_scores(
    app, people, make_opening, make_candidate, invite, submitted
):
    opening_id = make_opening()
    candidate_id = make_candidate(opening_id, name="Ann Lee", email="ann@example.org")
    invite(candidate_id)
    submitted(candidate_id, quality=1.0)
    with app.app_context():
        candidate = db.session.get(Candidate, candidate_id)
        candidate.seconds_taken = 700
        code = candidate.code
        db.session.commit()
    url = f"/hiring/openings/{opening_id}/candidates/{candidate_id}"
    text = words(signed_in(app, people.recruiter).get(url))
    for expected in ("Ann Lee", "ann@example.org", code, "Submitted", "11 min 40 s"):
        assert expected in text
    assert "Used: answers handed in" in text
    assert "Times sent 1" in text
    assert "shown to a recruiter to send" in text
    assert "Empathy 5.0" in text  # keyed items answered best: top marks
    assert "Overall" in text
    assert "Shortlist" in text and "Hire" in text


@pytest.mark.parametrize(
    ("seconds", "timed_out", "expected"),
    [
        (700, False, "11 min 40 s"),
        (45, False, "45 s"),
        (3725, False, "1 h 2 min"),
        (1200, True, "20 min 0 s, timed out"),
        (None, True, "timed out"),
        (None, False, ""),
    ],
)
def test_time_taken_reads_naturally(seconds, timed_out, expected):
    assert comparison.time_taken(Candidate(seconds_taken=seconds, timed_out=timed_out)) == expected


# Invite links ----------------------------------------------------------------------


def test_without_smtp_the_link_is_shown_once_and_only_its_hash_is_stored(
    app, people, make_opening, make_candidate
):
    opening_id = make_opening()
    candidate_id = make_candidate(opening_id, name="Ann Lee")
    client = signed_in(app, people.recruiter)
    url = f"/hiring/openings/{opening_id}/candidates/{candidate_id}"
    response = client.post(f"{url}/invite")
    assert response.status_code == 200
    text = page(response)
    assert "E-mail is not configured" in text
    assert "This is the only time the links are shown" in text
    link, token = LINK.search(text).groups()
    with app.app_context():
        invitation = db.session.scalar(select(Invitation))
        assert invitation.token_hash == token_digest(token)
        assert not invitation.emailed
        assert db.session.get(Candidate, candidate_id).status == CandidateStatus.INVITED
    assert token not in page(client.get(url))  # never shown again


def test_resend_issues_a_new_link_and_the_old_one_stops(app, people, make_opening, make_candidate):
    opening_id = make_opening()
    candidate_id = make_candidate(opening_id)
    client = signed_in(app, people.recruiter)
    url = f"/hiring/openings/{opening_id}/candidates/{candidate_id}"
    first = LINK.search(page(client.post(f"{url}/invite"))).group(2)
    second = LINK.search(page(client.post(f"{url}/invite"))).group(2)
    assert first != second
    with app.app_context():
        assert invitations.find(first) is None
        assert invitations.find(second).times_sent == 2
    assert "Times sent 2" in words(client.get(url))


def test_with_smtp_the_link_is_emailed(app, people, make_opening, make_candidate, smtp):
    opening_id = make_opening()
    candidate_id = make_candidate(opening_id, name="Ann Lee", email="ann@example.org")
    client = signed_in(app, people.recruiter)
    url = f"/hiring/openings/{opening_id}/candidates/{candidate_id}"
    response = client.post(f"{url}/invite")
    assert response.headers["Location"] == url
    [message] = smtp.sent
    assert message["To"] == "ann@example.org"
    token = re.search(r"/screening/([A-Za-z0-9_-]+)", message.get_content()).group(1)
    with app.app_context():
        invitation = invitations.find(token)
        assert invitation is not None and invitation.emailed
    text = words(client.get(url))
    assert "Sent 1 invitation by e-mail." in text
    assert "e-mailed to the candidate" in text


def test_revoke_stops_the_link(app, people, make_opening, make_candidate, invite):
    opening_id = make_opening()
    candidate_id = make_candidate(opening_id)
    token = invite(candidate_id)
    client = signed_in(app, people.recruiter)
    url = f"/hiring/openings/{opening_id}/candidates/{candidate_id}"
    response = client.post(f"{url}/revoke", follow_redirects=True)
    assert "Link revoked" in page(response)
    with app.app_context():
        assert invitations.state(invitations.find(token)) == invitations.LinkState.REVOKED
    assert "Revoke link" not in page(client.get(url))


def test_a_candidate_who_handed_in_gets_no_new_link(
    app, people, make_opening, make_candidate, submitted
):
    opening_id = make_opening()
    candidate_id = make_candidate(opening_id)
    submitted(candidate_id)
    response = signed_in(app, people.recruiter).post(
        f"/hiring/openings/{opening_id}/candidates/{candidate_id}/invite", follow_redirects=True
    )
    assert "a new link would accept nothing" in page(response)
    with app.app_context():
        assert db.session.scalar(select(func.count(Invitation.id))) == 0


def test_invite_all_without_smtp_lists_each_new_candidates_link(
    app, people, make_opening, make_candidate, invite
):
    opening_id = make_opening()
    fresh = [make_candidate(opening_id, name=f"New Person{i}") for i in range(3)]
    already = make_candidate(opening_id, name="Already Invited")
    invite(already)
    response = signed_in(app, people.recruiter).post(f"/hiring/openings/{opening_id}/invite-all")
    text = page(response)
    links = LINK.findall(text)
    assert len(links) == 3
    assert all(f"New Person{i}" in text for i in range(3))
    assert "Already Invited" not in text
    with app.app_context():
        hashes = set(db.session.scalars(select(Invitation.token_hash)))
        assert {token_digest(token) for _url, token in links} <= hashes
        statuses = db.session.scalars(select(Candidate.status).where(Candidate.id.in_(fresh)))
        assert set(statuses) == {CandidateStatus.INVITED}


def test_invite_all_with_smtp_sends_every_link(app, people, make_opening, make_candidate, smtp):
    opening_id = make_opening()
    for i in range(3):
        make_candidate(opening_id, email=f"p{i}@example.org")
    client = signed_in(app, people.recruiter)
    response = client.post(f"/hiring/openings/{opening_id}/invite-all", follow_redirects=True)
    assert "Sent 3 invitations by e-mail." in page(response)
    assert sorted(message["To"] for message in smtp.sent) == [
        "p0@example.org",
        "p1@example.org",
        "p2@example.org",
    ]
    again = client.post(f"/hiring/openings/{opening_id}/invite-all", follow_redirects=True)
    assert "nobody new to invite" in page(again)
    assert len(smtp.sent) == 3


# Decisions -------------------------------------------------------------------------


def test_decisions_wait_for_answers(app, people, make_opening, make_candidate, invite):
    opening_id = make_opening()
    candidate_id = make_candidate(opening_id)
    invite(candidate_id)
    url = f"/hiring/openings/{opening_id}/candidates/{candidate_id}"
    client = signed_in(app, people.recruiter)
    assert "once the candidate has handed in" in page(client.get(url))
    response = client.post(f"{url}/decision", data={"decision": "hired"}, follow_redirects=True)
    assert "Decide once the candidate has handed in their answers." in page(response)
    with app.app_context():
        assert db.session.get(Candidate, candidate_id).status == CandidateStatus.INVITED


@pytest.mark.parametrize("decision", ["shortlisted", "rejected", "hired"])
def test_recruiter_decides_about_an_answered_candidate(
    app, people, make_opening, make_candidate, submitted, decision
):
    opening_id = make_opening()
    candidate_id = make_candidate(opening_id)
    submitted(candidate_id)
    url = f"/hiring/openings/{opening_id}/candidates/{candidate_id}"
    client = signed_in(app, people.recruiter)
    response = client.post(f"{url}/decision", data={"decision": decision})
    assert response.headers["Location"] == url
    with app.app_context():
        candidate = db.session.get(Candidate, candidate_id)
        assert candidate.status == CandidateStatus(decision)
        assert candidate.decided_at is not None
    text = page(client.get(url))
    assert ("Hand over the skill profile" in text) == (decision == "hired")


def test_an_unknown_decision_is_refused(app, people, make_opening, make_candidate, submitted):
    opening_id = make_opening()
    candidate_id = make_candidate(opening_id)
    submitted(candidate_id)
    response = signed_in(app, people.recruiter).post(
        f"/hiring/openings/{opening_id}/candidates/{candidate_id}/decision",
        data={"decision": "invited"},
        follow_redirects=True,
    )
    assert "Choose shortlist, reject or hire." in page(response)
    with app.app_context():
        assert db.session.get(Candidate, candidate_id).status == CandidateStatus.SUBMITTED


# Deleting --------------------------------------------------------------------------


def test_delete_needs_confirmation(app, people, make_opening, make_candidate):
    opening_id = make_opening()
    candidate_id = make_candidate(opening_id)
    response = signed_in(app, people.recruiter).post(
        f"/hiring/openings/{opening_id}/candidates/{candidate_id}/delete", data={}
    )
    assert response.status_code == 200
    assert "Tick the box to confirm" in page(response)
    with app.app_context():
        assert db.session.get(Candidate, candidate_id) is not None


def test_delete_removes_the_candidate(app, people, make_opening, make_candidate, invite):
    opening_id = make_opening()
    candidate_id = make_candidate(opening_id)
    invite(candidate_id)
    client = signed_in(app, people.recruiter)
    response = client.post(
        f"/hiring/openings/{opening_id}/candidates/{candidate_id}/delete", data={"confirm": "y"}
    )
    assert response.headers["Location"] == f"/hiring/openings/{opening_id}/candidates"
    assert "invite link, answers, scores" in page(client.get(response.headers["Location"]))
    with app.app_context():
        assert db.session.get(Candidate, candidate_id) is None
        assert db.session.scalar(select(func.count(Invitation.id))) == 0


# Blind by default ------------------------------------------------------------------


def test_candidate_list_shows_codes_unless_names_are_asked_for(
    app, people, make_opening, make_candidate, invite
):
    opening_id = make_opening()
    candidate_id = make_candidate(opening_id, name="Ann Lee", email="ann@example.org")
    invite(candidate_id)
    with app.app_context():
        code = db.session.get(Candidate, candidate_id).code
    client = signed_in(app, people.recruiter)
    blind = page(client.get(f"/hiring/openings/{opening_id}/candidates"))
    assert code in blind
    assert "Ann Lee" not in blind and "ann@example.org" not in blind
    assert "Raters always score blind" in blind
    named = page(client.get(f"/hiring/openings/{opening_id}/candidates?names=1"))
    assert "Ann Lee" in named
    assert "Works until" in named


def test_candidate_list_filters_by_status(app, people, make_opening, make_candidate, invite):
    opening_id = make_opening()
    make_candidate(opening_id, name="Still New")
    invite(make_candidate(opening_id, name="Now Invited"))
    text = page(
        signed_in(app, people.recruiter).get(
            f"/hiring/openings/{opening_id}/candidates?status=invited&names=1"
        )
    )
    assert "Now Invited" in text and "Still New" not in text


def test_candidate_list_runs_the_same_queries_for_few_and_many(
    app, people, make_opening, make_candidate, invite, count_queries
):
    opening_id = make_opening()
    client = signed_in(app, people.recruiter)
    url = f"/hiring/openings/{opening_id}/candidates"

    def grow(count: int) -> int:
        for _ in range(count):
            invite(make_candidate(opening_id))
        return count_queries(lambda: client.get(url))

    assert grow(3) == grow(27)


def test_decided_at_and_activity_move_with_a_decision(app, make_opening, make_candidate, submitted):
    opening_id = make_opening()
    candidate_id = make_candidate(opening_id)
    submitted(candidate_id)
    with app.app_context():
        candidate = db.session.get(Candidate, candidate_id)
        before = utcnow()
        decisions.decide(candidate, CandidateStatus.SHORTLISTED)
        assert candidate.decided_at >= before and candidate.last_activity_at >= before
        with pytest.raises(ValueError):
            decisions.decide(candidate, CandidateStatus.SCORED)
        db.session.rollback()


def test_invite_all_reads_the_same_for_few_and_many(
    app, people, make_opening, make_candidate, count_queries
):
    client = signed_in(app, people.recruiter)

    def grow(count: int) -> int:
        opening_id = make_opening(f"Opening for {count}")
        for _ in range(count):
            make_candidate(opening_id)
        return count_queries(
            lambda: client.post(f"/hiring/openings/{opening_id}/invite-all"), only="SELECT"
        )

    # Reads stay fixed; each new link is still one row written.
    assert grow(3) == grow(30)


def test_a_link_that_could_not_be_emailed_is_shown_instead(
    app, people, make_opening, make_candidate, smtp, monkeypatch
):
    from coachkit import mail

    opening_id = make_opening()
    candidate_id = make_candidate(opening_id, name="Ann Lee")
    monkeypatch.setattr(mail, "send", lambda *args: False)  # the server refused it
    response = signed_in(app, people.recruiter).post(
        f"/hiring/openings/{opening_id}/candidates/{candidate_id}/invite"
    )
    text = page(response)
    assert "E-mail could not be sent to this candidate." in text
    token = LINK.search(text).group(2)
    with app.app_context():
        invitation = invitations.find(token)
        assert invitation is not None and not invitation.emailed


# Sending invitations in batches ----------------------------------------------------


@pytest.fixture
def connections(monkeypatch) -> list[int]:
    """Each SMTP connection opened (its port), while still talking to the real server."""
    import smtplib

    from coachkit import mail

    opened: list[int] = []

    class CountedSMTP(smtplib.SMTP):
        def __init__(self, host: str, port: int, timeout: float) -> None:
            opened.append(port)
            super().__init__(host, port, timeout=timeout)

    monkeypatch.setattr(mail.smtplib, "SMTP", CountedSMTP)
    return opened


def closed_port() -> int:
    import socket

    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def test_send_many_sends_a_batch_over_one_connection(app, smtp, connections):
    from coachkit import mail

    batch = [mail.Message(f"p{i}@example.org", f"Hello {i}", f"Body {i}") for i in range(5)]
    with app.app_context():
        assert mail.send_many(batch) == {0, 1, 2, 3, 4}
        assert mail.send("solo@example.org", "Alone", "Body")
    assert [message["To"] for message in smtp.sent] == [
        *(f"p{i}@example.org" for i in range(5)),
        "solo@example.org",
    ]
    assert smtp.sent[2].get_content().strip() == "Body 2"
    assert len(connections) == 2  # one for the batch, one for the single message


def test_a_refused_recipient_does_not_stop_the_batch(app, smtp, connections):
    from coachkit import mail

    async def handle_RCPT(server, session, envelope, address, options):  # noqa: N802
        if address.startswith("refused"):
            return "550 No such mailbox"
        envelope.rcpt_tos.append(address)
        return "250 OK"

    smtp.handle_RCPT = handle_RCPT
    batch = [mail.Message(to, "Hi", "Body") for to in ("a@example.org", "refused@example.org")]
    batch.append(mail.Message("c@example.org", "Hi", "Body"))
    with app.app_context():
        assert mail.send_many(batch) == {0, 2}
    assert [message["To"] for message in smtp.sent] == ["a@example.org", "c@example.org"]
    assert len(connections) == 1


def test_an_unreachable_server_fails_the_batch_at_once_without_logging_bodies(
    app, connections, caplog
):
    from coachkit import mail

    app.config.update(SMTP_HOST="127.0.0.1", SMTP_PORT=closed_port(), SMTP_STARTTLS=False)
    batch = [mail.Message(f"p{i}@example.org", "Hi", f"secret-link-{i}") for i in range(3)]
    with app.app_context():
        assert mail.send_many(batch) == set()
        app.config["SMTP_HOST"] = ""
        assert mail.send_many(batch) == set()  # not configured: nothing tried
    assert len(connections) == 1  # the later messages did not try again
    assert "p2@example.org" in caplog.text and "secret-link" not in caplog.text


def test_invite_all_sends_at_most_a_batch_oldest_first(
    app, people, make_opening, add_candidates, smtp, connections
):
    opening_id = make_opening()
    ids = add_candidates(opening_id, invitations.INVITE_BATCH + 3, CandidateStatus.NEW, text="")
    client = signed_in(app, people.recruiter)
    response = client.post(f"/hiring/openings/{opening_id}/invite-all", follow_redirects=True)
    assert (
        "Sent 100 invitations by e-mail. 3 new candidates are still to invite: "
        "press “Invite all” again." in words(response)
    )
    assert len(smtp.sent) == 100 and len(connections) == 1
    with app.app_context():
        waiting = db.session.scalars(
            select(Candidate.id).where(Candidate.status == CandidateStatus.NEW)
        )
        assert sorted(waiting) == ids[-3:]
        emailed = db.session.scalar(select(func.count()).where(Invitation.emailed))
        assert emailed == 100
    again = words(client.post(f"/hiring/openings/{opening_id}/invite-all", follow_redirects=True))
    assert "Sent 3 invitations by e-mail." in again and "still to invite" not in again
    assert len(smtp.sent) == 103 and len(connections) == 2


def test_invite_all_shows_the_links_it_could_not_send(
    app, people, make_opening, make_candidate, smtp, connections
):
    opening_id = make_opening()
    for i in range(3):
        make_candidate(opening_id, name=f"New Person{i}")
    app.config["SMTP_PORT"] = closed_port()  # the server is down
    response = signed_in(app, people.recruiter).post(f"/hiring/openings/{opening_id}/invite-all")
    text = page(response)
    assert "E-mail could not be sent to these candidates." in text
    links = LINK.findall(text)
    assert len(links) == 3 and all(f"New Person{i}" in text for i in range(3))
    assert "still to invite" not in text
    assert smtp.sent == [] and len(connections) == 1
    with app.app_context():
        for _url, token in links:
            invitation = invitations.find(token)
            assert invitation is not None and not invitation.emailed


def test_invite_all_without_smtp_shows_a_batch_and_what_remains(
    app, people, make_opening, add_candidates
):
    opening_id = make_opening()
    add_candidates(opening_id, invitations.INVITE_BATCH + 1, CandidateStatus.NEW, text="")
    response = signed_in(app, people.recruiter).post(f"/hiring/openings/{opening_id}/invite-all")
    text = words(response)
    assert len(LINK.findall(page(response))) == 100
    assert "1 new candidate is still to invite: press “Invite all” again." in text
