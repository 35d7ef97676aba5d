"""packaging/linux/install.sh and uninstall.sh against a fake bundle and a throw-away HOME.

The fake bundle has the layout PyInstaller's one-folder build has (copilot-desktop + _internal/, with
resources/ inside _internal/) and the real icons and launcher entry. Also make_appimage.sh, with a
stand-in appimagetool that checks the AppDir it is given.
"""

from __future__ import annotations

import hashlib
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[3]
LINUX = ROOT / "packaging" / "linux"
RESOURCES = ROOT / "resources"
APP_ID = "copilot-desktop"
ICON_SIZES = (16, 24, 32, 48, 64, 128, 256, 512)

pytestmark = pytest.mark.skipif(
    sys.platform == "win32" or shutil.which("bash") is None, reason="the Linux scripts need bash"
)


def make_bundle(where: Path) -> Path:
    bundle = where / APP_ID
    resources = bundle / "_internal" / "resources"
    (resources / "icons").mkdir(parents=True)
    exe = bundle / APP_ID
    exe.write_text('#!/bin/sh\necho "fake copilot-desktop $*"\n')
    exe.chmod(0o755)
    (bundle / "_internal" / "libfake.so").write_bytes(b"\x7fELF fake")
    for size in ICON_SIZES:
        name = f"{APP_ID}-{size}.png"
        shutil.copy(RESOURCES / "icons" / name, resources / "icons" / name)
    shutil.copy(RESOURCES / f"{APP_ID}.svg", resources)
    shutil.copy(RESOURCES / f"{APP_ID}.desktop", resources)
    for script in ("install.sh", "uninstall.sh"):  # as `make package` ships them
        shutil.copy(LINUX / script, bundle / script)
    return bundle


def environment(home: Path, data_home: Path | None) -> dict[str, str]:
    env = {"HOME": str(home), "PATH": os.environ.get("PATH", "/usr/bin:/bin"), "LANG": "C.UTF-8"}
    if data_home is not None:
        env["XDG_DATA_HOME"] = str(data_home)
    return env


def run(script: Path, env: dict[str, str], *args: str) -> str:
    result = subprocess.run(
        ["bash", str(script), *args], env=env, capture_output=True, text=True, timeout=60, check=False
    )
    assert result.returncode == 0, result.stdout + result.stderr
    return result.stdout


def snapshot(root: Path) -> dict[str, str]:
    """Every file and link under root: its content hash, or where the link points."""
    found = {}
    for path in root.rglob("*"):
        if path.is_symlink():
            found[str(path.relative_to(root))] = "-> " + os.readlink(path)
        elif path.is_file():
            found[str(path.relative_to(root))] = hashlib.sha256(path.read_bytes()).hexdigest()
    return found


CACHES = {"mimeinfo.cache", "icon-theme.cache"}  # rebuilt by the desktop's own tools


def without_caches(files: dict[str, str]) -> dict[str, str]:
    return {name: digest for name, digest in files.items() if Path(name).name not in CACHES}


def exec_program(value: str) -> str:
    """The program of a Desktop Entry Exec= value: string escapes, then the quoting rules, then %%."""
    unescaped = value.replace("\\\\", "\0")
    for escape, char in (("\\s", " "), ("\\n", "\n"), ("\\t", "\t"), ("\\r", "\r")):
        unescaped = unescaped.replace(escape, char)
    unescaped = unescaped.replace("\0", "\\")
    if not unescaped.startswith('"'):
        return unescaped.split(" ")[0].replace("%%", "%")
    program, index = "", 1
    while unescaped[index] != '"':
        if unescaped[index] == "\\":
            index += 1
        program += unescaped[index]
        index += 1
    return program.replace("%%", "%")


def check_installed(home: Path, data: Path) -> None:
    app = data / APP_ID / "app"
    assert (app / APP_ID).is_file() and os.access(app / APP_ID, os.X_OK)
    assert (app / "_internal" / "libfake.so").read_bytes() == b"\x7fELF fake"
    assert (app / "uninstall.sh").is_file()
    link = home / ".local" / "bin" / APP_ID
    assert link.is_symlink() and link.resolve() == (app / APP_ID).resolve()
    for size in ICON_SIZES:
        icon = data / "icons" / "hicolor" / f"{size}x{size}" / "apps" / f"{APP_ID}.png"
        assert icon.read_bytes() == (RESOURCES / "icons" / f"{APP_ID}-{size}.png").read_bytes()
    svg = data / "icons" / "hicolor" / "scalable" / "apps" / f"{APP_ID}.svg"
    assert svg.read_bytes() == (RESOURCES / f"{APP_ID}.svg").read_bytes()

    entry = data / "applications" / f"{APP_ID}.desktop"
    text = entry.read_text()
    execs = [line.removeprefix("Exec=") for line in text.splitlines() if line.startswith("Exec=")]
    assert len(execs) == 2, "the main entry and the New Window action"
    for value in execs:
        assert exec_program(value) == str(app / APP_ID)
    assert "Icon=copilot-desktop\n" in text
    if shutil.which("desktop-file-validate"):
        result = subprocess.run(["desktop-file-validate", str(entry)], capture_output=True, text=True)
        assert result.returncode == 0 and not result.stdout.strip(), result.stdout + result.stderr

    ran = subprocess.run([str(link), "--version"], capture_output=True, text=True, timeout=10)
    assert ran.stdout == "fake copilot-desktop --version\n"


@pytest.mark.parametrize(
    "data_home",
    [None, 'data home/with %percent, $dollar, "quote" and \\backslash'],
    ids=["default", "odd-xdg-data-home"],
)
def test_install_twice_then_uninstall(tmp_path: Path, data_home: str | None) -> None:
    home = tmp_path / "home dir"
    data = home / ".local" / "share" if data_home is None else tmp_path / data_home
    env = environment(home, None if data_home is None else data)
    bundle = make_bundle(tmp_path / "unpacked")
    # Someone else's files beside ours, and the user's conversations: all must survive.
    (home / ".local" / "bin").mkdir(parents=True)
    (home / ".local" / "bin" / "other-tool").write_text("#!/bin/sh\n")
    (data / "applications").mkdir(parents=True)
    (data / "applications" / "other.desktop").write_text(
        "[Desktop Entry]\nType=Application\nName=O\nExec=o\n"
    )
    (data / "icons" / "hicolor" / "48x48" / "apps").mkdir(parents=True)
    (data / "icons" / "hicolor" / "48x48" / "apps" / "other.png").write_bytes(b"png")
    (data / APP_ID).mkdir(parents=True)
    (data / APP_ID / "conversations.db").write_bytes(b"the user's conversations")
    before = snapshot(tmp_path)

    output = run(bundle / "install.sh", env)
    assert "Installed the launcher" in output and "Done." in output
    check_installed(home, data)
    first = without_caches(snapshot(tmp_path))
    run(bundle / "install.sh", env)  # idempotent: the same files, nothing stale
    check_installed(home, data)
    assert without_caches(snapshot(tmp_path)) == first

    output = run(data / APP_ID / "app" / "uninstall.sh", env)
    assert "Removed the app" in output
    assert without_caches(snapshot(tmp_path)) == without_caches(before)
    assert not (data / APP_ID / "app").exists()
    run(bundle / "uninstall.sh", env)  # a second uninstall has nothing left to do, and says so quietly


def test_install_takes_the_bundle_as_an_argument_and_leaves_a_foreign_command_alone(tmp_path: Path) -> None:
    home = tmp_path / "home"
    env = environment(home, None)
    bundle = make_bundle(tmp_path)
    foreign = home / ".local" / "bin" / APP_ID
    foreign.parent.mkdir(parents=True)
    foreign.write_text("#!/bin/sh\necho mine\n")
    result = subprocess.run(
        ["bash", str(LINUX / "install.sh"), str(bundle)], env=env, capture_output=True, text=True, timeout=60
    )
    assert result.returncode == 0, result.stderr
    assert "left it alone" in result.stderr
    assert foreign.read_text() == "#!/bin/sh\necho mine\n"
    assert (home / ".local" / "share" / "applications" / f"{APP_ID}.desktop").is_file()
    run(LINUX / "uninstall.sh", env)
    assert foreign.read_text() == "#!/bin/sh\necho mine\n"
    assert not (home / ".local" / "share" / "applications" / f"{APP_ID}.desktop").exists()


def test_install_refuses_a_folder_that_is_not_a_bundle(tmp_path: Path) -> None:
    result = subprocess.run(
        ["bash", str(LINUX / "install.sh"), str(tmp_path)],
        env=environment(tmp_path / "home", None),
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert result.returncode == 1
    assert "is not a Copilot Desktop bundle" in result.stderr
    assert not (tmp_path / "home").exists()


FAKE_APPIMAGETOOL = """#!/bin/sh
# Stands in for appimagetool: checks the AppDir, keeps a copy of it, and writes the output file.
set -e
[ "$1" = --no-appstream ] && shift
appdir=$1 out=$2
test -x "$appdir/AppRun"
test -f "$appdir/copilot-desktop.desktop"
test -f "$appdir/copilot-desktop.png"
test -L "$appdir/.DirIcon"
test -x "$appdir/app/copilot-desktop"
cp -R "$appdir" "$out.AppDir"
echo AppImage > "$out"
"""


def test_make_appimage_builds_an_appdir_that_runs_the_app(tmp_path: Path) -> None:
    bin_dir = tmp_path / "bin"
    bin_dir.mkdir()
    tool = bin_dir / "appimagetool"
    tool.write_text(FAKE_APPIMAGETOOL)
    tool.chmod(0o755)
    bundle = make_bundle(tmp_path)
    out = tmp_path / "out" / "Copilot_Desktop.AppImage"
    env = {"PATH": f"{bin_dir}:/usr/bin:/bin", "HOME": str(tmp_path)}
    run(LINUX / "make_appimage.sh", env, str(bundle), str(out))
    assert out.read_text() == "AppImage\n"
    appdir = Path(f"{out}.AppDir")
    if shutil.which("desktop-file-validate"):
        result = subprocess.run(
            ["desktop-file-validate", str(appdir / f"{APP_ID}.desktop")], capture_output=True, text=True
        )
        assert result.returncode == 0, result.stdout
    ran = subprocess.run([str(appdir / "AppRun"), "a b"], capture_output=True, text=True, timeout=10)
    assert ran.stdout == "fake copilot-desktop a b\n"


@pytest.mark.skipif(
    shutil.which("appimagetool", path="/usr/bin:/bin") is not None, reason="appimagetool is installed"
)
def test_make_appimage_skips_without_appimagetool(tmp_path: Path) -> None:
    output = run(LINUX / "make_appimage.sh", {"PATH": "/usr/bin:/bin", "HOME": str(tmp_path)}, str(tmp_path))
    assert "skipped" in output


@pytest.mark.skipif(shutil.which("shellcheck") is None, reason="shellcheck is not installed")
def test_scripts_pass_shellcheck() -> None:
    scripts = [*LINUX.glob("*.sh"), ROOT / "packaging" / "macos" / "make_dmg.sh"]
    result = subprocess.run(["shellcheck", *map(str, scripts)], capture_output=True, text=True)
    assert result.returncode == 0, result.stdout
