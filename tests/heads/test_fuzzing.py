"""Fuzzing the heads' argument checks: any arguments give a working head or a ValueError."""

import numpy as np
from hypothesis import given
from hypothesis import strategies as st

from tests.fuzzing import FUZZ
from tfgen import heads

ANY_NUMBER = st.one_of(st.integers(-5, 400), st.floats(allow_nan=True, allow_infinity=True),
                       st.none(), st.text(max_size=3), st.booleans())
ARGUMENTS = {
    "categorical": ("num_classes",),
    "bernoulli": (),
    "normal": ("min_scale",),
    "gaussian_mixture": ("num_components", "min_scale"),
    "diagonal_gaussian_mixture": ("num_components", "min_scale", "fixed_scale"),
    "discretized_logistic_mixture": ("num_components", "num_bins"),
}


@st.composite
def head_arguments(draw):
  name = draw(st.sampled_from(sorted(ARGUMENTS)))
  names = draw(st.lists(st.sampled_from(ARGUMENTS[name]), unique=True)) if ARGUMENTS[name] else []
  return name, draw(ANY_NUMBER), {argument: draw(ANY_NUMBER) for argument in names}


@FUZZ
@given(arguments=head_arguments(), event_shape=st.sampled_from([(3,), (2, 2, 1), (2, 2, 3)]))
def test_any_arguments_give_a_head_or_a_value_error(arguments, event_shape):
  name, num_values, kwargs = arguments
  try:
    head = heads.get(name, num_values=num_values, **kwargs)
  except ValueError as error:
    assert str(error)  # A message, naming the argument.
    return
  # What was accepted works: its parameters make a distribution of finite log-probabilities.
  params_shape = head.params_shape(event_shape)
  assert all(isinstance(size, int) and size >= 1 for size in params_shape)
  params = np.zeros((2, *params_shape), np.float32)
  log_prob = head.log_prob(np.zeros((2, *event_shape), np.float32), params).numpy()
  assert log_prob.shape == (2,) and np.all(np.isfinite(log_prob)), (name, kwargs, log_prob)
