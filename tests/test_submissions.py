"""Loading generation files: formats, fenced-code extraction, bad input, --skip-invalid, real TACO."""

from __future__ import annotations

import gzip
import hashlib
import json

import pytest

from taco_judge.errors import SubmissionsError
from taco_judge.submissions import Submission, extract_code, fence_note, load_generations

CODE = "print(int(input()) * 2)\n"


def sha(text: str) -> str:
    return hashlib.sha256(text.encode()).hexdigest()


def write_json(tmp_path, value, name="generation.json"):
    path = tmp_path / name
    path.write_text(json.dumps(value, indent=2), encoding="utf-8")
    return path


def write_lines(tmp_path, lines, name="generations.jsonl"):
    path = tmp_path / name
    path.write_text("".join((line if isinstance(line, str) else json.dumps(line)) + "\n" for line in lines), encoding="utf-8")
    return path


# --------------------------------------------------------------------------------------------
# extract_code
# --------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("raw", "judged"),
    [
        # no fences: judged as is
        (CODE, CODE),
        ("x = '```'\n", "x = '```'\n"),
        # a whole-output fenced block, any Python tag or none
        (f"```python\n{CODE}```", CODE),
        (f"```py\n{CODE}```\n", CODE),
        (f"```Python3\n{CODE}```", CODE),
        (f"```\n{CODE}```", CODE),
        (f"~~~python\n{CODE}~~~", CODE),
        (f"```python title=solution.py\n{CODE}```", CODE),
        # one block among prose, with text after it
        (f"Here is my solution:\n\n```python\n{CODE}```\n\nIt runs in O(n).", CODE),
        # a Python block plus an untagged block holding the sample I/O: the Python block
        (f"Solution:\n```python\n{CODE}```\nExample:\n```\n3\n6\n```\n", CODE),
        # an untagged block plus a block in another language: the untagged block
        (f"```\n{CODE}```\nRun it:\n```bash\npython3 sol.py\n```", CODE),
        # a truncated generation: the block runs to the end of the text
        (f"```python\n{CODE}", CODE),
        # a continuation of a prompt that ended in "```python": code, closing fence, prose
        (f"{CODE}```\nThis doubles the input.", CODE),
        (f"{CODE}```", CODE),
        # the fence's indentation is removed from the content
        ("1. Code:\n   ```python\n   x = 1\n   if x:\n       print(x)\n   ```\n", "x = 1\nif x:\n    print(x)\n"),
        # a longer fence can contain a shorter one
        ("````python\ns = '''\n```\n'''\nprint(s)\n````", "s = '''\n```\n'''\nprint(s)\n"),
        # Windows line endings
        ("```python\r\nprint(1)\r\n```\r\n", "print(1)\r\n"),
    ],
)
def test_extract_code_judges_the_single_code_block(raw, judged):
    assert extract_code(raw) == judged


@pytest.mark.parametrize(
    "raw",
    [
        f"```python\n{CODE}```\nOr, faster:\n```python\n{CODE}```",  # two Python blocks: ambiguous
        f"```\n{CODE}```\n```\n{CODE}```",  # two untagged blocks
        "```cpp\nint main() {}\n```",  # only another language
        "Use ```print(1)``` to print.",  # inline code is not a fence
    ],
)
def test_extract_code_keeps_raw_text_when_there_is_no_single_candidate(raw):
    assert extract_code(raw) == raw
    if "```print" not in raw:  # the CE detail of such raw text says why no block was judged
        assert "no block was picked" in fence_note(raw)


def test_fence_note_only_for_code_that_still_holds_blocks():
    assert fence_note(CODE) is None
    assert fence_note("x = '```'\n") is None
    assert fence_note("```cpp\nint main() {}\n```").startswith("the generation holds code blocks in cpp only")


# --------------------------------------------------------------------------------------------
# Formats
# --------------------------------------------------------------------------------------------


def test_taco_generation_json(tmp_path):
    path = write_json(
        tmp_path,
        [
            {"task_id": 0, "prompt": "QUESTION: ...", "output": [CODE, f"```python\n{CODE}```"]},
            {"task_id": "1", "output": ["print(1)"]},
        ],
    )
    subs, warnings = load_generations(path, known_task_ids={0, 1}, skip_invalid=False)
    assert warnings == []
    assert [(s.task_id, s.sample) for s in subs] == [(0, 0), (0, 1), (1, 0)]
    assert subs[0].code == subs[1].code == CODE
    assert subs[1].raw_sha256 == sha(f"```python\n{CODE}```") and subs[1].code_sha256 == sha(CODE)
    assert subs[0].raw_sha256 == subs[0].code_sha256 == sha(CODE)
    assert subs[1].origin == f"{path} entry 0 output[1]"
    assert all(s.invalid is None for s in subs)
    assert isinstance(subs[0], Submission)


def test_duplicate_task_entries_append_samples_in_order(tmp_path):
    path = write_json(tmp_path, [{"task_id": 3, "output": ["a=1"]}, {"task_id": 4, "output": ["b=1"]}, {"task_id": 3, "output": ["c=1", "d=1"]}])
    subs, _ = load_generations(path, known_task_ids=None, skip_invalid=False)
    assert [(s.task_id, s.sample, s.code) for s in subs] == [(3, 0, "a=1"), (4, 0, "b=1"), (3, 1, "c=1"), (3, 2, "d=1")]


def test_jsonl_one_task_per_line(tmp_path):
    path = write_lines(tmp_path, [{"task_id": 0, "output": ["a=1", "b=1"]}, {"task_id": 1, "output": ["c=1"]}])
    subs, _ = load_generations(path, known_task_ids={0, 1}, skip_invalid=False)
    assert [(s.task_id, s.sample, s.code) for s in subs] == [(0, 0, "a=1"), (0, 1, "b=1"), (1, 0, "c=1")]
    assert subs[1].origin == f"{path} line 1 output[1]"


def test_jsonl_one_sample_per_line(tmp_path):
    path = write_lines(
        tmp_path,
        [
            {"task_id": 5, "solution": "a=1"},
            {"task_id": 6, "solution": "```python\nb=1\n```"},
            "",
            {"task_id": "5", "solution": "c=1"},
        ],
    )
    subs, _ = load_generations(path, known_task_ids={5, 6}, skip_invalid=False)
    assert [(s.task_id, s.sample, s.code) for s in subs] == [(5, 0, "a=1"), (6, 0, "b=1\n"), (5, 1, "c=1")]
    assert subs[2].origin == f"{path} line 4"


def test_gzipped_and_bom_files(tmp_path):
    gz = tmp_path / "g.jsonl.gz"
    gz.write_bytes(gzip.compress(b'{"task_id": 1, "solution": "x=1"}\n'))
    assert [s.code for s in load_generations(gz, known_task_ids=None, skip_invalid=False)[0]] == ["x=1"]
    bom = tmp_path / "bom.json"
    bom.write_bytes(b'\xef\xbb\xbf[{"task_id": 1, "output": ["x=1"]}]')
    assert [s.code for s in load_generations(bom, known_task_ids=None, skip_invalid=False)[0]] == ["x=1"]


# --------------------------------------------------------------------------------------------
# Bad input: one line naming file, line/entry, task and what to do
# --------------------------------------------------------------------------------------------


def raises_one_line(path, *, known=None, skip_invalid=False):
    with pytest.raises(SubmissionsError) as caught:
        load_generations(path, known_task_ids=known, skip_invalid=skip_invalid)
    message = str(caught.value)
    assert "\n" not in message
    assert message.startswith(str(path))
    return message


def test_unknown_task_id_json(tmp_path):
    path = write_json(tmp_path, [{"task_id": 0, "output": [CODE]}, {"task_id": 77, "output": [CODE]}])
    message = raises_one_line(path, known={0, 1})
    assert f"{path} entry 1 (line 8, task 77): unknown task id 77" in message
    assert "--skip-invalid" in message


def test_unknown_task_id_jsonl(tmp_path):
    path = write_lines(tmp_path, [{"task_id": 0, "solution": CODE}, {"task_id": "x9", "solution": CODE}])
    message = raises_one_line(path, known={0})
    assert message.startswith(f"{path} line 2 (task x9): unknown task id 'x9' (not in the problem set)")


@pytest.mark.parametrize(
    ("entry", "complaint"),
    [
        ({"output": [CODE]}, 'missing "task_id"'),
        ({"task_id": 0}, 'missing "output" (a list of programs) or "solution" (one program)'),
        ({"task_id": 0, "output": CODE}, '"output" must be a list of code strings, got str'),
        ({"task_id": 0, "output": []}, '"output" is an empty list'),
        ({"task_id": 0, "output": [CODE, 7]}, "output[1] is int, not a code string"),
        ({"task_id": 0, "output": [CODE, "   \n"]}, "output[1] is empty (no code)"),
        ({"task_id": 0, "output": [""]}, "output[0] is empty (no code)"),
        ({"task_id": 0, "output": ["```python\n```"]}, "output[0] has an empty code block"),
        ({"task_id": [0], "output": [CODE]}, '"task_id" must be an integer or a string, got list'),
        ({"task_id": True, "output": [CODE]}, '"task_id" must be an integer or a string, got bool'),
        ({"task_id": 0, "output": [CODE], "solution": CODE}, 'both "output" and "solution"'),
        ([0, CODE], "expected an object"),
    ],
)
def test_bad_entries_in_a_json_list(tmp_path, entry, complaint):
    path = write_json(tmp_path, [{"task_id": 1, "output": [CODE]}, entry])
    message = raises_one_line(path)
    assert f"{path} entry 1 (line " in message
    assert complaint in message
    if isinstance(entry, dict) and entry.get("task_id") == 0:
        assert "task 0)" in message
    assert "--skip-invalid" in message  # every entry-level error says how to go on without it


def test_an_empty_output_list_says_skip_invalid_skips_the_entry(tmp_path):
    path = write_json(tmp_path, [{"task_id": 1, "output": [CODE]}, {"task_id": 0, "output": []}])
    message = raises_one_line(path)
    assert message.endswith('"output" is an empty list; give at least one program or drop the entry, '
                            "or pass --skip-invalid to skip it")


@pytest.mark.parametrize(
    ("line", "complaint"),
    [
        ({"task_id": 2, "solution": ""}, '"solution" is empty (no code)'),
        ({"task_id": 2, "solution": None}, '"solution" is NoneType, not a code string'),
        ({"task_id": 2}, 'missing "output"'),
        ({"solution": CODE}, 'missing "task_id"'),
    ],
)
def test_bad_lines_in_jsonl(tmp_path, line, complaint):
    path = write_lines(tmp_path, [{"task_id": 1, "solution": CODE}, line])
    message = raises_one_line(path)
    assert message.startswith(f"{path} line 2")
    assert complaint in message
    if "task_id" in line:
        assert "(task 2)" in message


def test_broken_json_list_gives_line_and_column(tmp_path):
    path = tmp_path / "generation.json"
    path.write_text('[\n  {"task_id": 0, "output": ["x=1"]},\n  {"task_id": 1, "output": ["y=1"]\n]\n')
    message = raises_one_line(path)
    assert message.startswith(f"{path} line 4 column 1: not valid JSON (Expecting ',' delimiter)")
    assert "not valid JSON" in message


def test_truncated_json_list_is_a_whole_file_error_even_with_skip_invalid(tmp_path):
    path = tmp_path / "generation.json"
    path.write_text('[{"task_id": 0, "output": ["x=1"]}, {"task_id": 1, "outp')
    message = raises_one_line(path, skip_invalid=True)
    assert "line 1 column" in message and "not valid JSON" in message


def test_broken_jsonl_line_gives_line_and_column(tmp_path):
    path = write_lines(tmp_path, [{"task_id": 0, "solution": "x=1"}, '{"task_id": 1, "solution": "y=1"'])
    message = raises_one_line(path)
    assert message.startswith(f"{path} line 2 column ")
    assert "not valid JSON" in message


def test_non_utf8_json_list_gives_byte_offset_and_line(tmp_path):
    path = tmp_path / "generation.json"
    data = b'[\n{"task_id": 0, "output": ["print(\'\xe9\')"]}\n]\n'
    path.write_bytes(data)
    message = raises_one_line(path, skip_invalid=True)
    offset = data.index(b"\xe9")
    assert f"line 2: not UTF-8 (byte 0xe9 at byte offset {offset})" in message
    assert "re-encode the file as UTF-8" in message


def test_non_utf8_jsonl_line_gives_byte_offset(tmp_path):
    path = tmp_path / "g.jsonl"
    data = b'{"task_id": 0, "solution": "x=1"}\n{"task_id": 1, "solution": "print(\'\xff\')"}\n'
    path.write_bytes(data)
    message = raises_one_line(path)
    offset = data.index(b"\xff")
    assert message.startswith(f"{path} line 2: not UTF-8 (byte 0xff at byte offset {offset})")


def test_empty_and_non_json_files(tmp_path):
    empty = tmp_path / "empty.json"
    empty.write_text("  \n")
    assert "is empty" in raises_one_line(empty)
    text = tmp_path / "notes.txt"
    text.write_text("print(1)\n")
    assert "not a generations file" in raises_one_line(text)
    nothing = write_json(tmp_path, [], name="none.json")
    assert "the JSON list is empty" in raises_one_line(nothing)


def test_missing_file(tmp_path):
    with pytest.raises(SubmissionsError, match=r"missing\.json: cannot read generations"):
        load_generations(tmp_path / "missing.json", known_task_ids=None, skip_invalid=False)


# --------------------------------------------------------------------------------------------
# --skip-invalid
# --------------------------------------------------------------------------------------------


def test_skip_invalid_marks_bad_samples_and_keeps_counts(tmp_path):
    path = write_json(
        tmp_path,
        [
            {"task_id": 0, "output": [CODE, "", 12, "```python\n```"]},
            {"task_id": 9, "output": [CODE, CODE]},
            {"task_id": 1, "output": "not a list"},
            {"output": [CODE]},
            {"task_id": 1, "output": [CODE]},
        ],
    )
    subs, warnings = load_generations(path, known_task_ids={0, 1}, skip_invalid=True)
    assert [(s.task_id, s.sample, s.invalid is None) for s in subs] == [
        (0, 0, True), (0, 1, False), (0, 2, False), (0, 3, False), (1, 0, True),
    ]
    assert subs[1].invalid == "output[1] is empty (no code)"
    assert subs[2].invalid == "output[2] is int, not a code string" and subs[2].code == ""
    assert subs[3].invalid == "output[3] has an empty code block"
    assert len(warnings) == 6
    assert warnings[0] == f"{path} entry 0 (line 2, task 0): output[1] is empty (no code); judged as CE (--skip-invalid)"
    assert "entry 2" in warnings[3] and "entry skipped" in warnings[3]
    assert "entry 3" in warnings[4] and 'missing "task_id"' in warnings[4]
    # A task not in the problem set has nothing to be judged on: its samples are left out (not CE),
    # said once for the whole file, last.
    assert warnings[5] == (f"{path}: 2 sample(s) of 1 task id(s) not in the problem set skipped "
                           "(--skip-invalid; they count nowhere): task ids 9")
    assert not any("judged as CE" in w and "unknown" in w for w in warnings)
    assert all("\n" not in w for w in warnings)


def test_skip_invalid_jsonl_skips_broken_lines_and_flags_non_utf8(tmp_path):
    path = tmp_path / "g.jsonl"
    path.write_bytes(
        b'{"task_id": 0, "solution": "x=1"}\n'
        b'{"task_id": 0, "solution": "print(\'\xff\')"}\n'
        b'{"task_id": 1, "solution": "y=1"}\n'
        b'{"task_id": 1, "solut'
    )
    subs, warnings = load_generations(path, known_task_ids={0, 1}, skip_invalid=True)
    assert [(s.task_id, s.sample) for s in subs] == [(0, 0), (0, 1), (1, 0)]
    assert subs[1].invalid and "not UTF-8" in subs[1].invalid
    assert subs[0].invalid is None and subs[2].invalid is None
    assert len(warnings) == 2
    assert warnings[0].startswith(f"{path} line 2: not UTF-8 (byte 0xff")
    assert warnings[1].startswith(f"{path} line 4 column ") and "samples are missing" in warnings[1]


# --------------------------------------------------------------------------------------------
# Real TACO generation file
# --------------------------------------------------------------------------------------------


@pytest.fixture
def test_split_ids(shared_taco):
    path = shared_taco / "test_examples_dev.jsonl"
    if not path.exists():
        pytest.skip(f"{path} missing")
    return {json.loads(line)["task_id"] for line in path.open(encoding="utf-8")}


@pytest.mark.realdata
def test_real_taco_generation_example_loads(shared_taco):
    subs, warnings = load_generations(shared_taco / "taco_generation_example.json", known_task_ids=None, skip_invalid=False)
    assert len(subs) == 1000 and warnings == []
    assert [s.task_id for s in subs] == list(range(1000))
    assert all(s.sample == 0 and s.invalid is None for s in subs)
    assert all(s.raw_sha256 == s.code_sha256 for s in subs)  # TACO's outputs are bare code


@pytest.mark.realdata
def test_real_generation_ids_not_in_the_problem_set_are_unknown(shared_taco, test_split_ids):
    path = shared_taco / "taco_generation_example.json"
    assert len(test_split_ids) == 883
    with pytest.raises(SubmissionsError) as caught:
        load_generations(path, known_task_ids=test_split_ids, skip_invalid=False)
    assert str(caught.value).startswith(f"{path} entry 4 (line 30, task 4): unknown task id 4")

    assert "pass --skip-invalid to skip the samples of such tasks" in str(caught.value)
    assert "CE" not in str(caught.value)

    subs, warnings = load_generations(path, known_task_ids=test_split_ids, skip_invalid=True)
    assert len(subs) == 883 and not any(s.invalid for s in subs)
    assert {s.task_id for s in subs} == test_split_ids
    assert warnings == [f"{path}: 117 sample(s) of 117 task id(s) not in the problem set skipped (--skip-invalid; "
                        "they count nowhere): task ids 4, 8, 19, 29, 33, ... (112 more)"]


def test_json_errors_are_whole_phrases_with_their_place(tmp_path):
    # Python's "Unterminated string starting at" ends mid-phrase: the message carries the place,
    # and says the text stops inside a value (a generation cut short).
    cut = tmp_path / "cut.json"
    cut.write_text('[{"task_id": 0, "output": ["print(1)"]},\n {"task_id": 1, "output": ["print(')
    message = raises_one_line(cut)
    assert "(Unterminated string starting at line 2 column 28: the text ends inside a value (cut short?))" in message
    lines = tmp_path / "cut.jsonl"
    lines.write_text('{"task_id": 0, "solution": "x=1"}\n{"task_id": 1, "solution": "print(\n')
    message = raises_one_line(lines)
    assert message.startswith(f"{lines} line 2 column 28: not valid JSON (Unterminated string starting at line 2 "
                              "column 28: the text ends inside a value (cut short?))")
