"""Tests for packing items under a budget (pipeline.text.packing)."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from pipeline.text.packing import even_groups, pack


def test_groups_are_filled_greedily_in_order():
    assert pack(["a", "b", "c", "d", "e"], [3, 4, 2, 5, 1], budget=7) == [["a", "b"], ["c", "d"], ["e"]]


def test_a_group_may_use_the_whole_budget():
    assert pack([1, 2, 3], [5, 5, 10], budget=10) == [[1, 2], [3]]


def test_an_item_over_the_budget_gets_a_group_of_its_own():
    assert pack(["small", "huge", "small"], [1, 50, 1], budget=10) == [["small"], ["huge"], ["small"]]
    assert pack(["huge"], [50], budget=10) == [["huge"]]


def test_no_items_give_no_groups():
    assert pack([], [], budget=10) == []


def test_zero_sized_items_join_the_group_they_follow():
    assert pack("abc", [10, 0, 0], budget=10) == [["a", "b", "c"]]


def test_items_and_sizes_must_match():
    with pytest.raises(ValueError):
        pack(["a", "b"], [1], budget=10)


@given(st.lists(st.integers(min_value=0, max_value=20)), st.integers(min_value=0, max_value=30))
def test_property_order_kept_and_every_group_fits_or_is_one_item(sizes: list[int], budget: int) -> None:
    items = list(range(len(sizes)))
    groups = pack(items, sizes, budget)
    assert [i for group in groups for i in group] == items
    for group in groups:
        assert group
        assert sum(sizes[i] for i in group) <= budget or len(group) == 1
    # greedy: the first item of each group would not have fitted into the group before it
    for before, group in zip(groups, groups[1:], strict=False):
        assert sum(sizes[i] for i in before) + sizes[group[0]] > budget


@pytest.mark.parametrize(
    ("count", "most", "sizes"),
    [(20, 8, [7, 7, 6]), (16, 8, [8, 8]), (9, 8, [5, 4]), (3, 8, [3]), (5, 1, [1] * 5), (0, 8, [])],
)
def test_even_groups_are_the_fewest_and_as_even_as_can_be(count: int, most: int, sizes: list[int]) -> None:
    groups = even_groups(list(range(count)), most)
    assert [len(g) for g in groups] == sizes
    assert [i for g in groups for i in g] == list(range(count))  # in order, each once


@given(st.lists(st.integers(), max_size=60), st.integers(min_value=1, max_value=12))
def test_even_groups_keep_every_item_in_order_under_the_limit(items: list[int], most: int) -> None:
    groups = even_groups(items, most)
    assert [i for g in groups for i in g] == items
    assert all(1 <= len(g) <= most for g in groups)
    assert len(groups) == -(-len(items) // most)
    assert not groups or max(map(len, groups)) - min(map(len, groups)) <= 1
