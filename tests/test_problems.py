"""Loading TACO problems: limits, row decoding, every source kind, streaming, index, filters."""

from __future__ import annotations

import collections
import itertools
import json
import os
import subprocess
import sys
import tracemalloc

import pytest

import taco_judge.problems.sources as problems_module
from taco_judge.errors import ProblemsError, UserError
from taco_judge.problems import (
    DIFFICULTY_LABELS,
    SKILL_NAMES,
    Problem,
    ProblemFilter,
    ProblemMeta,
    open_problems,
    parse_memory_limit,
    parse_task_ids,
    parse_time_limit,
    problem_from_row,
)

# --------------------------------------------------------------------------------------------
# Limits
# --------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "seconds"),
    [
        ("1 second", 1.0),
        ("2.5 seconds", 2.5),
        ("1.0 seconds", 1.0),
        ("2 sec", 2.0),
        ("2 secs", 2.0),
        ("3 s", 3.0),
        ("1000 ms", 1.0),
        ("500 milliseconds", 0.5),
        ("2", 2.0),
        (" 4 Seconds ", 4.0),
        ("1-2 seconds", 2.0),
        ("Time limit: 2 seconds", 2.0),
        ("1 second per test", 1.0),
        (3, 3.0),
        (1.5, 1.5),
        ("None", None),
        ("", None),
        (None, None),
        ("0 seconds", None),
        ("varies", None),
        ("2 minutes", None),
        (True, None),
    ],
)
def test_parse_time_limit(text, seconds):
    assert parse_time_limit(text) == seconds


@pytest.mark.parametrize(
    ("text", "megabytes"),
    [
        ("256 megabytes", 256),
        ("256 MB", 256),
        ("256.0 megabytes", 256),
        ("64 MiB", 64),
        ("1 gigabyte", 1024),
        ("1.5 GB", 1536),
        ("512 kilobytes", 1),
        ("1536 KB", 2),
        ("256", 256),
        ("memory limit: 128 megabytes", 128),
        (512, 512),
        ("None", None),
        ("", None),
        (None, None),
        ("0 MB", None),
        ("lots", None),
    ],
)
def test_parse_memory_limit(text, megabytes):
    assert parse_memory_limit(text) == megabytes


# --------------------------------------------------------------------------------------------
# One row -> Problem
# --------------------------------------------------------------------------------------------


def test_stdin_row_decodes_tests_metadata_and_limits(make_taco_row):
    row = make_taco_row(["1 2\n", ["3 4", "5 6"]], ["3\n", ["7", "11"]], skill_types='["Sorting", "Greedy algorithms"]')
    problem = problem_from_row(row, 5, "set.jsonl line 6")
    assert problem.task_id == 5
    assert problem.mode == "stdin" and problem.fn_name is None
    assert [t.input for t in problem.tests] == ["1 2\n", "3 4\n5 6"]  # lists of lines are joined, as TACO does
    assert [t.expected for t in problem.tests] == ["3\n", ["7", "11"]]  # expected stays raw
    assert [t.index for t in problem.tests] == [0, 1]
    assert problem.difficulty == "EASY"
    assert problem.skills == ("Sorting", "Greedy algorithms")
    assert problem.tags == ("Mathematics",)
    assert problem.source == "codeforces"
    assert problem.url.startswith("https://codeforces.com/")
    assert problem.question == "Add two numbers."
    assert problem.solutions == ("a, b = map(int, input().split())\nprint(a + b)\n",)
    assert (problem.time_limit_s, problem.memory_limit_mb) == (1.0, 256)
    assert (problem.raw_time_limit, problem.raw_memory_limit) == ("1 second", "256 megabytes")
    assert problem.extra == {"raw_tags": ("Math",)}


def test_decoded_and_encoded_rows_give_the_same_problem(make_taco_row):
    encoded = make_taco_row([[1, 2]], [[3]], fn_name="add")
    decoded = make_taco_row([[1, 2]], [[3]], fn_name="add", encode=False)
    assert problem_from_row(encoded, 0, "x") == problem_from_row(decoded, 0, "x")


def test_call_row_keeps_argument_lists_and_restores_int_dict_keys(make_taco_row):
    row = make_taco_row(
        [[{"1": "a", "20": "b"}, 3], [{"x": 1, "2": 2}], [[1, 2], "s"], []],
        [["ab"], [{"1": 1}], [3], [None]],
        fn_name="solve",
        starter_code="def solve(d, k):",
    )
    problem = problem_from_row(row, 0, "codewars.jsonl line 1")
    assert problem.mode == "call" and problem.fn_name == "solve"
    assert problem.starter_code == "def solve(d, k):"
    assert problem.tests[0].input == [{1: "a", 20: "b"}, 3]  # TACO's key fix, other arguments kept
    assert problem.tests[1].input == [{"x": 1, "2": 2}]  # not all keys are ints: unchanged
    assert problem.tests[2].input == [[1, 2], "s"]
    assert problem.tests[3].input == []
    assert problem.tests[1].expected == [{"1": 1}]  # expected stays exactly as in the row


def test_empty_fn_name_means_stdin(make_taco_row):
    assert problem_from_row(make_taco_row(fn_name=""), 0, "x").mode == "stdin"


def test_row_task_id_overrides_the_position(make_taco_row):
    assert problem_from_row(make_taco_row(task_id=42), 7, "x").task_id == 42
    assert problem_from_row(make_taco_row(task_id="42"), 7, "x").task_id == 42
    assert problem_from_row(make_taco_row(task_id="abc-1"), 7, "x").task_id == "abc-1"


def test_missing_metadata_gets_defaults(make_taco_row):
    row = make_taco_row(
        difficulty=None, source="None", name="None", url=None, skill_types=None, tags="[]",
        time_limit="None", memory_limit=None, solutions="[]",
    )
    problem = problem_from_row(row, 0, "x")
    assert problem.difficulty == "UNKNOWN"
    assert (problem.source, problem.name, problem.url) == ("", "", "")
    assert (problem.skills, problem.tags, problem.solutions) == ((), (), ())
    assert problem.time_limit_s is None and problem.memory_limit_mb is None
    assert problem.raw_time_limit == "None"


def test_list_fields_accept_python_reprs_and_plain_text(make_taco_row):
    row = make_taco_row(skill_types="['Sorting', 'Range queries']", tags="Graphs, Trees")
    problem = problem_from_row(row, 0, "x")
    assert problem.skills == ("Sorting", "Range queries")
    assert problem.tags == ("Graphs", "Trees")


def test_provenance_fields_go_to_extra(make_taco_row):
    row = make_taco_row(id="taco/3", origin="some/repo", test_kind="x", format="stdin")
    problem = problem_from_row(row, 0, "x")
    assert {"id", "origin", "test_kind", "format"} <= set(problem.extra)
    assert not set(problem.extra) & {"input_output", "solutions", "question", "difficulty"}


@pytest.mark.parametrize(
    ("override", "complaint"),
    [
        ({"input_output": '{"inputs": ["1"], "outputs": '}, "input_output is not valid JSON"),
        ({"input_output": None}, "no input_output field"),
        ({"input_output": "[1, 2]"}, "must be a JSON object"),
        ({"input_output": '{"inputs": ["1", "2"], "outputs": ["1"]}'}, "2 inputs but 1 outputs"),
        ({"input_output": '{"inputs": [], "outputs": []}'}, "no tests"),
        ({"input_output": '{"outputs": ["1"]}'}, "no 'inputs' list"),
        ({"input_output": '{"inputs": [5], "outputs": ["5"]}'}, "test 0 input must be stdin text"),
        ({"input_output": '{"fn_name": "f", "inputs": ["5"], "outputs": [[5]]}'}, "test 0 input must be the argument list"),
        ({"input_output": '{"fn_name": 3, "inputs": [[5]], "outputs": [[5]]}'}, "fn_name must be a string"),
        ({"solutions": "[broken"}, "solutions is not valid JSON"),
    ],
)
def test_malformed_rows_raise_one_line_naming_origin_and_task(make_taco_row, override, complaint):
    row = make_taco_row()
    row.update(override)
    with pytest.raises(ProblemsError) as caught:
        problem_from_row(row, 17, "sets/p.jsonl line 18")
    message = str(caught.value)
    assert message.startswith("sets/p.jsonl line 18 (task 17): ")
    assert complaint in message
    assert "\n" not in message


# --------------------------------------------------------------------------------------------
# Sources
# --------------------------------------------------------------------------------------------


def _rows(count, start=0, make=None):
    from conftest import taco_row

    return [(make or taco_row)([f"{i}\n"], [f"{i}\n"], question=f"q{i}") for i in range(start, start + count)]


def test_jsonl_file(tmp_problem_rows):
    path = tmp_problem_rows(n=4)
    source = open_problems(str(path))
    problems = list(source)
    assert [p.task_id for p in problems] == [0, 1, 2, 3]
    assert problems[2].tests[0].input == "2\n"
    assert all(isinstance(p, Problem) for p in problems)


def test_jsonl_gz_file(tmp_problem_rows):
    path = tmp_problem_rows(n=3, filename="p.jsonl.gz")
    assert [p.tests[0].input for p in open_problems(str(path))] == ["0\n", "1\n", "2\n"]


def test_jsonl_blank_lines_are_skipped_and_do_not_count(tmp_path):
    rows = _rows(2)
    path = tmp_path / "p.jsonl"
    path.write_text(json.dumps(rows[0]) + "\n\n" + json.dumps(rows[1]) + "\n\n")
    assert [p.question for p in open_problems(str(path))] == ["q0", "q1"]
    assert [p.task_id for p in open_problems(str(path))] == [0, 1]


def test_jsonl_broken_line_names_file_line_and_column(tmp_path):
    path = tmp_path / "p.jsonl"
    path.write_text(json.dumps(_rows(1)[0]) + "\n{\"question\": oops}\n")
    with pytest.raises(ProblemsError, match=r"p\.jsonl line 2 column \d+: not valid JSON"):
        list(open_problems(str(path)))


def test_jsonl_non_utf8_line_is_reported(tmp_path):
    path = tmp_path / "p.jsonl"
    path.write_bytes(json.dumps(_rows(1)[0]).encode() + b"\n{\"question\": \"\xff\"}\n")
    with pytest.raises(ProblemsError, match=r"p\.jsonl line 2: not UTF-8 \(byte 0xff"):
        list(open_problems(str(path)))


def test_iteration_is_lazy(tmp_path):
    """Rows are read on demand: the first problems arrive before a broken later line is read."""
    path = tmp_path / "p.jsonl"
    path.write_text("".join(json.dumps(row) + "\n" for row in _rows(2)) + "not json\n")
    first_two = list(itertools.islice(iter(open_problems(str(path))), 2))
    assert [p.task_id for p in first_two] == [0, 1]


@pytest.mark.slow
def test_parquet_file_read_in_batches(tmp_problem_rows, monkeypatch):
    path = tmp_problem_rows(_rows(150), filename="p.parquet")
    import pyarrow.parquet as pq

    batch_sizes = []
    original = pq.ParquetFile.iter_batches

    def spy(self, *args, **kwargs):
        batch_sizes.append(kwargs.get("batch_size"))
        return original(self, *args, **kwargs)

    monkeypatch.setattr(pq.ParquetFile, "iter_batches", spy)
    problems = list(open_problems(str(path)))
    assert [p.task_id for p in problems] == list(range(150))
    assert problems[149].tests[0].input == "149\n"
    assert batch_sizes and all(size is not None and size <= 64 for size in batch_sizes)


def test_parquet_malformed_row_names_file_and_row(tmp_problem_rows):
    rows = _rows(3)
    rows[2]["input_output"] = "{oops"
    path = tmp_problem_rows(rows, filename="p.parquet")
    with pytest.raises(ProblemsError, match=r"p\.parquet row 2 \(task 2\): input_output is not valid JSON"):
        list(open_problems(str(path)))


def test_not_a_parquet_file(tmp_path):
    path = tmp_path / "bad.parquet"
    path.write_text("hello")
    with pytest.raises(ProblemsError, match=r"bad\.parquet: not a readable parquet file"):
        open_problems(str(path))


@pytest.mark.slow
def test_save_to_disk_dataset(tmp_path):
    datasets = pytest.importorskip("datasets")
    datasets.Dataset.from_list(_rows(5)).save_to_disk(str(tmp_path / "ds"))
    problems = list(open_problems(str(tmp_path / "ds")))
    assert [p.question for p in problems] == [f"q{i}" for i in range(5)]
    assert [p.task_id for p in problems] == list(range(5))


def test_save_to_disk_dataset_dict_chooses_split(tmp_path):
    datasets = pytest.importorskip("datasets")
    splits = datasets.DatasetDict(
        {"train": datasets.Dataset.from_list(_rows(3, 100)), "test": datasets.Dataset.from_list(_rows(2))}
    )
    splits.save_to_disk(str(tmp_path / "BAAI-TACO"))
    folder = str(tmp_path / "BAAI-TACO")
    assert [p.question for p in open_problems(folder)] == ["q0", "q1"]  # "test" by default
    assert [p.question for p in open_problems(folder, split="train")] == ["q100", "q101", "q102"]
    assert [p.question for p in open_problems(folder + ":train")] == ["q100", "q101", "q102"]
    with pytest.raises(ProblemsError, match=r"no split 'valid'; available splits: test, train"):
        open_problems(folder, split="valid")


def test_save_to_disk_dataset_dict_without_test_split(tmp_path):
    datasets = pytest.importorskip("datasets")
    datasets.DatasetDict({"train": datasets.Dataset.from_list(_rows(2))}).save_to_disk(str(tmp_path / "one"))
    assert len(list(open_problems(str(tmp_path / "one")))) == 2  # the only split
    datasets.DatasetDict(
        {"train": datasets.Dataset.from_list(_rows(1)), "valid": datasets.Dataset.from_list(_rows(1))}
    ).save_to_disk(str(tmp_path / "two"))
    with pytest.raises(ProblemsError, match=r"has splits train, valid; choose one with --split"):
        open_problems(str(tmp_path / "two"))


def test_folder_concatenates_files_in_name_order_and_ignores_non_problem_files(tmp_problem_rows, tmp_path):
    tmp_problem_rows(_rows(2, 0), filename="set/a.parquet")
    tmp_problem_rows(_rows(2, 2), filename="set/b.jsonl")
    tmp_problem_rows(_rows(1, 4), filename="set/c.jsonl.gz")
    folder = tmp_path / "set"
    (folder / "generations.json").write_text("[]")
    (folder / "generation_samples.jsonl").write_text('{"task_id": 0, "output": ["x"]}\n')
    (folder / "output_spj.jsonl").write_text('{"idx": 0, "special_judge": false, "case": 0}\n')
    (folder / "expected_verdicts.json").write_text("{}")
    (folder / "README.md").write_text("# problems")
    (folder / "build.py").write_text("print(1)")
    (folder / "nested").mkdir()
    tmp_problem_rows(_rows(1, 99), filename="set/nested/z.jsonl")
    problems = list(open_problems(str(folder)))
    assert [p.question for p in problems] == ["q0", "q1", "q2", "q3", "q4"]
    assert [p.task_id for p in problems] == [0, 1, 2, 3, 4]  # ids continue across files
    assert [m.task_id for m in open_problems(str(folder)).index()] == [0, 1, 2, 3, 4]


def test_folder_skips_jsonl_and_parquet_that_hold_no_taco_rows_and_says_so(tmp_problem_rows, tmp_path, caplog):
    # The shared TACO data folder keeps behaviour vectors (JSONL without input_output) beside problems.
    tmp_problem_rows(_rows(2, 0), filename="set/problems.jsonl")
    folder = tmp_path / "set"
    (folder / "compare_vectors_stdin.jsonl").write_text('{"got": "1", "expected": "1", "taco": true}\n')
    (folder / "empty.jsonl").write_text("")
    tmp_problem_rows([{"name": "x", "code": "print(1)"}], filename="set/other.parquet")
    with caplog.at_level("WARNING", logger="taco_judge"):
        problems = list(open_problems(str(folder)))
    assert [p.task_id for p in problems] == [0, 1]
    skipped = sorted(r.getMessage() for r in caplog.records)
    assert skipped == [
        f"{folder / 'compare_vectors_stdin.jsonl'}: skipped, not TACO problem rows (no input_output field; "
        "it has got, expected, taco)",
        f"{folder / 'empty.jsonl'}: skipped, not TACO problem rows (no rows)",
        f"{folder / 'other.parquet'}: skipped, not TACO problem rows (no input_output column; it has name, code)",
    ]


def test_a_task_id_in_two_files_of_a_folder_names_both_rows(tmp_problem_rows, tmp_path):
    from conftest import taco_row

    tmp_problem_rows([taco_row(task_id=5)], filename="set/a.jsonl")
    tmp_problem_rows([taco_row(task_id=6), taco_row(task_id=5)], filename="set/b.jsonl")
    folder = tmp_path / "set"
    with pytest.raises(ProblemsError) as caught:
        list(open_problems(str(folder)).index())
    assert str(caught.value) == (
        f"{folder / 'b.jsonl'} line 2: task id 5 is used by an earlier row too ({folder / 'a.jsonl'} line 1); "
        "a folder's files are read as one problem set: pass one file with --problems"
    )


def test_folder_of_hub_style_shards_picks_one_split(tmp_problem_rows, tmp_path):
    tmp_problem_rows(_rows(2, 0), filename="ALL/train-00000-of-00002.parquet")
    tmp_problem_rows(_rows(2, 2), filename="ALL/train-00001-of-00002.parquet")
    tmp_problem_rows(_rows(1, 50), filename="ALL/test-00000-of-00001.parquet")
    folder = str(tmp_path / "ALL")
    assert [p.question for p in open_problems(folder)] == ["q50"]
    train = list(open_problems(folder, split="train"))
    assert [p.question for p in train] == ["q0", "q1", "q2", "q3"]
    assert [p.task_id for p in train] == [0, 1, 2, 3]


def test_folder_without_problem_files_says_what_it_found(tmp_path):
    (tmp_path / "snapshot" / "ALL").mkdir(parents=True)
    (tmp_path / "snapshot" / "README.md").write_text("x")
    with pytest.raises(ProblemsError, match=r"no problem files .* \(subfolders: ALL; pass one of them\)"):
        open_problems(str(tmp_path / "snapshot"))


def test_repo_problems_folder_rule(repo_root):
    """problems/ in this repo: only problems.jsonl counts (generations, spj, verdicts are skipped)."""
    folder = repo_root / "problems"
    if not (folder / "problems.jsonl").exists():
        pytest.skip("problems/problems.jsonl not written yet")
    files = problems_module._folder_files(folder)
    assert [f.name for f in files] == ["problems.jsonl"]


def test_missing_path_and_unsupported_file(tmp_path):
    with pytest.raises(ProblemsError, match=r"no such file or directory"):
        open_problems(str(tmp_path / "nope.jsonl"))
    with pytest.raises(ProblemsError, match=r"no such file or directory"):
        open_problems("problems/missing.parquet")
    other = tmp_path / "rows.csv"
    other.write_text("a,b")
    with pytest.raises(ProblemsError, match=r"unsupported problem file type"):
        open_problems(str(other))


def test_split_option_on_a_single_file_is_an_error(tmp_problem_rows):
    path = tmp_problem_rows()
    with pytest.raises(ProblemsError, match=r"a single file has no splits"):
        open_problems(str(path), split="train")


def test_duplicate_task_ids_are_rejected(tmp_problem_rows):
    from conftest import taco_row

    path = tmp_problem_rows([taco_row(task_id=3), taco_row(task_id=3)])
    with pytest.raises(ProblemsError, match=r"line 2: task id 3 is used by an earlier row too \(.*line 1\); "
                                             "task ids must be unique in a problem set"):
        list(open_problems(str(path)))


# --------------------------------------------------------------------------------------------
# Hugging Face hub
# --------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("spec", "split", "expected_id", "expected_split"),
    [
        ("BAAI/TACO", None, "BAAI/TACO", "test"),
        ("BAAI/TACO:train", None, "BAAI/TACO", "train"),
        ("BAAI/TACO", "train", "BAAI/TACO", "train"),
        ("taco:test", None, "BAAI/TACO", "test"),
        ("taco:train", None, "BAAI/TACO", "train"),
        ("TACO", None, "BAAI/TACO", "test"),
        ("someone/taco-verified:train", None, "someone/taco-verified", "train"),
    ],
)
def test_hub_spec_calls_load_dataset(monkeypatch, spec, split, expected_id, expected_split):
    datasets = pytest.importorskip("datasets")
    calls = []

    def fake_load_dataset(path, *args, **kwargs):
        calls.append((path, args, kwargs))
        return datasets.Dataset.from_list(_rows(3))

    monkeypatch.setattr(datasets, "load_dataset", fake_load_dataset)
    monkeypatch.setattr("taco_judge.problems.sources._hub_unreachable", lambda: None)  # as on a machine online
    source = open_problems(spec, split=split)
    assert calls == [(expected_id, (), {"split": expected_split})]
    assert [p.question for p in source] == ["q0", "q1", "q2"]
    assert [m.task_id for m in source.index()] == [0, 1, 2]


def test_hub_split_given_twice_must_agree():
    with pytest.raises(ProblemsError, match=r"names split 'train' but --split says 'test'"):
        open_problems("taco:train", split="test")


def test_hub_failure_offline_is_one_line(tmp_path, repo_root):
    """With the hub unreachable (offline mode, empty cache) the user gets one actionable line."""
    env = dict(os.environ, HF_HUB_OFFLINE="1", HF_DATASETS_OFFLINE="1", HF_HOME=str(tmp_path / "hf"))
    env["PYTHONPATH"] = os.pathsep.join(filter(None, [str(repo_root), env.get("PYTHONPATH")]))
    script = (
        "from taco_judge.problems import open_problems\n"
        "from taco_judge.errors import ProblemsError\n"
        "try:\n    open_problems('BAAI/TACO')\n"
        "except ProblemsError as e:\n    print(str(e))\n"
        "else:\n    print('NO ERROR')\n"
    )
    result = subprocess.run([sys.executable, "-c", script], env=env, capture_output=True, text=True, timeout=120)
    assert result.returncode == 0, result.stderr
    message = result.stdout.strip()
    assert "\n" not in message
    assert message.startswith("cannot load BAAI/TACO (split test) from the Hugging Face hub: ")
    assert message.endswith("download it and pass the directory / parquet file instead")
    assert "HF_HUB_OFFLINE=1 is set, so only the datasets cache is read" in message


def test_an_unreachable_hub_is_one_quiet_line_naming_hf_hub_offline(tmp_path, repo_root):
    """A hub that refuses connections (a closed port on 127.0.0.1 as its endpoint): no retry
    warnings (the hub client retries 5 times with backoff and prints each twice), one line that
    says how to use a cached copy."""
    import socket

    closed = socket.socket()
    closed.bind(("127.0.0.1", 0))
    port = closed.getsockname()[1]
    closed.close()  # nothing listens there now: connections are refused
    env = {k: v for k, v in os.environ.items() if "PROXY" not in k.upper() and k not in ("HF_HUB_OFFLINE",)}
    env.update(HF_ENDPOINT=f"http://127.0.0.1:{port}", HF_HOME=str(tmp_path / "hf"))
    env["PYTHONPATH"] = os.pathsep.join(filter(None, [str(repo_root), env.get("PYTHONPATH")]))
    generations = tmp_path / "g.json"
    generations.write_text('[{"task_id": 0, "output": ["print(1)"]}]')
    result = subprocess.run(
        [sys.executable, "-m", "taco_judge.cli", "judge", "--problems", "BAAI/TACO", "--generations",
         str(generations), "--out", str(tmp_path / "out"), "--sandbox", "local", "--quiet"],
        env=env, capture_output=True, text=True, timeout=300,
    )
    assert result.returncode == 2
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1, result.stderr
    assert "Retry" not in result.stderr
    assert lines[0].startswith("taco-judge: error: cannot load BAAI/TACO (split test) from the Hugging Face hub: "
                               "the hub is unreachable (127.0.0.1: ")
    assert "set HF_HUB_OFFLINE=1 to load it without the network" in lines[0]


def test_hub_failure_in_process_keeps_the_reason(monkeypatch):
    datasets = pytest.importorskip("datasets")

    def unreachable(*args, **kwargs):
        raise ConnectionError("Couldn't reach 'BAAI/TACO' on the Hub\nsecond line of details")

    monkeypatch.setattr(datasets, "load_dataset", unreachable)
    monkeypatch.setattr("taco_judge.problems.sources._hub_unreachable", lambda: None)  # it fails inside load_dataset
    with pytest.raises(ProblemsError) as caught:
        open_problems("taco:test")
    assert str(caught.value) == (
        "cannot load BAAI/TACO (split test) from the Hugging Face hub: ConnectionError: Couldn't reach "
        "'BAAI/TACO' on the Hub; download it and pass the directory / parquet file instead"
    )


# --------------------------------------------------------------------------------------------
# Index pass
# --------------------------------------------------------------------------------------------


def test_index_yields_meta_without_decoding_tests_or_solutions(tmp_problem_rows):
    from conftest import taco_row

    rows = [
        taco_row(difficulty="MEDIUM_HARD", skill_types='["Sorting"]', source="atcoder", solutions="[not json"),
        taco_row([[1]], [[1]], fn_name="f"),
        # a stdin test whose text mentions fn_name must not make the row call-based
        taco_row(['{"fn_name": "trap"}\n'], ["x\n"], difficulty=None),
        taco_row(input_output="{broken"),
    ]
    source = open_problems(str(tmp_problem_rows(rows)))
    metas = list(source.index())
    assert metas[0] == ProblemMeta(0, "MEDIUM_HARD", ("Sorting",), "atcoder", "stdin", metas[0].origin)
    assert metas[0].origin.endswith("problems.jsonl line 1")
    assert [m.mode for m in metas] == ["stdin", "call", "stdin", "stdin"]
    assert metas[2].difficulty == "UNKNOWN"
    with pytest.raises(ProblemsError, match="solutions is not valid JSON"):
        list(source)  # the full pass does decode, and reports the broken row


def test_index_reads_only_meta_columns_from_parquet(tmp_problem_rows, monkeypatch):
    path = tmp_problem_rows(_rows(3), filename="p.parquet")
    import pyarrow.parquet as pq

    requested = []
    original = pq.ParquetFile.iter_batches

    def spy(self, *args, **kwargs):
        requested.append(kwargs.get("columns"))
        return original(self, *args, **kwargs)

    monkeypatch.setattr(pq.ParquetFile, "iter_batches", spy)
    assert [m.task_id for m in open_problems(str(path)).index()] == [0, 1, 2]
    assert requested and "solutions" not in requested[0] and "question" not in requested[0]
    assert "input_output" in requested[0]


def test_index_reads_only_meta_columns_from_datasets(tmp_path):
    datasets = pytest.importorskip("datasets")
    datasets.Dataset.from_list(_rows(2)).save_to_disk(str(tmp_path / "ds"))
    source = open_problems(str(tmp_path / "ds"))
    seen_keys = {frozenset(row) for _, row in source._reader.rows(problems_module.META_COLUMNS)}
    assert all("solutions" not in keys for keys in seen_keys)
    assert [m.task_id for m in source.index()] == [0, 1]


# --------------------------------------------------------------------------------------------
# Streaming: memory must not grow with the split
# --------------------------------------------------------------------------------------------


@pytest.mark.slow
def test_iterating_a_large_jsonl_keeps_memory_bounded(tmp_path):
    from conftest import taco_row

    path = tmp_path / "big.jsonl"
    solutions = json.dumps([("x = 1\n" * 800)[:4990] + f"#{k}" for k in range(10)])  # ~50 KB per row
    with path.open("w") as handle:
        for i in range(3000):
            handle.write(json.dumps(taco_row([f"{i}\n"], [f"{i}\n"], solutions=solutions)) + "\n")
    file_size = path.stat().st_size
    assert file_size > 140_000_000

    source = open_problems(str(path))
    tracemalloc.start()
    try:
        count = sum(1 for _ in source)
        _, peak_iter = tracemalloc.get_traced_memory()
        tracemalloc.reset_peak()
        metas = sum(1 for _ in source.index())
        _, peak_index = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert count == metas == 3000
    assert peak_iter < file_size / 50, f"peak {peak_iter} bytes while reading a {file_size}-byte file"
    assert peak_index < file_size / 50


# --------------------------------------------------------------------------------------------
# Filters
# --------------------------------------------------------------------------------------------


def test_parse_task_ids():
    assert parse_task_ids("0-3,7") == {0, 1, 2, 3, 7}
    assert parse_task_ids(" 5 , 2 - 3 ") == {2, 3, 5}
    assert parse_task_ids("4-4") == {4}


@pytest.mark.parametrize(
    ("text", "complaint"),
    [("5-x", "'5-x' is not a task id or range"), ("9-2", "runs backwards"), (",", "no value given"), ("a", "not a task id")],
)
def test_parse_task_ids_errors_name_the_flag(text, complaint):
    with pytest.raises(UserError) as caught:
        parse_task_ids(text)
    assert str(caught.value).startswith("--task-ids: ")
    assert complaint in str(caught.value)


def _meta(task_id=0, difficulty="EASY", skills=(), source="codeforces"):
    return ProblemMeta(task_id, difficulty, tuple(skills), source, "stdin")


def test_filter_difficulty_is_case_insensitive():
    f = ProblemFilter.from_options(difficulty="easy, Medium-Hard")
    assert f.difficulties == {"EASY", "MEDIUM_HARD"}
    assert f.matches(_meta(difficulty="EASY")) and f.matches(_meta(difficulty="MEDIUM_HARD"))
    assert not f.matches(_meta(difficulty="HARD")) and not f.matches(_meta(difficulty="UNKNOWN"))


def test_filter_unknown_difficulty_lists_labels():
    with pytest.raises(UserError) as caught:
        ProblemFilter.from_options(difficulty="EASY,EAZY")
    message = str(caught.value)
    assert message.startswith("--difficulty: unknown label 'EAZY'")
    for label in ("EASY", "MEDIUM", "MEDIUM_HARD", "HARD", "VERY_HARD", "UNKNOWN_DIFFICULTY"):
        assert label in message


def test_filter_skill_matches_any_listed_skill():
    f = ProblemFilter.from_options(skill="sorting,Range Queries")
    assert f.matches(_meta(skills=["Greedy algorithms", "Sorting"]))
    assert f.matches(_meta(skills=["Range queries"]))
    assert not f.matches(_meta(skills=["Data structures"]))
    assert not f.matches(_meta(skills=[]))
    with pytest.raises(UserError, match=r"--skill: unknown skill 'Sortin'; TACO's skills"):
        ProblemFilter.from_options(skill="Sortin")


def test_filter_source_and_task_ids_and_all():
    f = ProblemFilter.from_options(source="Codeforces,atcoder", task_ids="0-9")
    assert f.matches(_meta(3, source="codeforces"))
    assert not f.matches(_meta(3, source="codechef"))
    assert not f.matches(_meta(10, source="atcoder"))
    assert ProblemFilter.from_options(difficulty="ALL", skill="all").is_empty
    assert ProblemFilter().matches(_meta())
    with pytest.raises(UserError, match=r"^--task-ids: '5-x'"):
        ProblemFilter.from_options(task_ids="0-3,5-x")


def test_filter_applies_to_problems_and_sources(tmp_problem_rows):
    from conftest import taco_row

    rows = [taco_row(difficulty="EASY"), taco_row(difficulty="HARD"), taco_row(difficulty="EASY")]
    source = open_problems(str(tmp_problem_rows(rows)))
    easy = ProblemFilter.from_options(difficulty="easy")
    assert [p.task_id for p in source.filtered(easy)] == [0, 2]
    assert [m.task_id for m in source.index() if easy.matches(m)] == [0, 2]


def test_taco_vocabularies():
    assert DIFFICULTY_LABELS[:5] == ("EASY", "MEDIUM", "MEDIUM_HARD", "HARD", "VERY_HARD")
    assert len(SKILL_NAMES) == 8 and "Greedy algorithms" in SKILL_NAMES


# --------------------------------------------------------------------------------------------
# Real TACO rows
# --------------------------------------------------------------------------------------------


@pytest.mark.realdata
@pytest.mark.parametrize(
    ("filename", "modes"),
    [
        # The data README says 263 stdin / 49 call for train_verified_dev, but the rows (and their
        # own "format" field) hold 274 stdin / 38 call.
        ("train_verified_dev.jsonl", {"stdin": 274, "call": 38}),
        ("train_codewars_dev.jsonl", {"call": 351}),
        ("test_examples_dev.jsonl", {"stdin": 883}),
    ],
)
def test_real_taco_rows_load(shared_taco, filename, modes):
    source = open_problems(str(shared_taco / filename))
    problems = list(source)
    assert collections.Counter(p.mode for p in problems) == modes
    assert all(p.mode == p.extra["format"] for p in problems)  # agrees with the row's provenance field
    assert all(p.tests for p in problems)
    metas = list(source.index())
    assert [(m.task_id, m.mode) for m in metas] == [(p.task_id, p.mode) for p in problems]
    assert {p.difficulty for p in problems} <= set(DIFFICULTY_LABELS)
    if filename == "test_examples_dev.jsonl":  # rows carry the TACO test-split task_id
        assert [p.task_id for p in problems] == [json.loads(line)["task_id"] for line in (shared_taco / filename).open()]
        assert len({p.task_id for p in problems}) == 883 and max(p.task_id for p in problems) <= 999
    else:
        assert [p.task_id for p in problems] == list(range(len(problems)))


@pytest.mark.realdata
def test_real_call_rows_use_argument_lists(shared_taco):
    problems = list(open_problems(str(shared_taco / "train_codewars_dev.jsonl")))
    assert all(isinstance(t.input, list) for p in problems for t in p.tests)
    assert all(p.fn_name and p.starter_code for p in problems)


@pytest.mark.realdata
def test_the_shared_data_folder_as_problems_skips_the_vectors_and_names_both_files(shared_taco, caplog):
    if not (shared_taco / "compare_programs.jsonl").exists():
        pytest.skip(f"{shared_taco} lacks the TACO behaviour vectors")
    with caplog.at_level("WARNING", logger="taco_judge"):
        with pytest.raises(ProblemsError) as caught:
            list(open_problems(str(shared_taco)).index())
    skipped = {r.getMessage().split(":")[0] for r in caplog.records if "not TACO problem rows" in r.getMessage()}
    assert skipped == {str(shared_taco / n) for n in
                       ("compare_programs.jsonl", "compare_vectors_call.jsonl", "compare_vectors_stdin.jsonl")}
    message = str(caught.value)
    assert message.startswith(f"{shared_taco / 'train_codewars_dev.jsonl'} line 1: task id ")
    assert f"({shared_taco / 'test_examples_dev.jsonl'} line " in message and "pass one file" in message


def test_a_problem_row_cut_short_names_its_line_and_column(tmp_path):
    path = tmp_path / "p.jsonl"
    path.write_text('{"question": "q", "input_output": "{}"}\n{"question": "q2", "input_output": "{\\"inp\n')
    with pytest.raises(ProblemsError) as caught:
        list(open_problems(str(path)).index())
    assert str(caught.value).startswith(
        f"{path} line 2 column 43: not valid JSON (Invalid control character at line 2 column 43: the text ends "
        "inside a value (cut short?))")  # the line's own newline, inside the string
