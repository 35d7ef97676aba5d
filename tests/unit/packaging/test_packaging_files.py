"""The installer inputs that cannot run here: the macOS entitlements, the Inno Setup script and the
release workflow; and the Linux launcher entry, which exists twice (packaging/linux/ and resources/)
and must not drift.
"""

from __future__ import annotations

import plistlib
import re
import shutil
import subprocess
from pathlib import Path
from typing import Any

import pytest

from desktop_app import APP_ID, APP_NAME

ROOT = Path(__file__).resolve().parents[3]
PACKAGING = ROOT / "packaging"
WORKFLOW = ROOT / ".github" / "workflows" / "release.yml"


def test_entitlements_parse_and_allow_what_the_node_cli_needs() -> None:
    with (PACKAGING / "macos" / "entitlements.plist").open("rb") as file:
        entitlements = plistlib.load(file)
    assert entitlements == {
        "com.apple.security.cs.allow-jit": True,
        "com.apple.security.cs.allow-unsigned-executable-memory": True,
        "com.apple.security.cs.disable-library-validation": True,
    }


def test_inno_setup_script_is_per_user_and_ships_the_whole_bundle() -> None:
    script = (PACKAGING / "windows" / "copilot-desktop.iss").read_text()
    settings = dict(
        re.findall(r"^(\w+)=(.*)$", script.split("[Setup]", 1)[1].split("\n[", 1)[0], flags=re.MULTILINE)
    )
    assert settings["PrivilegesRequired"] == "lowest"
    assert settings["DefaultDirName"] == r"{localappdata}\Programs\{#AppName}"
    assert settings["AppVersion"] == "{#AppVersion}"
    assert settings["SetupIconFile"] == r"resources\icons\copilot-desktop.ico"
    assert (ROOT / settings["SourceDir"].replace("\\", "/").removeprefix("../../")).is_dir()
    assert re.search(r'#define AppGuid "\{\{[0-9A-F]{8}(-[0-9A-F]{4}){3}-[0-9A-F]{12}\}"', script)
    assert f'#define AppName "{APP_NAME}"' in script
    assert f'#define AppExe "{APP_ID}.exe"' in script
    files = re.search(
        r"^Source: \"dist\\copilot-desktop\\\*\"; DestDir: \"\{app\}\"; Flags: (.*)$", script, re.M
    )
    assert files is not None
    assert {"recursesubdirs", "createallsubdirs", "ignoreversion"} <= set(files.group(1).split())
    assert r"{autoprograms}\{#AppName}" in script  # the Start menu shortcut
    assert "Tasks: desktopicon" in script


def _load_yaml(text: str) -> dict[Any, Any] | None:
    try:
        import yaml  # type: ignore[import-untyped]
    except ImportError:
        return None
    data = yaml.safe_load(text)
    assert isinstance(data, dict)
    return data


def test_release_workflow_builds_on_the_three_systems() -> None:
    text = WORKFLOW.read_text()
    for runner in ("ubuntu-22.04", "windows-latest", "macos-14"):
        assert runner in text
    for command in (
        "npm ci",
        "pip install -e '.[package]'",
        "PyInstaller packaging/copilot-desktop.spec --noconfirm",
        "--smoke-test",
        "packaging/linux/make_appimage.sh",
        r"packaging\windows\copilot-desktop.iss",
        "choco install innosetup",
        "packaging/macos/make_dmg.sh",
        "actions/upload-artifact@v4",
    ):
        assert command in text
    workflow = _load_yaml(text)
    if workflow is None:
        pytest.skip("PyYAML is not installed: the text checks passed, the YAML was not parsed")
    triggers = workflow.get("on", workflow.get(True))  # YAML 1.1 reads a bare `on` as true
    assert triggers == {"push": {"tags": ["v*"]}}
    build = workflow["jobs"]["build"]
    runners = {entry["os"] for entry in build["strategy"]["matrix"]["include"]}
    assert runners == {"ubuntu-22.04", "windows-latest", "macos-14"}
    uses = {step["uses"].split("@")[0]: step for step in build["steps"] if "uses" in step}
    assert uses["actions/setup-python"]["with"]["python-version"] == "3.11"
    assert uses["actions/setup-node"]["with"]["node-version"] == "20"


def test_launcher_entry_has_one_truth() -> None:
    packaged = (PACKAGING / "linux" / f"{APP_ID}.desktop").read_text()
    assert (ROOT / "resources" / f"{APP_ID}.desktop").read_text() == packaged
    entry = dict(line.split("=", 1) for line in packaged.split("\n\n")[0].splitlines() if "=" in line)
    assert entry["Name"] == APP_NAME
    assert entry["Icon"] == APP_ID
    assert entry["StartupWMClass"] == APP_ID
    assert entry["Exec"] == APP_ID  # install.sh rewrites it to the installed binary
    assert entry["Actions"] == "new-window;"
    assert "[Desktop Action new-window]" in packaged


@pytest.mark.skipif(
    shutil.which("desktop-file-validate") is None, reason="desktop-file-utils is not installed"
)
def test_launcher_entry_is_valid() -> None:
    result = subprocess.run(
        ["desktop-file-validate", str(PACKAGING / "linux" / f"{APP_ID}.desktop")],
        capture_output=True,
        text=True,
    )
    assert result.returncode == 0 and not result.stdout.strip(), result.stdout
