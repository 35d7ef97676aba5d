"""The frame budget: what a scroll step builds fits in its time, by a cost learnt from what was
measured; a step after the scroll always makes progress."""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from desktop_app.core.rendering.layout.build_cost import CODE_WEIGHT, BuildCost, FrameBudget, weight


class Clock:
    def __init__(self) -> None:
        self.now = 100.0

    def __call__(self) -> float:
        return self.now


@given(st.lists(st.integers(1, 20_000), max_size=40), st.floats(0.001, 0.05), st.booleans())
def test_what_a_step_builds_fits_in_its_budget(sizes: list[int], seconds: float, at_least_one: bool) -> None:
    cost = BuildCost(rendered=4e-6, fixed=0.0)
    clock = Clock()
    budget = FrameBudget(seconds, cost, at_least_one=at_least_one, clock=clock)
    built = []
    for size in sizes:
        if budget.affords(size):
            built.append(size)
            clock.now += cost.predict(size)  # it cost what was predicted
    spent = sum(cost.predict(size) for size in built)
    first_alone = (
        at_least_one and built[:1] == sizes[:1] and cost.predict(sizes[0]) > seconds if sizes else False
    )
    assert spent <= seconds + 1e-9 or first_alone
    assert budget.left_out == (len(built) < len(sizes))
    if at_least_one and sizes:
        assert built  # progress


def test_the_cost_follows_what_is_measured() -> None:
    cost = BuildCost(rendered=1e-6, cached=1e-6, fixed=0.0)
    for _ in range(60):
        cost.learn(1000, 0.01)  # 10 us per character, rendered
    assert abs(cost.predict(1000) - 0.01 * BuildCost.MARGIN) < 0.001
    assert cost.predict(1000, rendered=False) == 0.001 * BuildCost.MARGIN  # the cached rate is its own
    cost.learn(0, 1.0)
    cost.learn(10, -1.0)  # nonsense is ignored
    assert abs(cost.predict(1000) - 0.01 * BuildCost.MARGIN) < 0.001


@given(st.text(max_size=300), st.text(alphabet="abc \n", max_size=300))
def test_code_weighs_more_than_prose(prose: str, code: str) -> None:
    prose = prose.replace("`", "")
    assert weight(prose) == len(prose)
    fenced = f"{prose}\n```python\n{code}\n```\n"
    assert weight(fenced) >= len(fenced) + (CODE_WEIGHT - 1) * len(code)
