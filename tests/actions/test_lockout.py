from actions import lockout

CODE = "000.00.17.G17-241219-0001"


def test_fifth_failure_within_fifteen_minutes_locks_the_code() -> None:
    state = None
    for i in range(4):
        state = lockout.record_failure(state, CODE, now=1000.0 + i * 60)
        assert not lockout.is_locked(state, CODE)
    assert lockout.remaining_tries(state, CODE, now=1300.0) == 1
    state = lockout.record_failure(state, CODE, now=1300.0)
    assert lockout.is_locked(state, CODE)
    assert lockout.remaining_tries(state, CODE, now=1300.0) == 0


def test_old_failures_fall_out_of_the_window() -> None:
    state = None
    for i in range(4):
        state = lockout.record_failure(state, CODE, now=float(i))
    state = lockout.record_failure(state, CODE, now=16 * 60.0)
    assert not lockout.is_locked(state, CODE)
    assert lockout.remaining_tries(state, CODE, now=16 * 60.0) == 4


def test_a_lock_lasts_for_the_conversation_and_is_per_code() -> None:
    state = None
    for i in range(5):
        state = lockout.record_failure(state, CODE, now=float(i))
    assert lockout.is_locked(state, CODE)
    assert lockout.is_locked(state, CODE)  # still locked long after: no time argument
    assert not lockout.is_locked(state, "000.00.01.G06-251219-0007")


def test_garbage_slot_values_are_treated_as_empty() -> None:
    for junk in ("x", 3, [], {"failures": "no", "locked": None}):
        assert not lockout.is_locked(junk, CODE)
        assert lockout.remaining_tries(junk, CODE, now=0.0) == 5
