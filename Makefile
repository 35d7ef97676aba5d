# Copilot Desktop: `make run` sets everything up and launches the app; `make test` sets up and runs the tests.
PYTHON ?= $(shell command -v python3.11 || command -v python3)
VENV := .venv
PY := $(VENV)/bin/python
STAMP := $(VENV)/.installed
CLI_STAMP := node_modules/.copilot-installed
APT_PACKAGES := libxcb-cursor0 libxkbcommon-x11-0 libegl1 libgl1 libfontconfig1 libdbus-1-3 \
	libxcb-icccm4 libxcb-keysyms1 libxcb-image0 libxcb-render-util0 libxcb-shape0 libxcb-xkb1 \
	libxcb-randr0 libxcb-xinerama0 xvfb xauth fonts-dejavu-core desktop-file-utils chromium chromium-driver \
	dbus-bin dbus-daemon at-spi2-core python3-pyatspi python3-gi

.PHONY: setup system-deps run test lint screenshot bench package package-smoke clean

setup: system-deps $(STAMP) $(CLI_STAMP)

# Qt's xcb platform needs these on Debian/Ubuntu; skipped when present or when apt is unavailable.
system-deps:
	@if command -v dpkg-query >/dev/null 2>&1; then \
	  missing=$$(for p in $(APT_PACKAGES); do dpkg-query -W -f='$${Status}\n' $$p 2>/dev/null | grep -q "ok installed" || echo $$p; done); \
	  if [ -n "$$missing" ]; then \
	    echo "Installing system packages: $$missing"; \
	    SUDO=$$( [ "$$(id -u)" = 0 ] || echo sudo ); \
	    $$SUDO apt-get update -qq && $$SUDO env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq $$missing >/dev/null; \
	  fi; \
	fi

$(STAMP): pyproject.toml
	test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PY) -m pip install -q --upgrade pip
	$(PY) -m pip install -q -e '.[dev]'
	touch $@

# The pinned Copilot CLI (package.json / package-lock.json); the SDK never downloads it.
$(CLI_STAMP): package.json package-lock.json
	npm ci --no-audit --no-fund --loglevel=error
	touch $@

run: setup
	$(PY) -m desktop_app $(ARGS)

test: setup
	QT_QPA_PLATFORM=offscreen $(PY) -m pytest $(PYTEST_ARGS)

lint: setup
	$(PY) -m ruff check desktop_app tests
	$(PY) -m ruff format --check desktop_app tests
	$(PY) -m mypy
	$(VENV)/bin/lint-imports --no-cache

bench: setup
	$(PY) tests/benchmarks/bench_store.py
	sync  # the store benchmark's 0.5 GB reach the disk before the window's benchmarks start
	QT_QPA_PLATFORM=offscreen $(PY) tests/benchmarks/run_all.py

# A real window on Xvfb, a typed prompt, screenshots in ./screenshots (needs xvfb, xdotool, imagemagick).
screenshot: setup
	$(PY) -m tests.tools.screenshot --out screenshots

# A one-folder PyInstaller bundle with the pinned CLI inside, and its Linux .tar.gz (dist/).
PACKAGE_STAMP := $(VENV)/.package-installed
VERSION := $(shell sed -n 's/^__version__ = "\(.*\)"/\1/p' desktop_app/__init__.py)
ARCH := $(shell uname -m)

$(PACKAGE_STAMP): pyproject.toml $(STAMP)
	$(PY) -m pip install -q -e '.[dev,package]'
	touch $@

package: setup $(PACKAGE_STAMP)
	rm -rf dist/copilot-desktop
	$(PY) -m PyInstaller packaging/copilot-desktop.spec --noconfirm --log-level WARN \
	  --distpath dist --workpath build/pyinstaller
	cp packaging/linux/install.sh packaging/linux/uninstall.sh dist/copilot-desktop/
	tar -C dist -czf dist/copilot-desktop-$(VERSION)-linux-$(ARCH).tar.gz copilot-desktop
	@du -sh dist/copilot-desktop dist/copilot-desktop-$(VERSION)-linux-$(ARCH).tar.gz

# The frozen app checks itself in a clean environment (no virtualenv, no display, a fresh HOME),
# first as built, then installed from the tarball the way a user would.
package-smoke:
	home=$$(mktemp -d) && env -i HOME=$$home PATH=/usr/bin:/bin LANG=C.UTF-8 \
	  dist/copilot-desktop/copilot-desktop --smoke-test; status=$$?; rm -rf $$home; exit $$status
	packaging/linux/check_tarball.sh dist/copilot-desktop-$(VERSION)-linux-$(ARCH).tar.gz

clean:
	rm -rf $(VENV) node_modules dist build
