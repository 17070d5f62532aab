"""`taco-judge sweep`: the sweep file's checks, the comparison's statistics, and a real sweep of the
shipped problems with two "models" (problems/sweep.toml) through the local jail, resumed."""

from __future__ import annotations

import csv
import json
import os
import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest
from conftest import done_rows, kill_process_tree

from taco_judge.cli import main
from taco_judge.metrics import compute_metrics, scored_counts
from taco_judge.problems import TaskMeta
from taco_judge.stats import bootstrap_pass_at_k, bootstrap_pass_at_k_delta, pass_at_k
from taco_judge.submissions import load_generations
from taco_judge.sweep import JudgedRun, SweepRun, csv_rows, load_sweep, summarize
from taco_judge.verdict import Limits, SampleResult, TestResult, Verdict

REPO = Path(__file__).resolve().parents[1]
PROBLEMS = REPO / "problems"


# ---------------------------------------------------------------- the sweep file


def write_sweep(folder: Path, text: str, generations: tuple[str, ...] = ("a.json", "b.json")) -> Path:
    for name in generations:
        (folder / name).write_text("[]", encoding="utf-8")
    path = folder / "sweep.toml"
    path.write_text(text, encoding="utf-8")
    return path


GOOD = """
problems = "{problems}"
k = [1, 5]
compare = "both"
time_limit_s = 2.5
task_ids = [0, 3]
all_tests = true
[score_weights]
tle = 0.1
[[runs]]
name = "a"
generations = "a.json"
labels = {{ model = "m1", temperature = 0.2 }}
[[runs]]
name = "b"
generations = "b.json"
labels = {{ model = "m2", top_p = 0.9 }}
"""


def test_a_sweep_file_is_read_with_paths_relative_to_it(tmp_path: Path) -> None:
    path = write_sweep(tmp_path, GOOD.format(problems=PROBLEMS))
    config = load_sweep(path)
    assert [r.name for r in config.runs] == ["a", "b"]
    assert config.runs[0].generations == str(tmp_path / "a.json")
    assert config.runs[1].labels == {"model": "m2", "top_p": 0.9}
    assert config.ks == (1, 5)
    assert config.score_weights.tle == 0.1 and config.score_weights.mle == 0.5
    assert config.out == Path("runs") / "sweep"
    assert config.label_keys() == ["model", "temperature", "top_p"]
    assert load_sweep(path, out=str(tmp_path / "x")).out == tmp_path / "x"

    from taco_judge.commands.judge import JudgeRequest

    args = JudgeRequest(**config.judge_options(config.runs[0], {"jobs": 3, "sandbox": None}))
    assert args.compare == "both" and args.time_limit_s == 2.5
    assert args.task_ids == "0,3" and args.early_stop is False and args.jobs == 3
    assert args.k == (1, 5) and args.score_weights == config.score_weights
    assert Path(args.out) == Path("runs") / "sweep" / "runs" / "a"
    assert Path(args.cache) == Path("runs") / "sweep" / "cache.sqlite"


def test_out_in_the_file_is_relative_to_it(tmp_path: Path) -> None:
    path = write_sweep(tmp_path, 'out = "results"\n' + GOOD.format(problems=PROBLEMS))
    assert load_sweep(path).out == tmp_path / "results"


def test_a_hub_id_stays_a_hub_id(tmp_path: Path) -> None:
    path = write_sweep(tmp_path, GOOD.format(problems="BAAI/TACO"))
    assert load_sweep(path).options["problems"] == "BAAI/TACO"


BAD_FILES = [
    ("problems = [", "not valid TOML"),
    ('problem = "x"\n[[runs]]\nname="a"\ngenerations="a.json"', "unknown key 'problem'"),
    ('[[runs]]\nname="a"\ngenerations="a.json"', "no 'problems' key"),
    ('problems = "p"', "no runs"),
    ('problems = "p"\n[[runs]]\nname="a/b"\ngenerations="a.json"', "'name' must be letters"),
    ('problems = "p"\n[[runs]]\nname="a"\ngenerations="a.json"\n[[runs]]\nname="a"\ngenerations="b.json"',
     "two runs have this name"),
    ('problems = "p"\n[[runs]]\nname="a"\ngenerations="missing.json"', "generation file"),
    ('problems = "p"\n[[runs]]\nname="a"\ngenerations="a.json"\ntimeout=3', "unknown key 'timeout'"),
    ('problems = "p"\n[[runs]]\nname="a"\ngenerations="a.json"\nlabels={x=[1]}', "label 'x'"),
    ('problems = "p"\nk = [0]\n[[runs]]\nname="a"\ngenerations="a.json"', "'k' must list positive"),
    ('problems = "p"\ntime_limit_s = "fast"\n[[runs]]\nname="a"\ngenerations="a.json"', "'time_limit_s' must be a number"),
    ('problems = "p"\ntimeout = 2\n[[runs]]\nname="a"\ngenerations="a.json"', "'timeout' is now 'time_limit_s'"),
    ('problems = "p"\ncompare = "fuzzy"\n[[runs]]\nname="a"\ngenerations="a.json"', "'compare' must be one of"),
    ('problems = "p"\nmemory_mb = -1\n[[runs]]\nname="a"\ngenerations="a.json"', "'memory_mb' must be positive"),
    ('problems = "p"\n[score_weights]\ntle = 3\n[[runs]]\nname="a"\ngenerations="a.json"', "must be in [0, 1]"),
    ('problems = "p"\n[score_weights]\nwa = 1\n[[runs]]\nname="a"\ngenerations="a.json"', "unknown score weight"),
    ('problems = "p"\nbootstrap_resamples = 0\n[[runs]]\nname="a"\ngenerations="a.json"', "bootstrap_resamples"),
]


@pytest.mark.parametrize("text,message", BAD_FILES, ids=[m for _, m in BAD_FILES])
def test_a_bad_sweep_file_is_one_line_and_exit_2(tmp_path: Path, capsys: pytest.CaptureFixture[str],
                                                  text: str, message: str) -> None:
    path = write_sweep(tmp_path, text)
    assert main(["sweep", str(path), "--out", str(tmp_path / "out")]) == 2
    err = capsys.readouterr().err.strip()
    assert len(err.splitlines()) == 1, err
    assert err.startswith("taco-judge: error: ") and str(path) in err and message in err, err
    assert not (tmp_path / "out").exists()  # nothing was started


def test_a_broken_generation_file_stops_the_sweep_before_any_run(tmp_path: Path,
                                                                capsys: pytest.CaptureFixture[str]) -> None:
    path = write_sweep(tmp_path, GOOD.format(problems=PROBLEMS))
    (tmp_path / "a.json").write_text(json.dumps([{"task_id": 0, "output": ["print(1)"]}]))
    (tmp_path / "b.json").write_text('[{"task_id": 0, "output": ')
    assert main(["sweep", str(path), "--out", str(tmp_path / "out")]) == 2
    err = capsys.readouterr().err.strip()
    assert len(err.splitlines()) == 1 and "run 'b'" in err and "b.json" in err, err
    assert not (tmp_path / "out").exists()


def test_a_missing_sweep_file_and_an_unknown_run_name(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["sweep", str(tmp_path / "nope.toml")]) == 2
    assert "sweep file not found" in capsys.readouterr().err
    path = write_sweep(tmp_path, GOOD.format(problems=PROBLEMS))
    assert main(["sweep", str(path), "--runs", "a,zz", "--out", str(tmp_path / "o")]) == 2
    err = capsys.readouterr().err
    assert "has no run 'zz'" in err and "a, b" in err


# ---------------------------------------------------------------- statistics


def sample(task: int, index: int, verdict: Verdict, unjudgeable: bool = False) -> SampleResult:
    test = TestResult(index=0, verdict=verdict, cpu_s=0.01, wall_s=0.02, peak_mb=10.0)
    return SampleResult(task_id=task, sample=index, verdict=verdict, tests=(test,), code_sha256=f"c{task}.{index}",
                        raw_sha256=f"r{task}.{index}", checker="strict", limits=Limits(1.0, 256), num_tests=1,
                        unjudgeable=unjudgeable)


def outcome(name: str, table: dict[int, str], metas: dict[int, TaskMeta], ks=(1, 2)) -> JudgedRun:
    """``table`` maps task -> verdict letters per sample: A accepted, W wrong, S system error, U unjudgeable."""
    letters = {"A": Verdict.AC, "W": Verdict.WA, "S": Verdict.SE, "U": Verdict.WA}
    results = [sample(t, i, letters[ch], ch == "U") for t, row in table.items() for i, ch in enumerate(row)]
    metrics = compute_metrics(results, metas, ks)
    metrics["run"] = {"complete": True}
    return JudgedRun(SweepRun(name, f"{name}.json", {"model": name}), results, metas, metrics)


def test_bootstrap_estimates_are_the_unbiased_means_with_intervals_around_them() -> None:
    counts = [(5, 0), (5, 1), (5, 5), (3, 2), (2, 2)]
    est = bootstrap_pass_at_k(counts, [1, 3, 5], resamples=400)
    assert est[1].value == pytest.approx(np.mean([pass_at_k(n, c, 1) for n, c in counts]))
    assert est[3].tasks == 4 and est[3].value == pytest.approx(np.mean([pass_at_k(n, c, 3) for n, c in counts[:4]]))
    assert est[5].tasks == 3
    for e in est.values():
        assert 0.0 <= e.ci95[0] <= e.value <= e.ci95[1] <= 1.0
        assert e.ci95[0] < e.ci95[1]  # the problems differ, so the interval has width
    assert bootstrap_pass_at_k(counts, [1], resamples=400) == {1: est[1]}  # fixed seed: reproducible
    same = bootstrap_pass_at_k([(4, 2)] * 10, [1, 2])
    assert same[1].ci95 == (0.5, 0.5)  # identical problems: no uncertainty over problems
    assert bootstrap_pass_at_k(counts, [9])[9].value is None


def test_bootstrap_interval_covers_the_truth_about_95_percent_of_the_time() -> None:
    """Simulated benchmarks of 80 problems with known per-problem solve rates: the 95% interval
    of pass@1 should hold the true mean in roughly 95% of them (a broken bootstrap - wrong axis,
    no resampling, resampling samples instead of problems - misses badly)."""
    rng = np.random.default_rng(7)
    rates = rng.beta(0.6, 0.9, size=80)
    truth = float(rates.mean())  # the population is these 80 problems' rates; pass@1 = rate
    hits = 0
    trials = 150
    for trial in range(trials):
        problems = rng.choice(rates, size=80, replace=True)
        counts = [(10, int(rng.binomial(10, p))) for p in problems]
        est = bootstrap_pass_at_k(counts, [1], resamples=500, seed=trial)[1]
        hits += est.ci95[0] <= truth <= est.ci95[1]
    assert 0.88 <= hits / trials <= 0.995, hits / trials


def test_paired_delta_is_the_difference_on_shared_problems() -> None:
    a = [(4, 1), (4, 4), (4, 0), (4, 2)]
    b = [(4, 2), (4, 4), (4, 1), (4, 2)]
    delta = bootstrap_pass_at_k_delta(list(zip(a, b)), [1, 2], resamples=500)
    assert delta[1].value == pytest.approx((0.25 + 0 + 0.25 + 0) / 4)
    assert delta[1].ci95[0] >= 0.0  # B never does worse on any problem, so no resample can be negative
    same = bootstrap_pass_at_k_delta(list(zip(a, a)), [1])
    assert same[1].value == 0.0 and same[1].ci95 == (0.0, 0.0)


def test_summary_agrees_with_metrics_json_and_leaves_out_what_metrics_leaves_out() -> None:
    metas = {
        0: TaskMeta(0, difficulty="EASY", skills=("Sorting",)),
        1: TaskMeta(1, difficulty="EASY", skills=("Sorting", "Greedy")),
        2: TaskMeta(2, difficulty="HARD"),
        3: TaskMeta(3, difficulty="HARD"),
    }
    first = outcome("first", {0: "AAW", 1: "WWW", 2: "AWSW", 3: "UWA"}, metas)
    second = outcome("second", {0: "AAA", 1: "WAW", 2: "WWW"}, metas)
    config = load_sweep_stub(ks=(1, 2))
    doc = summarize(config, [first, second])
    one, two = doc["runs"]
    assert doc["baseline"] == "first" and "vs_baseline" not in one
    assert one["pass_at_k"]["pass@1"]["value"] == pytest.approx(first.metrics["pass@1"])
    assert one["pass_at_k"]["pass@2"]["value"] == pytest.approx(first.metrics["pass@2"])
    assert one["scored_tasks"] == 3 and one["tasks"] == 4  # task 3 is unjudgeable
    assert scored_counts(first.results)[2] == (3, 1)  # the SE sample is out of n
    assert [p["k"] for p in one["curve"]] == [1, 2, 3]
    assert one["by_difficulty"]["EASY"]["pass@1"]["value"] == pytest.approx((2 / 3 + 0) / 2)
    assert set(one["by_skill"]) == {"Sorting", "Greedy", "(none)"}
    assert one["by_skill"]["Greedy"]["tasks"] == 1
    # Paired difference on the 3 problems both scored: (1 - 2/3) + (1/3 - 0) + (0 - 1/3) over 3.
    assert two["vs_baseline"]["shared_tasks"] == 3
    assert two["vs_baseline"]["pass@1"]["value"] == pytest.approx((1 / 3 + 1 / 3 - 1 / 3) / 3)
    assert one["verdicts"]["SE"] == 1 and two["samples"] == 9
    json.dumps(doc, allow_nan=False)  # sweep.json must be strict JSON

    rows = csv_rows(doc)
    overall = [r for r in rows if r["run"] == "first" and r["group"] == "overall"]
    assert [r["k"] for r in overall] == [1, 2, 3]
    assert {r["group"] for r in rows} == {"overall", "difficulty", "skill"}
    assert all(r["label:model"] in ("first", "second") for r in rows)


def load_sweep_stub(ks: tuple[int, ...]):
    from taco_judge.score import ScoreWeights
    from taco_judge.sweep import SweepConfig

    return SweepConfig(Path("s.toml"), Path("out"), (), {}, ks, ScoreWeights(), resamples=300)


# ---------------------------------------------------------------- a real sweep


def read_results(folder: Path) -> dict[tuple[int, int], dict]:
    records = [json.loads(line) for line in (folder / "results.jsonl").read_text().splitlines() if line.strip()]
    return {(r["task_id"], r["sample"]): r for r in records}


def expected(name: str) -> dict[tuple[int, int], str]:
    table = json.loads((PROBLEMS / name).read_text())
    return {(int(t), i): v for t, vs in table.items() for i, v in enumerate(vs)}


@pytest.mark.slow
def test_a_sweep_of_two_models_on_the_shipped_problems_end_to_end(tmp_path: Path) -> None:
    out = tmp_path / "sweep"
    cmd = [sys.executable, "-m", "taco_judge.cli", "sweep", str(PROBLEMS / "sweep.toml"), "--out", str(out),
           "--sandbox", "local"]
    first = subprocess.run(cmd, capture_output=True, text=True, timeout=900, cwd=tmp_path)
    assert first.returncode == 0, first.stderr[-3000:]
    assert "Traceback" not in first.stderr
    assert "Sweep: 2 runs" in first.stdout and "model-b" in first.stdout
    # At 80 columns (a pipe) labels are whole ("model=model-a", not "mode…") and paths are never broken.
    overview = first.stdout[first.stdout.index("Sweep: 2 runs"):first.stdout.index("pass@k")]
    assert "…" not in overview and "temperature=0.2" in overview and "model=model-b" in overview
    assert max(len(line) for line in overview.splitlines()) <= 80
    lines = first.stdout.splitlines()
    assert all(f"sweep: {out / name}" in lines for name in ("sweep.json", "sweep.csv", "report.html"))

    # Every sample of each model got the verdict it was written to get.
    a = read_results(out / "runs" / "model-a")
    b = read_results(out / "runs" / "model-b")
    assert {k: r["verdict"] for k, r in a.items()} == expected("expected_verdicts.json")
    assert {k: r["verdict"] for k, r in b.items()} == expected("expected_verdicts_b.json")

    # Identical code across runs ran once: model-b ran only the programs model-a did not write
    # (its second reference solution, where model-a's samples do not already hold it).
    a_code = {(s.task_id, s.code_sha256) for s in load_generations(PROBLEMS / "generations.json")[0]}
    b_subs = load_generations(PROBLEMS / "generations_b.json")[0]
    new_in_b = sum(1 for s in b_subs if (s.task_id, s.code_sha256) not in a_code)
    assert 10 <= new_in_b <= 35
    doc = json.loads((out / "sweep.json").read_text())
    runs = {r["name"]: r for r in doc["runs"]}
    assert runs["model-a"]["store"]["samples_run"] == 113
    assert runs["model-b"]["store"]["samples_run"] == new_in_b
    assert runs["model-b"]["store"]["samples_replayed"] == 113 - new_in_b
    assert runs["model-a"]["labels"] == {"model": "model-a", "temperature": 0.2}

    # The comparison agrees with each run's own metrics.json.
    for name in ("model-a", "model-b"):
        metrics = json.loads((out / "runs" / name / "metrics.json").read_text())
        for k in (1, 2, 3):
            est = runs[name]["pass_at_k"][f"pass@{k}"]
            assert est["value"] == pytest.approx(metrics[f"pass@{k}"])
            assert est["ci95"][0] <= est["value"] <= est["ci95"][1]
        assert runs[name]["complete"] is True
        assert metrics["score"]["weights"] == {"TLE": 0.5, "MLE": 0.5, "RE": 0.25}
    delta = runs["model-b"]["vs_baseline"]["pass@1"]
    assert delta["value"] == pytest.approx(runs["model-b"]["pass_at_k"]["pass@1"]["value"]
                                           - runs["model-a"]["pass_at_k"]["pass@1"]["value"])
    assert len(runs["model-a"]["curve"]) == 4  # up to 4 samples per task
    assert set(runs["model-a"]["by_difficulty"]) == {"EASY", "MEDIUM", "MEDIUM_HARD", "HARD", "VERY_HARD"}

    with (out / "sweep.csv").open() as handle:
        rows = list(csv.DictReader(handle))
    assert {"run", "label:model", "label:temperature", "group", "label", "k", "value", "ci95_low", "ci95_high",
            "tasks"} <= set(rows[0])
    assert {r["run"] for r in rows} == {"model-a", "model-b"}
    curve = [int(r["k"]) for r in rows if r["run"] == "model-a" and r["group"] == "overall"]
    assert curve == [1, 2, 3, 4]
    html = (out / "report.html").read_text()
    assert "model-a" in html and "model-b" in html and "<svg" in html
    assert 'id="comparison"' in html and "temperature" in html  # labels and CIs of the sweep

    # Again: everything is reused from the run stores, nothing runs, the comparison is the same.
    again = subprocess.run(cmd + ["--quiet"], capture_output=True, text=True, timeout=900, cwd=tmp_path)
    assert again.returncode == 0, again.stderr[-3000:]
    assert again.stdout.strip() == ""
    doc2 = json.loads((out / "sweep.json").read_text())
    for before, after in zip(doc["runs"], doc2["runs"]):
        assert after["store"]["samples_run"] == 0 and after["store"]["samples_reused"] == 113
        assert after["pass_at_k"] == before["pass_at_k"] and after["curve"] == before["curve"]

    # A third run added later: only it is judged, and the shared cache makes that free.
    text = (PROBLEMS / "sweep.toml").read_text().replace('"generations.json"', f'"{PROBLEMS / "generations.json"}"')
    text = text.replace('"generations_b.json"', f'"{PROBLEMS / "generations_b.json"}"').replace('"."', f'"{PROBLEMS}"')
    text += '\n[[runs]]\nname = "model-a-again"\ngenerations = "%s"\n' % (PROBLEMS / "generations.json")
    extended = tmp_path / "extended.toml"
    extended.write_text(text)
    third = subprocess.run([sys.executable, "-m", "taco_judge.cli", "sweep", str(extended), "--out", str(out),
                            "--sandbox", "local", "--runs", "model-a-again", "--quiet"],
                           capture_output=True, text=True, timeout=900, cwd=tmp_path)
    assert third.returncode == 0, third.stderr[-3000:]
    doc3 = json.loads((out / "sweep.json").read_text())
    runs3 = {r["name"]: r for r in doc3["runs"]}
    assert list(runs3) == ["model-a", "model-b", "model-a-again"]
    assert runs3["model-a-again"]["store"]["samples_run"] == 0
    assert runs3["model-a-again"]["pass_at_k"] == runs["model-a"]["pass_at_k"]
    assert runs3["model-a-again"]["vs_baseline"]["pass@1"]["value"] == 0.0


# ---------------------------------------------------------------- score weights on the judge


def test_judge_score_weights_set_the_composite_and_report_keeps_them(
    tmp_path: Path, tmp_problem_rows, capsys: pytest.CaptureFixture[str]
) -> None:
    problems = tmp_problem_rows(n=2)
    gens = tmp_path / "gens.jsonl"
    # Task 0: one AC and one RE sample; task 1: a WA and an AC.
    lines = [
        {"task_id": 0, "output": ["print(input())", "raise SystemExit(3)"]},
        {"task_id": 1, "output": ["print(7)", "print(input())"]},
    ]
    gens.write_text("".join(json.dumps(x) + "\n" for x in lines))
    out = tmp_path / "run"
    argv = ["judge", "--problems", str(problems), "--generations", str(gens), "--out", str(out),
            "--sandbox", "local", "--quiet", "--k", "1"]
    assert main(argv + ["--score-weights", "tle=0,mle=0,re=1"]) == 0
    metrics = json.loads((out / "metrics.json").read_text())
    score = metrics["score"]
    assert score["weights"] == {"TLE": 0.0, "MLE": 0.0, "RE": 1.0}
    assert metrics["run"]["score_weights"] == "tle=0.0,mle=0.0,re=1.0"
    # correctness 50; RE share 25% of samples (one of four): composite = 50 x (1 - 1 x 0.25)
    assert score["correctness"] == pytest.approx(50.0)
    assert score["composite"] == pytest.approx(37.5)
    assert main(["report", str(out), "--quiet"]) == 0
    assert json.loads((out / "metrics.json").read_text())["score"]["composite"] == pytest.approx(37.5)
    # Other weights on the same run change the score only: nothing is judged again.
    assert main(argv + ["--score-weights", "re=0"]) == 0
    again = json.loads((out / "metrics.json").read_text())
    assert again["score"]["composite"] == pytest.approx(50.0)
    assert again["run"]["store"]["samples_run"] == 0
    capsys.readouterr()
    with pytest.raises(SystemExit) as exc:
        main(argv + ["--score-weights", "tle=2"])
    assert exc.value.code == 2
    assert "must be in [0, 1]" in capsys.readouterr().err


@pytest.mark.slow
def test_a_sweep_on_ray_gives_the_local_executors_results(tmp_path: Path) -> None:
    """Both runs of a sweep on one local Ray instance (started once by the sweep, stopped at its
    end): the same verdicts and the same comparison as the local executor."""
    try:
        import ray  # noqa: F401
    except ImportError:
        if os.environ.get("TACO_JUDGE_REQUIRE_RAY") == "1":
            pytest.fail("TACO_JUDGE_REQUIRE_RAY=1 but Ray is not installed")
        pytest.skip("Ray is not installed (pip install 'taco-judge[ray]')")
    text = (PROBLEMS / "sweep.toml").read_text().replace('problems = "."', f'problems = "{PROBLEMS}"\ntask_ids = "0-4,30"')
    text = text.replace('"generations.json"', f'"{PROBLEMS / "generations.json"}"')
    text = text.replace('"generations_b.json"', f'"{PROBLEMS / "generations_b.json"}"')
    local = tmp_path / "local.toml"
    local.write_text(text)
    on_ray = tmp_path / "ray.toml"
    on_ray.write_text(text.replace("\nk = ", '\nexecutor = "ray"\njobs = 2\nk = ', 1))
    docs = {}
    for name, path in (("local", local), ("ray", on_ray)):
        done = subprocess.run([sys.executable, "-m", "taco_judge.cli", "sweep", str(path), "--out",
                               str(tmp_path / name), "--sandbox", "local", "--quiet"],
                              capture_output=True, text=True, timeout=900, cwd=tmp_path)
        assert done.returncode == 0, done.stderr[-3000:]
        docs[name] = json.loads((tmp_path / name / "sweep.json").read_text())
    for a, b in zip(docs["local"]["runs"], docs["ray"]["runs"]):
        assert a["name"] == b["name"] and a["verdicts"] == b["verdicts"]
        assert a["pass_at_k"] == b["pass_at_k"] and a["by_skill"] == b["by_skill"]
        assert a["store"]["samples_run"] == b["store"]["samples_run"]
    for run in ("model-a", "model-b"):
        verdicts_a = {k: r["verdict"] for k, r in read_results(tmp_path / "local" / "runs" / run).items()}
        verdicts_b = {k: r["verdict"] for k, r in read_results(tmp_path / "ray" / "runs" / run).items()}
        assert verdicts_a == verdicts_b
    ray_metrics = json.loads((tmp_path / "ray" / "runs" / "model-b" / "metrics.json").read_text())
    assert ray_metrics["run"]["executor"] == "ray"


@pytest.mark.slow
def test_a_sweep_killed_in_each_run_resumes_to_the_uninterrupted_result(tmp_path: Path) -> None:
    import time

    from taco_judge.store import Store

    text = (PROBLEMS / "sweep.toml").read_text().replace('problems = "."', f'problems = "{PROBLEMS}"\ntask_ids = "0-9"')
    text = text.replace('"generations.json"', f'"{PROBLEMS / "generations.json"}"')
    text = text.replace('"generations_b.json"', f'"{PROBLEMS / "generations_b.json"}"')
    sweep_file = tmp_path / "sweep.toml"
    sweep_file.write_text(text)

    def argv(out: Path) -> list[str]:
        return [sys.executable, "-m", "taco_judge.cli", "sweep", str(sweep_file), "--out", str(out),
                "--sandbox", "local", "--jobs", "2", "--quiet"]

    reference = tmp_path / "reference"
    done = subprocess.run(argv(reference), capture_output=True, text=True, timeout=900)
    assert done.returncode == 0, done.stderr[-2000:]

    out = tmp_path / "out"
    kills = []
    for run, at_least in (("model-a", 5), ("model-b", 3)):
        proc = subprocess.Popen(argv(out), stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, text=True,
                                start_new_session=True)
        store_path = out / "runs" / run / "results.sqlite"
        deadline = time.monotonic() + 300
        while done_rows(store_path) < at_least and proc.poll() is None and time.monotonic() < deadline:
            time.sleep(0.02)
        kill_process_tree(proc)
        kills.append((run, done_rows(store_path)))
    want = json.loads((reference / "sweep.json").read_text())
    totals = {r["name"]: r["samples"] for r in want["runs"]}
    assert any(0 < n < totals[run] for run, n in kills), (kills, totals)  # a kill landed mid-run
    final = subprocess.run(argv(out), capture_output=True, text=True, timeout=900)
    assert final.returncode == 0, (kills, final.stderr[-2000:])

    got = json.loads((out / "sweep.json").read_text())
    for a, b in zip(want["runs"], got["runs"]):
        assert b["complete"] is True
        for key in ("verdicts", "pass_at_k", "curve", "by_difficulty", "by_skill", "vs_baseline"):
            assert a.get(key) == b.get(key), (key, kills)
    # Every distinct program of the sweep ran exactly once across all the starts: the shared
    # cache holds one recorded execution each (a killed sample's unrecorded run does not count).
    with Store.open(out / "cache.sqlite") as cache:
        runs = cache.execution_runs()
    with Store.open(reference / "cache.sqlite") as cache:
        assert set(runs) == set(cache.execution_runs())
    assert set(runs.values()) == {1}, kills
