from constellation.core.spreadsheets import safe_cell, safe_row


def test_text_a_spreadsheet_would_run_gets_an_apostrophe():
    assert safe_row(["=1+1", "+33 1 23", "-x", "@SUM(A1)", "\tx", "Cité"]) == [
        "'=1+1", "'+33 1 23", "'-x", "'@SUM(A1)", "'\tx", "Cité",
    ]


def test_numbers_stay_numbers():
    assert safe_cell(-3) == -3
    assert safe_cell(2.5) == 2.5
    assert safe_cell(None) is None
