"""find_cli: the order of the places it looks, and what it says when nothing is usable."""

from __future__ import annotations

import sys
from pathlib import Path

import pytest

from desktop_app.core.copilot import cli_discovery
from desktop_app.core.copilot.cli_discovery import (
    BUNDLE_DIR_NAME,
    CliNotFoundError,
    binary_name,
    bundled_binary,
    find_cli,
    npm_binary,
    platform_package,
)


@pytest.fixture(autouse=True)
def _no_bundle(monkeypatch: pytest.MonkeyPatch) -> None:
    """Tests run unpackaged; a test that wants a bundle sets ``sys._MEIPASS`` itself."""
    monkeypatch.delattr(sys, "_MEIPASS", raising=False)


def make_exe(path: Path, mode: int = 0o755) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text("#!/bin/sh\necho fake copilot\n")
    path.chmod(mode)
    return path


@pytest.fixture
def empty_root(tmp_path: Path) -> Path:
    root = tmp_path / "empty-project"
    root.mkdir()
    return root


@pytest.fixture
def empty_path_dir(tmp_path: Path) -> str:
    empty = tmp_path / "empty-bin"
    empty.mkdir()
    return str(empty)


@pytest.fixture
def every_source(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> dict[str, Path]:
    """A usable CLI in each of the five places."""
    explicit = make_exe(tmp_path / "explicit" / "copilot")
    from_env = make_exe(tmp_path / "from-env" / "copilot")
    meipass = tmp_path / "meipass"
    bundled = make_exe(meipass / BUNDLE_DIR_NAME / binary_name())
    root = tmp_path / "project"
    npm = make_exe(npm_binary(root))
    bin_dir = tmp_path / "bin"
    on_path = make_exe(bin_dir / binary_name())
    monkeypatch.setattr(sys, "_MEIPASS", str(meipass), raising=False)
    return {
        "explicit": explicit,
        "env": from_env,
        "bundled": bundled,
        "root": root,
        "npm": npm,
        "bin_dir": bin_dir,
        "path": on_path,
    }


def test_cli_path_wins_over_everything(every_source: dict[str, Path]) -> None:
    env = {"COPILOT_CLI_PATH": str(every_source["env"]), "PATH": str(every_source["bin_dir"])}
    found = find_cli(str(every_source["explicit"]), env=env, project_root=every_source["root"])
    assert found.path == every_source["explicit"].resolve()
    assert found.origin == "--cli-path"


def test_env_var_comes_second(every_source: dict[str, Path]) -> None:
    env = {"COPILOT_CLI_PATH": str(every_source["env"]), "PATH": str(every_source["bin_dir"])}
    found = find_cli(None, env=env, project_root=every_source["root"])
    assert found.path == every_source["env"].resolve()
    assert found.origin == "COPILOT_CLI_PATH"


def test_bundled_comes_third(every_source: dict[str, Path]) -> None:
    env = {"PATH": str(every_source["bin_dir"])}
    found = find_cli(None, env=env, project_root=every_source["root"])
    assert found.path == every_source["bundled"]
    assert found.origin == "bundled with the app"


def test_project_npm_install_comes_fourth(
    every_source: dict[str, Path], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.delattr(sys, "_MEIPASS")
    env = {"PATH": str(every_source["bin_dir"])}
    found = find_cli(None, env=env, project_root=every_source["root"])
    assert found.path == every_source["npm"]
    assert found.origin == "the project's npm install"


def test_path_comes_last(
    every_source: dict[str, Path], monkeypatch: pytest.MonkeyPatch, empty_root: Path
) -> None:
    monkeypatch.delattr(sys, "_MEIPASS")
    env = {"PATH": str(every_source["bin_dir"])}
    found = find_cli(None, env=env, project_root=empty_root)
    assert found.path == every_source["path"]
    assert found.origin == "PATH"


def test_empty_cli_path_and_env_var_are_treated_as_not_given(
    every_source: dict[str, Path],
) -> None:
    env = {"COPILOT_CLI_PATH": "", "PATH": str(every_source["bin_dir"])}
    found = find_cli("", env=env, project_root=every_source["root"])
    assert found.origin == "bundled with the app"


def test_explicit_env_mapping_is_used_instead_of_os_environ(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, empty_path_dir: str
) -> None:
    from_process = make_exe(tmp_path / "process" / "copilot")
    monkeypatch.setenv("COPILOT_CLI_PATH", str(from_process))
    npm = make_exe(npm_binary(tmp_path / "root"))
    found = find_cli(None, env={"PATH": empty_path_dir}, project_root=tmp_path / "root")
    assert found.path == npm


def test_os_environ_is_used_when_env_is_not_given(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, empty_root: Path
) -> None:
    from_process = make_exe(tmp_path / "process" / "copilot")
    monkeypatch.setenv("COPILOT_CLI_PATH", str(from_process))
    found = find_cli(None, project_root=empty_root)
    assert found.path == from_process.resolve()
    assert found.origin == "COPILOT_CLI_PATH"


def test_cli_path_expands_user_and_resolves_symlinks(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, empty_root: Path
) -> None:
    home = tmp_path / "home"
    real = make_exe(home / "tools" / "copilot-real")
    link = home / "tools" / "copilot"
    link.symlink_to(real)
    monkeypatch.setenv("HOME", str(home))
    found = find_cli("~/tools/copilot", env={}, project_root=empty_root)
    assert found.path == real.resolve()


@pytest.mark.parametrize("kind", ["not-executable", "missing", "directory"])
def test_cli_path_that_is_not_executable_is_an_error(
    tmp_path: Path, every_source: dict[str, Path], kind: str
) -> None:
    target = tmp_path / "bad" / "copilot"
    if kind == "not-executable":
        make_exe(target, mode=0o644)
    elif kind == "directory":
        target.mkdir(parents=True)
    # Never falls back to the other (usable) places: the user asked for this one.
    with pytest.raises(CliNotFoundError) as info:
        find_cli(
            str(target),
            env={"PATH": str(every_source["bin_dir"])},
            project_root=every_source["root"],
        )
    message = str(info.value)
    assert "--cli-path" in message
    assert str(target) in message
    assert "not an executable file" in message


@pytest.mark.parametrize("kind", ["not-executable", "missing"])
def test_env_var_that_is_not_executable_is_an_error(
    tmp_path: Path, every_source: dict[str, Path], kind: str
) -> None:
    target = tmp_path / "bad" / "copilot"
    if kind == "not-executable":
        make_exe(target, mode=0o600)
    env = {"COPILOT_CLI_PATH": str(target), "PATH": str(every_source["bin_dir"])}
    with pytest.raises(CliNotFoundError) as info:
        find_cli(None, env=env, project_root=every_source["root"])
    assert f"COPILOT_CLI_PATH={target}" in str(info.value)
    assert "not an executable file" in str(info.value)


def test_unusable_bundle_and_npm_copies_are_skipped(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    meipass = tmp_path / "meipass"
    make_exe(meipass / BUNDLE_DIR_NAME / binary_name(), mode=0o644)
    monkeypatch.setattr(sys, "_MEIPASS", str(meipass), raising=False)
    root = tmp_path / "project"
    make_exe(npm_binary(root), mode=0o644)
    on_path = make_exe(tmp_path / "bin" / binary_name())
    found = find_cli(None, env={"PATH": str(tmp_path / "bin")}, project_root=root)
    assert found.path == on_path
    assert found.origin == "PATH"


def test_not_executable_file_on_path_is_skipped(tmp_path: Path, empty_root: Path) -> None:
    first = tmp_path / "first"
    make_exe(first / binary_name(), mode=0o644)
    second = make_exe(tmp_path / "second" / binary_name())
    path = f"{first}:{tmp_path / 'second'}"
    found = find_cli(None, env={"PATH": path}, project_root=empty_root)
    assert found.path == second


def test_not_found_message_says_how_to_fix_it(empty_root: Path, empty_path_dir: str) -> None:
    with pytest.raises(CliNotFoundError) as info:
        find_cli(None, env={"PATH": empty_path_dir}, project_root=empty_root)
    message = str(info.value)
    assert "was not found" in message
    assert "make setup" in message
    assert "npm install @github/copilot@" in message
    assert "--cli-path" in message
    assert "COPILOT_CLI_PATH" in message


def test_npm_binary_layout(tmp_path: Path) -> None:
    expected = tmp_path / "node_modules" / "@github" / f"copilot-{platform_package()}"
    assert npm_binary(tmp_path) == expected / binary_name()


def test_bundled_binary_follows_meipass(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    assert bundled_binary() is None
    monkeypatch.setattr(sys, "_MEIPASS", str(tmp_path), raising=False)
    assert bundled_binary() == tmp_path / BUNDLE_DIR_NAME / binary_name()


@pytest.mark.parametrize(
    ("system", "machine", "expected"),
    [
        ("linux", "x86_64", "linux-x64"),
        ("linux", "aarch64", "linux-arm64"),
        ("darwin", "arm64", "darwin-arm64"),
        ("win32", "AMD64", "win32-x64"),
        ("freebsd14", "riscv64", "freebsd14-riscv64"),
    ],
)
def test_platform_package(monkeypatch: pytest.MonkeyPatch, system: str, machine: str, expected: str) -> None:
    monkeypatch.setattr(cli_discovery.sys, "platform", system)
    monkeypatch.setattr(cli_discovery.platform, "machine", lambda: machine)
    assert platform_package() == expected
    assert binary_name() == ("copilot.exe" if system == "win32" else "copilot")
