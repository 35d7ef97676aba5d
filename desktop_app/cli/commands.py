"""``copilot-desktop export`` and ``copilot-desktop import``: scriptable, no Qt, no window.

Exit codes: 0 done, 1 a bad file, an unknown conversation or an unusable data folder (said on
stderr), 2 a usage error.
"""

from __future__ import annotations

import argparse
import os
import sys
import tempfile
from collections.abc import Sequence
from pathlib import Path

from desktop_app.core.config.paths import AppPaths
from desktop_app.core.storage.conversation_store import ConversationStore
from desktop_app.core.storage.database import DB_FILE, DatabaseTooNewError, StorageError, open_database
from desktop_app.core.storage.exchange.exporters import (
    EXPORTERS,
    UnknownConversationError,
    load_conversations,
)
from desktop_app.core.storage.exchange.import_checks import ImportFormatError
from desktop_app.core.storage.exchange.json_import import import_document, parse_document


class CommandError(Exception):
    """A problem the user can fix; its message goes to stderr and the exit code is 1."""


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="copilot-desktop", description="Export or import conversations.")
    commands = parser.add_subparsers(dest="command", required=True, metavar="{export,import}")
    export = commands.add_parser("export", help="write conversations as Markdown, HTML or JSON")
    _add_data_dir(export)
    which = export.add_mutually_exclusive_group(required=True)
    which.add_argument("--all", action="store_true", help="every conversation, the trash included")
    which.add_argument(
        "--conversation", metavar="ID", action="append", help="this conversation (repeat for more)"
    )
    export.add_argument("--format", required=True, choices=sorted(EXPORTERS), help="json is for import")
    export.add_argument("-o", "--output", metavar="PATH", help="write here instead of to stdout")
    imports = commands.add_parser("import", help="add the conversations of a JSON export")
    _add_data_dir(imports)
    imports.add_argument("file", metavar="FILE", help="a JSON export ('-' reads stdin)")
    return parser


def _add_data_dir(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--data-dir", metavar="DIR", help="the app's --data-dir (default: the app's usual folders)"
    )


def _paths(data_dir: str | None) -> AppPaths:
    return AppPaths.under(Path(data_dir)) if data_dir else AppPaths.default()


def _open_store(paths: AppPaths, *, create: bool) -> ConversationStore:
    if not create and not (paths.data_dir / DB_FILE).exists():
        raise CommandError(f"No conversations found: {paths.data_dir / DB_FILE} does not exist.")
    try:
        result = open_database(paths.data_dir)
    except (StorageError, DatabaseTooNewError) as exc:
        raise CommandError(str(exc)) from None
    if result.notice:
        print(result.notice, file=sys.stderr)
    return ConversationStore(result.connection)


def _write_output(text: str, output: str | None) -> None:
    """UTF-8 whatever the locale; a file is replaced whole, so a failed export leaves no half file."""
    data = text.encode("utf-8")
    if output is None or output == "-":
        buffer = getattr(sys.stdout, "buffer", None)
        if buffer is None:  # stdout replaced by a text-only stream
            sys.stdout.write(text)
            return
        sys.stdout.flush()
        buffer.write(data)
        buffer.flush()
        return
    target = Path(output)
    try:
        fd, temp = tempfile.mkstemp(prefix=f".{target.name}.", dir=target.parent.resolve())
        with os.fdopen(fd, "wb") as file:
            file.write(data)
        os.replace(temp, target)
    except OSError as exc:
        raise CommandError(f"Cannot write {output}: {exc.strerror or exc}") from None


def _read_input(name: str) -> bytes:
    if name == "-":
        return sys.stdin.buffer.read()
    try:
        return Path(name).read_bytes()
    except OSError as exc:
        raise CommandError(f"Cannot read {name}: {exc.strerror or exc}") from None


def export_command(args: argparse.Namespace) -> int:
    store = _open_store(_paths(args.data_dir), create=False)
    try:
        items = load_conversations(store, None if args.all else args.conversation)
    except UnknownConversationError as exc:
        raise CommandError(f"Cannot export: {exc.args[0]}.") from None
    finally:
        store.close()
    _write_output(EXPORTERS[args.format](items), args.output)
    return 0


def import_command(args: argparse.Namespace) -> int:
    try:
        document = parse_document(_read_input(args.file))  # before opening: a bad file creates nothing
        store = _open_store(_paths(args.data_dir), create=True)
        try:
            result = import_document(store, document)
        finally:
            store.close()
    except ImportFormatError as exc:
        raise CommandError(f"Cannot import {args.file}: {exc}. Nothing was imported.") from None
    skipped = len(result.skipped)
    print(
        f"Imported {result.imported} conversation{'s' * (result.imported != 1)}; "
        f"skipped {skipped} that already exist{'s' * (skipped == 1)}.",
        file=sys.stderr,
    )
    for rejected in result.rejected:
        print(f"Left out {rejected.conversation_id or 'a conversation'}: {rejected.reason}", file=sys.stderr)
    return 0


def run(argv: Sequence[str]) -> int:
    """Run ``export ...`` or ``import ...``; returns the exit code (argparse's too) rather than exiting."""
    try:
        args = build_parser().parse_args(argv)
    except SystemExit as exc:  # argparse: --help (0) or a usage error (2)
        return exc.code if isinstance(exc.code, int) else 2
    command = export_command if args.command == "export" else import_command
    try:
        return command(args)
    except CommandError as exc:
        print(exc, file=sys.stderr)
        return 1
