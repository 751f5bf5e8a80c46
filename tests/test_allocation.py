"""Scoring pauses the cyclic garbage collector, and always gives it back as it found it."""

import gc

import pytest

from detector.allocation import gc_paused


@pytest.fixture
def collector_on():
    was_on = gc.isenabled()
    gc.enable()
    yield
    gc.enable() if was_on else gc.disable()


def test_the_collector_is_paused_inside_and_on_again_after_a_call_or_an_error(collector_on):
    with gc_paused():
        assert not gc.isenabled()
    assert gc.isenabled()
    with pytest.raises(RuntimeError), gc_paused():
        raise RuntimeError("boom")
    assert gc.isenabled()


def test_a_collector_the_user_turned_off_stays_off(collector_on):
    gc.disable()
    with gc_paused():
        pass
    assert not gc.isenabled()


def test_nested_pauses_resume_only_at_the_outermost(collector_on):
    with gc_paused():
        with gc_paused():
            pass
        assert not gc.isenabled()
    assert gc.isenabled()


def test_classify_leaves_the_collector_on(tiny_detector, collector_on):
    tiny_detector.classify(["Home", "The council approved the budget on Tuesday after a long debate."])
    assert gc.isenabled()
