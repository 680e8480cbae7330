"""The suite does not depend on how fast the machine is."""

from hypothesis import settings


def test_hypothesis_examples_have_no_deadline():
    assert settings.default.deadline is None


def test_the_ci_profile_runs_a_fixed_set_of_examples():
    ci = settings.get_profile("ci")

    assert ci.derandomize
    assert ci.max_examples == 100
    assert ci.database is None
