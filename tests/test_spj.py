"""Reading TACO's special-judge list: cases per task, one-line errors for bad lines."""

from __future__ import annotations

import collections
from pathlib import Path

import pytest

from taco_judge.errors import UserError
from taco_judge.spj import CASE_FLOAT, CASE_MULTI, CASE_NOCASE, CASE_NONE, SpjError, load_spj

def write(tmp_path: Path, text: str) -> Path:
    path = tmp_path / "output_spj.jsonl"
    path.write_text(text, encoding="utf-8")
    return path


def test_case_constants() -> None:
    assert (CASE_NONE, CASE_MULTI, CASE_NOCASE, CASE_FLOAT) == (0, 1, 2, 3)


def test_reads_cases_by_normalised_task_id(tmp_path: Path) -> None:
    path = write(
        tmp_path,
        '{"idx": 0, "special_judge": false, "case": 0}\n'
        '{"idx": "7", "special_judge": true, "case": 3}\n'
        "\n"
        '{"idx": 12.0, "special_judge": true, "case": 1}\n'
        '{"idx": "abc", "case": 2}\n'
        '{"idx": 7, "special_judge": true, "case": 3}\n',  # repeated with the same case: fine
    )
    assert load_spj(path) == {0: 0, 7: 3, 12: 1, "abc": 2}
    assert load_spj(str(path)) == load_spj(path)


@pytest.mark.parametrize(
    ("line", "message"),
    [
        ("not json", 'not valid JSON (Expecting value); expected {"idx": ..., "case": 0-3}'),
        ("[1, 2]", 'expected a JSON object like {"idx": 0, "special_judge": false, "case": 0}'),
        ('{"case": 0}', 'missing field "idx" (the task id)'),
        ('{"idx": true, "case": 0}', 'field "idx" must be a task id (an integer), not True'),
        ('{"idx": null, "case": 0}', 'field "idx" must be a task id (an integer), not None'),
        ('{"idx": [1], "case": 0}', 'field "idx" must be a task id (an integer), not [1]'),
        ('{"idx": 1, "case": 4}', 'field "case" must be 0, 1, 2 or 3, not 4'),
        ('{"idx": 1, "case": "3"}', "field \"case\" must be 0, 1, 2 or 3, not '3'"),
        ('{"idx": 1, "case": true}', 'field "case" must be 0, 1, 2 or 3, not True'),
        ('{"idx": 1}', 'field "case" must be 0, 1, 2 or 3, not None'),
        ('{"idx": 1, "special_judge": "yes", "case": 1}', "field \"special_judge\" must be true or false, not 'yes'"),
    ],
)
def test_bad_lines_name_file_and_line(tmp_path: Path, line: str, message: str) -> None:
    path = write(tmp_path, '{"idx": 0, "special_judge": false, "case": 0}\n' + line + "\n")
    with pytest.raises(SpjError) as info:
        load_spj(path)
    assert str(info.value) == f"{path}:2: {message}"
    assert isinstance(info.value, UserError)


def test_conflicting_cases_for_one_task(tmp_path: Path) -> None:
    path = write(tmp_path, '{"idx": 5, "case": 1}\n{"idx": "5", "case": 2}\n')
    with pytest.raises(SpjError, match=r":2: task 5 listed again with case 2 \(was 1\)$"):
        load_spj(path)


def test_missing_file(tmp_path: Path) -> None:
    with pytest.raises(SpjError) as info:
        load_spj(tmp_path / "nope.jsonl")
    assert str(info.value) == f"{tmp_path / 'nope.jsonl'}: special-judge file not found; pass an output_spj.jsonl path"


def test_file_that_is_not_text(tmp_path: Path) -> None:
    path = tmp_path / "spj.jsonl"
    path.write_bytes(b"\xff\xfe\x00")
    with pytest.raises(SpjError, match="cannot read special-judge file"):
        load_spj(path)


@pytest.mark.realdata
def test_tacos_own_file(shared_taco: Path) -> None:
    cases = load_spj(shared_taco / "output_spj.jsonl")
    assert sorted(cases) == list(range(1000))
    counts = collections.Counter(cases.values())
    # README: 782 none + 2 flagged "other" with case 0, 137 several answers, 42 case-insensitive, 37 float.
    assert counts == {CASE_NONE: 784, CASE_MULTI: 137, CASE_NOCASE: 42, CASE_FLOAT: 37}
