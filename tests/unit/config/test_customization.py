"""customization.json and the session keywords it becomes: what the CLI is told to read."""

from __future__ import annotations

import json
import tempfile
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from desktop_app.core.config.customization import (
    CUSTOMIZATION_FILE,
    Customization,
    instructions_file,
    load_customization,
    save_customization,
    session_keywords,
)

names = st.lists(st.text(min_size=1).filter(str.strip), max_size=5, unique=True).map(tuple)
customizations = st.builds(
    Customization,
    user_instructions=st.text(),
    disabled_skills=names,
    additional_directories=names,
    agents=st.dictionaries(st.text(min_size=1), st.text(min_size=1), max_size=4),
)


@given(customizations)
def test_saved_and_loaded_it_is_the_same(customization: Customization) -> None:
    with tempfile.TemporaryDirectory() as folder:
        save_customization(Path(folder), customization)
        loaded, problem = load_customization(Path(folder))
    assert problem is None
    assert loaded == customization


@given(st.text())
def test_the_instructions_file_exists_only_with_text_and_holds_it(text: str) -> None:
    with tempfile.TemporaryDirectory() as folder:
        save_customization(Path(folder), Customization(user_instructions=text))
        path = instructions_file(Path(folder))
        if text.strip():
            written = path.read_bytes().decode("utf-8")
            assert written.startswith('---\napplyTo: "**"\n---\n')
            assert text.strip() in written
        else:
            assert not path.exists()


def test_no_file_is_the_defaults(tmp_path: Path) -> None:
    assert load_customization(tmp_path) == (Customization(), None)


@pytest.mark.parametrize(
    "body",
    ["[]", '{"user_instructions": 3}', '{"disabled_skills": "greet"}', '{"agents": {"c1": 2}}', "{nope"],
)
def test_a_broken_file_gives_the_defaults_is_kept_and_says_why(tmp_path: Path, body: str) -> None:
    (tmp_path / CUSTOMIZATION_FILE).write_text(body, encoding="utf-8")
    customization, problem = load_customization(tmp_path)
    assert customization == Customization()
    assert problem is not None and "customization.json" not in problem.split("kept it as")[0]
    assert (tmp_path / "customization.broken.json").read_text(encoding="utf-8") == body


def test_blank_and_repeated_names_are_dropped() -> None:
    data = {"disabled_skills": ["a", " ", "a", "b"], "additional_directories": [""], "agents": {"": "x"}}
    assert Customization.from_json(data) == Customization(disabled_skills=("a", "b"))


def test_an_agent_is_kept_per_conversation_and_the_default_forgets_it() -> None:
    c = Customization().with_agent("c1", "reviewer").with_agent("c2", "pirate")
    assert (c.agent_for("c1"), c.agent_for("c2"), c.agent_for(None), c.agent_for("c3")) == (
        "reviewer",
        "pirate",
        "",
        "",
    )
    assert c.with_agent("c1", "").agents == {"c2": "pirate"}


def test_session_keywords_name_the_folders_and_only_what_is_set(tmp_path: Path) -> None:
    home = tmp_path / "home"
    plain = session_keywords(Customization(), tmp_path / "config", "/work/p", home)
    assert plain == {
        "agent_directories": ["/work/p/.github/agents", str(home / "agents")],
        "skill_directories": ["/work/p/.github/skills", str(home / "skills")],
    }
    full = Customization("Be brief.", ("greet",), ("/data/extra",))
    keywords = session_keywords(full, tmp_path / "config", "/work/p", home)
    assert keywords["instruction_directories"] == [str(tmp_path / "config" / "instructions")]
    assert keywords["disabled_skills"] == ["greet"]
    assert keywords["additional_directories"] == ["/data/extra"]
    json.dumps(keywords)  # plain values: the SDK sends them as they are
