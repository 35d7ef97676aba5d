"""Conversation store at scale: fill, sidebar listing, loading a big conversation, search, streaming.

Fills a throw-away database (default 10,000 conversations / 200,000 messages with realistic prose,
markdown and code) through the real schema, so the FTS triggers run, then prints timings.
Prints figures only; asserts nothing (timings on shared machines are noisy).
Run: ``python tests/benchmarks/bench_store.py [--conversations N]``.
"""

from __future__ import annotations

import argparse
import random
import statistics
import sys
import tempfile
import time
import uuid
from collections.abc import Callable
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parents[2]))

from desktop_app.core.storage.conversation_store import ConversationStore, title_from_prompt
from desktop_app.core.storage.database import open_database
from desktop_app.core.storage.models import Role, Status

COMMON_WORDS = """
the of and to in is that it for on with as was be by this are or from at an but not have you
can we use when if which will one all would there their what so up out about into than then
them these some could other time only new also how more like make way should each may file
data value function error request server client user model table query index cache memory
thread process test build install version config update return string number list object
class method module package import export default option result response stream token window
widget layout render event signal slot loop async await future task queue lock write read
open close save load path folder database schema column migration transaction commit
"""
COMMON = COMMON_WORDS.split()
SYLLABLES = "ka to ri mu sen dor vel qua lin pre ex ter on al is um ber gra fi no ca pi"
SEARCHES = [
    ("common word", "function"),
    ("two words (AND)", "database migration"),
    ("prefix", "transac"),
    ("three words + prefix", "server request tim"),
    ("rare planted word", "zanzibarquux"),
    ("accented (diacritics)", "café"),
    ("no match", "xylophonezzz"),
    ("code identifier", "parse_config"),
]


def make_vocabulary(rng: random.Random, size: int = 6000) -> tuple[list[str], list[float]]:
    syllables = SYLLABLES.split()
    words = list(COMMON)
    seen = set(words)
    while len(words) < size:
        w = "".join(rng.choice(syllables) for _ in range(rng.randint(2, 4)))
        if w not in seen:
            seen.add(w)
            words.append(w)
    weights = [1.0 / (rank + 1) ** 1.05 for rank in range(len(words))]  # Zipf-like
    return words, weights


class TextFactory:
    """Builds messages from pools of pre-generated prose, lists and code (fast and varied)."""

    def __init__(self, rng: random.Random) -> None:
        self.rng = rng
        words, weights = make_vocabulary(rng)
        sample = rng.choices(words, weights, k=400_000)
        pos = 0

        def sentence() -> str:
            nonlocal pos
            n = rng.randint(6, 22)
            if pos + n > len(sample):
                pos = 0
            s = " ".join(sample[pos : pos + n])
            pos += n
            return s[0].upper() + s[1:] + rng.choice(".......?!")

        self.sentences = [sentence() for _ in range(20_000)]
        self.paragraphs = [" ".join(rng.sample(self.sentences, rng.randint(2, 7))) for _ in range(6_000)]
        self.lists = [
            "\n".join(
                f"- **{rng.choice(words)}**: {rng.choice(self.sentences)}" for _ in range(rng.randint(3, 7))
            )
            for _ in range(1_500)
        ]
        self.code = [self._code_block(words) for _ in range(1_500)]

    def _code_block(self, words: list[str]) -> str:
        rng = self.rng
        lang = rng.choice(["python", "python", "sql", "bash", "typescript"])
        lines = []
        for _ in range(rng.randint(4, 30)):
            a, b = rng.choice(words), rng.choice(words)
            indent = "    " * rng.randint(0, 2)
            lines.append(
                rng.choice(
                    [
                        f"{indent}def {a}_{b}(path: str, retries: int = 3) -> dict[str, int]:",
                        f"{indent}result = parse_config({a!r}, {b}=True)",
                        f"{indent}for item in {a}: total += len(item.{b})",
                        f"{indent}SELECT {a}, count(*) FROM {b} WHERE id = ? GROUP BY {a};",
                        f'{indent}echo "{a} {b}" | grep -v {b} > /tmp/{a}.log',
                        f"{indent}const {a} = await fetch(`/api/{b}`); // {a}",
                        f"{indent}# {rng.choice(self.sentences)}",
                    ]
                )
            )
        return f"```{lang}\n" + "\n".join(lines) + "\n```"

    def user_prompt(self) -> str:
        rng = self.rng
        r = rng.random()
        if r < 0.55:
            return " ".join(rng.sample(self.sentences, rng.randint(1, 3)))
        if r < 0.85:
            return rng.choice(self.paragraphs) + "\n\n" + rng.choice(self.sentences)
        return rng.choice(self.sentences) + "\n\n" + rng.choice(self.code)  # pasted code

    def assistant_reply(self) -> str:
        rng = self.rng
        parts = []
        for i in range(rng.choice([1, 2, 3, 3, 4, 5, 6, 8])):
            r = rng.random()
            if i and r < 0.15:
                parts.append(f"## {rng.choice(self.sentences)[:-1]}")
            elif r < 0.55:
                parts.append(rng.choice(self.paragraphs))
            elif r < 0.75:
                parts.append(rng.choice(self.lists))
            else:
                parts.append(rng.choice(self.code))
        return "\n\n".join(parts)


def median_time(fn: Callable[[], Any], repeats: int) -> tuple[float, Any]:
    times = []
    result = None
    for _ in range(repeats):
        t0 = time.perf_counter()
        result = fn()
        times.append(time.perf_counter() - t0)
    return statistics.median(times), result


def ms(seconds: float) -> str:
    return f"{seconds * 1000:9.2f} ms"


def fill(
    store: ConversationStore, factory: TextFactory, conversations: int, per: int, rng: random.Random
) -> int:
    """Insert everything with executemany in batched transactions; returns content bytes written."""
    start = time.time() - 365 * 86400
    total_chars = 0
    batch = 250
    accents = ["Un café crème, s'il vous plaît.", "Le résumé est prêt.", "Naïve façade."]
    for first in range(0, conversations, batch):
        conv_rows = []
        msg_rows = []
        for _ in range(first, min(first + batch, conversations)):
            cid = str(uuid.uuid4())
            created = start + rng.random() * 360 * 86400
            t = created
            title = ""
            for seq in range(1, per + 1):
                role = Role.USER if seq % 2 else Role.ASSISTANT
                content = factory.user_prompt() if role is Role.USER else factory.assistant_reply()
                if rng.random() < 0.0001:
                    content += " zanzibarquux"
                if rng.random() < 0.002:
                    content += " " + rng.choice(accents)
                if not title and role is Role.USER:
                    title = title_from_prompt(content)
                t += rng.uniform(2, 120)
                total_chars += len(content)
                usage = (
                    (rng.randint(50, 4000), rng.randint(20, 2000)) if role is Role.ASSISTANT else (None, None)
                )
                msg_rows.append(
                    (str(uuid.uuid4()), cid, seq, role.value, content, "complete", "gpt-5", *usage, t, t)
                )
            conv_rows.append((cid, title, created, t, int(rng.random() < 0.01), "gpt-5", "copilot"))
        with store.transaction() as db:
            db.executemany(
                "INSERT INTO conversations (id, title, created_at, updated_at, pinned, model, provider) "
                "VALUES (?, ?, ?, ?, ?, ?, ?)",
                conv_rows,
            )
            db.executemany(
                "INSERT INTO messages (id, conversation_id, seq, role, content, status, model, "
                "input_tokens, output_tokens, created_at, updated_at) "
                "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                msg_rows,
            )
    return total_chars


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--conversations", type=int, default=10_000)
    parser.add_argument("--messages-per-conversation", type=int, default=20)
    parser.add_argument("--seed", type=int, default=1)
    args = parser.parse_args()
    rng = random.Random(args.seed)
    n_conv, per = args.conversations, args.messages_per_conversation

    with tempfile.TemporaryDirectory(prefix="bench_store_") as tmp:
        data_dir = Path(tmp)
        result = open_database(data_dir)
        store = ConversationStore(result.connection)

        t0 = time.perf_counter()
        factory = TextFactory(rng)
        print(f"text pools built               {ms(time.perf_counter() - t0)}")

        t0 = time.perf_counter()
        chars = fill(store, factory, n_conv, per, rng)
        fill_s = time.perf_counter() - t0
        n_msg = n_conv * per
        print(
            f"fill {n_conv:,} conversations / {n_msg:,} messages: {fill_s:7.2f} s "
            f"({n_msg / fill_s:,.0f} msg/s, {chars / 1e6:,.1f} M chars of content)"
        )
        t0 = time.perf_counter()
        store.db.execute("PRAGMA wal_checkpoint(TRUNCATE)")
        print(f"wal checkpoint after fill      {ms(time.perf_counter() - t0)}")
        size = result.path.stat().st_size
        wal = Path(str(result.path) + "-wal")
        wal_size = wal.stat().st_size if wal.exists() else 0
        print(f"db size                        {size / 1e6:9.1f} MB (+ wal {wal_size / 1e6:.1f} MB)")
        try:
            fts = store.db.execute(
                "SELECT sum(pgsize) FROM dbstat WHERE name LIKE 'messages_fts%'"
            ).fetchone()[0]
            print(f"  of which full-text index     {fts / 1e6:9.1f} MB")
        except Exception:  # dbstat is an optional SQLite module
            pass

        # Sidebar.
        secs, rows = median_time(lambda: store.list_conversations(limit=200), 20)
        print(f"list_conversations(limit=200)  {ms(secs)}  ({len(rows)} rows, median of 20)")
        secs, rows = median_time(store.list_conversations, 5)
        print(f"list_conversations() all       {ms(secs)}  ({len(rows):,} rows, median of 5)")

        # One ~1 MB conversation.
        big = store.create_conversation()
        t0 = time.perf_counter()
        size_big = 0
        while size_big < 1_000_000:
            prompt = factory.user_prompt()
            store.add_message(big.id, Role.USER, prompt)
            reply = "\n\n".join(factory.assistant_reply() for _ in range(8))
            store.add_message(big.id, Role.ASSISTANT, reply)
            size_big += len(prompt) + len(reply)
        build_s = time.perf_counter() - t0
        n_big = len(store.messages(big.id))
        secs, _ = median_time(lambda: store.messages(big.id), 20)
        print(
            f"load 1 MB conversation         {ms(secs)}  ({n_big} messages, {size_big / 1e6:.2f} M chars, "
            f"median of 20; built with add_message in {build_s * 1000:.0f} ms)"
        )
        secs, _ = median_time(lambda: store.add_message(big.id, Role.USER, factory.user_prompt()), 100)
        print(f"add_message (one prompt)       {ms(secs)}  (median of 100)")

        # Searches.
        for label, text in SEARCHES:
            secs, hits = median_time(lambda text=text: store.search(text), 7)
            print(f"search {label:<24}{ms(secs)}  ({len(hits)} hits, {text!r}, median of 7)")
        secs, hits = median_time(lambda: store.search("function", limit=500), 5)
        print(f"search {'common word, limit=500':<24}{ms(secs)}  ({len(hits)} hits, median of 5)")

        # Streaming: one update of a growing ~20 KB assistant message.
        conv = store.create_conversation()
        store.add_message(conv.id, Role.USER, factory.user_prompt())
        msg = store.add_message(conv.id, Role.ASSISTANT, "", status=Status.STREAMING)
        text = ""
        while len(text) < 20_000:
            text += factory.assistant_reply() + "\n\n"
        text = text[:20_000]
        times = []
        for i in range(200):
            content = text + f" delta {i} " + "tok " * (i % 7)
            t0 = time.perf_counter()
            store.update_message(msg.id, content=content)
            times.append(time.perf_counter() - t0)
        times.sort()
        print(
            f"update_message 20 KB (stream)  {ms(statistics.median(times))}  "
            f"(median of 200; p95 {times[int(len(times) * 0.95)] * 1000:.2f} ms)"
        )
        store.close()


if __name__ == "__main__":
    main()
