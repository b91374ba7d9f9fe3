"""Adding candidates from a CSV file: what spreadsheets and applicant tracking systems
export, bad rows reported by their line, unreadable files refused whole."""

from __future__ import annotations

import pytest

from coachkit.hiring.candidates.candidate_csv import UnreadableFile, read_csv
from tests.conftest import page, signed_in
from tests.hiring.candidates.conftest import CODE, stored
from tests.hiring.conftest import words


def upload(client, opening_id: int, data: bytes, filename: str = "candidates.csv"):
    from io import BytesIO

    return client.post(
        f"/hiring/openings/{opening_id}/candidates/upload",
        data={"file": (BytesIO(data), filename)},
        content_type="multipart/form-data",
    )


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


# Edge cases: an unclosed quote, a header alone, UTF-16 without its byte-order mark --


def test_an_unclosed_quote_is_reported_by_its_line_and_swallows_nothing(app, people, make_opening):
    data = b'name,email\nAnn Lee,ann@example.org\n"Bo Chen,bo@example.org\nCy,cy@example.org\n'
    with pytest.raises(UnreadableFile) as error:
        read_csv(data)
    assert 'the quote (") opened on line 3 is not closed' in str(error.value)
    assert "so line 4 would be read as part of that row" in str(error.value)
    with pytest.raises(UnreadableFile, match="so lines 3 to 4 would be read"):
        read_csv(b'name,email\n"Ann,ann@example.org\nBo,bo@example.org\nCy,cy@example.org\n')
    opening_id = make_opening()
    response = upload(signed_in(app, people.recruiter), opening_id, data)
    assert "opened on line 3 is not closed" in page(response)
    assert stored(app, opening_id) == []  # nothing half-imported


def test_a_quoted_comma_is_still_fine():
    assert read_csv(b'name,email\n"Lee, Ann",ann@example.org\n') == [
        (2, "Lee, Ann", "ann@example.org")
    ]


@pytest.mark.parametrize(
    "data",
    [b"name,email\n", b"name,email\r\n\r\n\r\n", b"sep=;\nname;email\n", b"name;email\n"],
)
def test_a_header_without_rows_says_no_rows_were_found(app, people, make_opening, data):
    with pytest.raises(UnreadableFile, match="No rows were found"):
        read_csv(data)
    opening_id = make_opening()
    response = upload(signed_in(app, people.recruiter), opening_id, data)
    assert "No rows were found" in page(response)


@pytest.mark.parametrize("encoding", ["utf-16-le", "utf-16-be"])
def test_utf16_without_a_byte_order_mark_is_read(encoding):
    data = "Name,Email\r\nZoë Ångström,zoe@example.org\r\n".encode(encoding)
    assert read_csv(data) == [(2, "Zoë Ångström", "zoe@example.org")]


def test_the_upload_result_lists_who_was_added(app, people, make_opening):
    opening_id = make_opening()
    data = b"name,email\nAnn Lee,ann@example.org\nBo Chen,not-an-address\n"
    response = upload(signed_in(app, people.recruiter), opening_id, data)
    text = words(response)
    [(_name, _email, code)] = stored(app, opening_id)
    assert "1 candidate added" in text
    assert f"Added Name E-mail Code Ann Lee ann@example.org {code}" in text
    assert "1 row not added" in text
