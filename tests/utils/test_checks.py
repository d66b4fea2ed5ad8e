import pytest

from tfgen.utils import checks


def test_rate_accepts_zero_to_below_one():
  assert checks.rate("dropout", 0) == 0.0
  assert checks.rate("dropout", "0.5") == 0.5


@pytest.mark.parametrize("value", [-0.1, 1, 1.5])
def test_rate_outside_zero_to_one_names_the_argument(value):
  with pytest.raises(ValueError, match=rf"input_dropout must be in \[0, 1\), got {float(value)}"):
    checks.rate("input_dropout", value)
