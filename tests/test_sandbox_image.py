"""The sandbox image: a tag that follows the runner's content, a build that needs no registry, a clear check."""

from __future__ import annotations

import hashlib
import os
import subprocess
from pathlib import Path
from types import SimpleNamespace

import docker.errors
import pytest

from taco_judge import runner_files, sandbox_image
from taco_judge.errors import SandboxUnavailable
from taco_judge.sandbox_image import (
    RUNNER_LABEL,
    ImageStatus,
    build_image,
    check_image,
    engine_available,
    image_tag,
    runner_hash,
    runner_sources,
)

REPO = Path(__file__).resolve().parents[1]
BUILD_BASE = REPO / "sandbox" / "build-base.sh"


@pytest.fixture
def fake_runner(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """Point the in-jail programs at temporary copies, so tests can change their content."""
    for name in runner_files.IN_JAIL_FILES:
        (tmp_path / name).write_text(f"print('{name} v1')\n")
    monkeypatch.setattr(runner_files, "_runner_dir", lambda: tmp_path)
    return tmp_path / "python_runner.py"


def combined_sha256(*paths: Path) -> str:
    digest = hashlib.sha256()
    for path in paths:
        digest.update(hashlib.sha256(path.read_bytes()).digest())
    return digest.hexdigest()


class FakeImages:
    def __init__(self, images: dict[str, dict[str, str]]) -> None:
        self.images = images  # tag -> labels

    def get(self, tag: str):
        if tag not in self.images:
            raise docker.errors.ImageNotFound(f"No such image: {tag}")
        return SimpleNamespace(labels=self.images[tag], tags=[tag])

    def list(self, name: str):
        return [SimpleNamespace(tags=[t]) for t in self.images if t.startswith(name + ":")]

    def remove(self, tag: str, noprune: bool = False) -> None:
        del self.images[tag]


class FakeApi:
    def __init__(self, images: FakeImages, chunks: list[dict]) -> None:
        self.images = images
        self.chunks = chunks
        self.context: dict[str, bytes] = {}
        self.kwargs: dict = {}

    def build(self, path: str, **kwargs):
        self.context = {p.name: p.read_bytes() for p in Path(path).iterdir()}
        self.kwargs = kwargs
        for chunk in self.chunks:
            if "error" not in chunk:
                self.images.images[kwargs["tag"]] = {RUNNER_LABEL: kwargs["buildargs"]["RUNNER_SHA256"]}
            yield chunk


def fake_client(images: dict[str, dict[str, str]] | None = None, chunks: list[dict] | None = None):
    store = FakeImages(images or {})
    return SimpleNamespace(images=store, api=FakeApi(store, chunks if chunks is not None else [{"stream": "ok\n"}]))


# ---------------------------------------------------------------- names


def test_tag_carries_the_content_hash_of_every_in_jail_program() -> None:
    sources = runner_sources()
    assert [p.name for p in sources] == ["jail_init.py", "python_runner.py", "runner_child.py", "runner_jail.py"]
    assert runner_hash() == combined_sha256(*sources)[:12]
    assert image_tag() == f"taco-judge-sandbox:{runner_hash()}"


def test_a_changed_jail_init_needs_a_new_image(fake_runner: Path) -> None:
    before = image_tag()
    (fake_runner.parent / "jail_init.py").write_text("print('jail init v2')\n")
    assert image_tag() != before


def test_a_changed_runner_needs_a_new_image(fake_runner: Path) -> None:
    before = image_tag()
    fake_runner.write_text("print('runner v2')\n")
    assert image_tag() != before


# ---------------------------------------------------------------- check


def test_missing_image_says_how_to_build(fake_runner: Path) -> None:
    status = check_image(fake_client())
    assert status == ImageStatus(False, False, image_tag(), status.message)
    assert "taco-judge sandbox build --offline" in status.message and "\n" not in status.message


def test_image_of_an_older_runner_is_named(fake_runner: Path) -> None:
    status = check_image(fake_client({"taco-judge-sandbox:0123456789ab": {}}))
    assert not status.present and "taco-judge-sandbox:0123456789ab" in status.message


def test_image_with_a_foreign_runner_label_is_not_current(fake_runner: Path) -> None:
    status = check_image(fake_client({image_tag(): {RUNNER_LABEL: "f" * 64}}))
    assert status.present and not status.current
    assert "taco-judge sandbox build --offline" in status.message


def test_matching_image_is_current(fake_runner: Path) -> None:
    sha = combined_sha256(*runner_sources())
    status = check_image(fake_client({image_tag(): {RUNNER_LABEL: sha}}))
    assert status.present and status.current


def test_no_engine_is_reported_not_raised(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("DOCKER_HOST", "unix:///nonexistent/docker.sock")
    ok, reason = engine_available()
    assert not ok and "no Docker engine" in reason and "\n" not in reason


# ---------------------------------------------------------------- build


def test_build_context_holds_the_dockerfile_and_this_runner(fake_runner: Path) -> None:
    client = fake_client()
    lines: list[str] = []
    tag = build_image(offline=False, base="my/python-with-numpy:3.11", client=client, log=lines.append)
    assert tag == image_tag()
    assert set(client.api.context) == {"Dockerfile", *runner_files.IN_JAIL_FILES}
    assert client.api.context["python_runner.py"] == fake_runner.read_bytes()
    assert client.api.kwargs["buildargs"]["BASE"] == "my/python-with-numpy:3.11"
    assert client.api.kwargs["buildargs"]["RUNNER_SHA256"] == combined_sha256(*runner_sources())
    assert check_image(client).current


def test_build_removes_images_of_earlier_runners(fake_runner: Path) -> None:
    client = fake_client({"taco-judge-sandbox:0123456789ab": {}, "other:1": {}})
    build_image(offline=False, base="b", client=client, log=lambda _: None)
    assert set(client.images.images) == {image_tag(), "other:1"}


def test_offline_build_makes_the_base_first(fake_runner: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    calls: list[bool] = []
    monkeypatch.setattr(sandbox_image, "build_base", lambda force=False, log=None: calls.append(force) or "base:x")
    client = fake_client()
    build_image(offline=True, base=None, client=client, log=lambda _: None)
    assert calls == [False] and client.api.kwargs["buildargs"]["BASE"] == "base:x"


def test_default_base_is_the_public_slim_image(fake_runner: Path) -> None:
    client = fake_client()
    build_image(offline=False, base=None, client=client, log=lambda _: None)
    assert client.api.kwargs["buildargs"]["BASE"] == "python:3.11-slim"


def test_failed_build_is_one_line_and_suggests_offline(fake_runner: Path) -> None:
    client = fake_client(chunks=[{"error": "pull access denied for python,\nrepository does not exist"}])
    with pytest.raises(SandboxUnavailable) as info:
        build_image(offline=False, base=None, client=client, log=lambda _: None)
    message = str(info.value)
    assert "\n" not in message and "pull access denied" in message and "--offline" in message


def test_dockerfile_adds_only_the_runner_and_a_user() -> None:
    text = (REPO / "sandbox" / "Dockerfile").read_text()
    instructions = [line.split()[0] for line in text.splitlines() if line.strip() and not line.startswith("#")]
    assert "ARG BASE=python:3.11-slim" in text and "FROM ${BASE}" in text
    assert "pip" not in text and "apt-get" not in text  # the build needs no network
    assert "10001" in text and "/opt/taco-judge/jail_init.py" in text and "python_runner.py" in text
    assert instructions.count("FROM") == 1 and "ENTRYPOINT" in instructions


# ---------------------------------------------------------------- build-base.sh


def test_build_base_script_parses() -> None:
    subprocess.run(["bash", "-n", str(BUILD_BASE)], check=True)


def _mirror(apt_dir: Path, **env: str) -> subprocess.CompletedProcess:
    environ = {k: v for k, v in os.environ.items() if k != "TACO_JUDGE_DEBIAN_MIRROR"}
    environ.update(TACO_JUDGE_APT_DIR=str(apt_dir), **env)
    return subprocess.run(["bash", str(BUILD_BASE), "--print-mirror"], capture_output=True, text=True, env=environ)


def test_mirror_comes_from_deb822_sources(tmp_path: Path) -> None:
    (tmp_path / "sources.list.d").mkdir()
    (tmp_path / "sources.list.d" / "debian.sources").write_text(
        "Types: deb\nURIs: http://security.example/debian-security\nSuites: bookworm-security\nComponents: main\n\n"
        "Types: deb\n# a comment\nURIs: http://mirror.example/debian\nSuites: bookworm bookworm-updates\n"
        "Components: main\n"
    )
    done = _mirror(tmp_path)
    assert done.returncode == 0 and done.stdout.strip() == "http://mirror.example/debian"


def test_mirror_comes_from_one_line_sources(tmp_path: Path) -> None:
    (tmp_path / "sources.list").write_text(
        "deb http://security.example/debian-security bookworm-security main\n"
        "deb [arch=amd64 signed-by=/k.gpg] http://other.example/debian bookworm main\n"
    )
    assert _mirror(tmp_path).stdout.strip() == "http://other.example/debian"


def test_mirror_override_and_missing_mirror(tmp_path: Path) -> None:
    assert _mirror(tmp_path, TACO_JUDGE_DEBIAN_MIRROR="http://x.example/debian").stdout.strip() == "http://x.example/debian"
    done = _mirror(tmp_path)
    assert done.returncode != 0 and "TACO_JUDGE_DEBIAN_MIRROR" in done.stderr


def test_unknown_argument_is_an_error() -> None:
    done = subprocess.run(["bash", str(BUILD_BASE), "--bogus"], capture_output=True, text=True)
    assert done.returncode != 0 and "unknown argument" in done.stderr


# ---------------------------------------------------------------- the real image


@pytest.mark.docker
def test_built_image_has_runner_user_and_python(docker_image: str) -> None:
    status = check_image()
    client = sandbox_image.docker_client()
    probe = (
        "import os, pwd, stat, hashlib; "
        "u = pwd.getpwuid(10001); print(u.pw_name, u.pw_gid, u.pw_shell); "
        "print(oct(stat.S_IMODE(os.stat('/tmp').st_mode))); "
        "d = hashlib.sha256(); [d.update(hashlib.sha256(open('/opt/taco-judge/' + n, 'rb').read()).digest()) "
        f"for n in {runner_files.IN_JAIL_FILES!r}]; print(d.hexdigest())"
    )
    out = client.containers.run(
        status.tag, entrypoint=["python3", "-c", probe], remove=True, network_mode="none"
    ).decode().split()
    assert out[:3] == ["sandbox", "10001", "/usr/sbin/nologin"]
    assert out[3] == "0o755"
    assert out[4] == runner_files.runner_sha256()
