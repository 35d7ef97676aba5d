"""Agent files (``<name>.agent.md``): named as the CLI names them, whatever the frontmatter holds."""

from __future__ import annotations

import tempfile
from pathlib import Path

from hypothesis import given
from hypothesis import strategies as st

from desktop_app.core.config.agent_files import agent_from_file, agents_in, frontmatter
from desktop_app.core.vocabulary.customization import AgentInfo

keys = st.from_regex(r"[a-z_]{1,12}", fullmatch=True)
values = st.text(st.characters(blacklist_categories=("Cc", "Cs", "Zl", "Zp")), max_size=30).map(str.strip)


@given(st.dictionaries(keys, values.filter(lambda v: not (len(v) >= 2 and v[0] == v[-1] in "'\""))))
def test_frontmatter_gives_back_what_was_written(fields: dict[str, str]) -> None:
    text = "---\n" + "".join(f"{k}: {v}\n" for k, v in fields.items()) + "---\nThe prompt.\n"
    assert frontmatter(text) == fields


@given(st.text())
def test_any_text_parses_without_error(text: str) -> None:
    assert isinstance(frontmatter(text), dict)
    agent = agent_from_file("x.agent.md", text, "project")
    assert agent is not None and agent.name


def test_unclosed_or_missing_frontmatter_is_none() -> None:
    assert frontmatter("---\nname: a\nno end") == {}
    assert frontmatter("name: a\n---\n") == {}
    assert frontmatter("\ufeff---\nname: 'quoted'\n  nested: x\n---\n") == {"name": "quoted"}


def test_the_name_is_the_frontmatters_else_the_files() -> None:
    # As CLI 1.0.102 lists them: "name: Critic" in code-review.agent.md is "Critic".
    assert agent_from_file("code-review.agent.md", "---\nname: Critic\ndescription: d\n---\n", "project") == (
        AgentInfo("Critic", "Critic", "d", "project")
    )
    helper = AgentInfo("helper", "helper", "", "user")
    assert agent_from_file("helper.agent.md", "You help.", "user") == helper
    assert agent_from_file("notes.md", "", "user") is None
    assert agent_from_file(".agent.md", "", "user") is None


@given(st.lists(st.from_regex(r"[A-Za-z0-9_-]{1,20}", fullmatch=True), max_size=6, unique=True))
def test_every_agent_file_in_a_folder_is_found_once(stems: list[str]) -> None:
    with tempfile.TemporaryDirectory() as root:
        project, user = Path(root) / "p", Path(root) / "u"
        project.mkdir()
        user.mkdir()
        for stem in stems:
            (project / f"{stem}.agent.md").write_text("prompt", encoding="utf-8")
            (user / f"{stem}.agent.md").write_text("prompt", encoding="utf-8")
        (user / "README.md").write_text("not an agent")
        (user / "only-user.agent.md").write_text("prompt")
        found = agents_in([(project, "project"), (user, "user"), (Path(root) / "missing", "user")])
    by_name = {a.name: a.source for a in found}
    assert len(found) == len(by_name)
    assert all(by_name[s] == "project" for s in stems if s != "only-user")
    assert by_name["only-user"] == ("project" if "only-user" in stems else "user")
