"""Line splitting and the blank-line rule of filter_text."""

from detector.text import WORD, select_with_blanks, split_lines, strip_ending


def test_split_lines_keeps_every_kind_of_line_ending():
    text = "a\r\nb\rc\nd"
    assert split_lines(text) == ["a\r\n", "b\r", "c\n", "d"]
    assert "".join(split_lines(text)) == text


def test_unicode_line_separators_stay_inside_a_line():
    assert split_lines("one\u2028two\x85three\n") == ["one\u2028two\x85three\n"]


def test_strip_ending_removes_exactly_one_ending():
    assert strip_ending("x\r\n") == "x"
    assert strip_ending("x\n\n") == "x\n"
    assert strip_ending("x") == "x"


def test_nothing_removed_returns_every_line():
    lines = ["", "a", "", "", "b", ""]
    assert select_with_blanks(lines, [True] * 6) == list(range(6))


def test_removed_line_leaves_no_double_gap():
    lines = ["a", "", "junk", "", "b"]
    assert select_with_blanks(lines, [True, True, False, True, True]) == [0, 3, 4]


def test_trailing_junk_takes_its_blank_lines_with_it():
    lines = ["a", "", "junk", "", "more junk"]
    assert select_with_blanks(lines, [True, True, False, True, False]) == [0]


def test_everything_removed_gives_nothing():
    assert select_with_blanks(["", "junk", ""], [True, False, True]) == []


def test_a_word_keeps_its_combining_marks():
    """Python's \\w leaves combining marks out, which cut Hindi or Thai words at every vowel sign."""
    assert WORD.findall("आपूर्ति का समय") == ["आपूर्ति", "का", "समय"]
    assert WORD.findall("สวนบนระเบียง ครบหนึ่งปี") == ["สวนบนระเบียง", "ครบหนึ่งปี"]
    assert WORD.findall("e\u0301te\u0301 x") == ["e\u0301te\u0301", "x"]
    assert WORD.findall("love \u2764\ufe0f") == ["love"], "an emoji's variation selector is no word"
