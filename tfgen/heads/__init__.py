"""Output heads: a network's parameter tensor -> a `tfd` distribution.

Every head has `params_size(event_shape)`, `params_shape(event_shape)`,
`distribution(params)`, `log_prob(x, params)` and a TFLite-convertible
`sample(params, seed)`.
"""

from tfgen.heads.bernoulli import Bernoulli
from tfgen.heads.categorical import Categorical
from tfgen.heads.diagonal_gaussian_mixture import DiagonalGaussianMixture
from tfgen.heads.discretized_logistic_mixture import DiscretizedLogisticMixture
from tfgen.heads.gaussian_mixture import GaussianMixture
from tfgen.heads.head import Head
from tfgen.heads.normal import Normal

_HEADS = {
    "bernoulli": Bernoulli,
    "categorical": Categorical,
    "discretized_logistic_mixture": DiscretizedLogisticMixture,
    "normal": Normal,
    "gaussian_mixture": GaussianMixture,
    "diagonal_gaussian_mixture": DiagonalGaussianMixture,
}


def as_head(head):
  """A `Head`, or its serialized config (as in a saved model's config), as a `Head`.

  Raises a ValueError for anything else.
  """
  if isinstance(head, dict):
    import keras  # pylint: disable=import-outside-toplevel
    head = keras.saving.deserialize_keras_object(head)
  if not isinstance(head, Head):
    raise ValueError(f"head must be a tfgen.heads.Head, got {head!r}")
  return head


def get(name, num_values=None, **kwargs):
  """Builds a head by name; `num_values` (from the data) fills K or the bin count.

  Example: get("categorical", num_values=17) == Categorical(num_classes=17).
  """
  if name not in _HEADS:
    raise ValueError(f"unknown head {name!r}; known heads: {', '.join(sorted(_HEADS))}")
  kwargs = {key: value for key, value in kwargs.items() if value is not None}
  if name == "categorical":
    kwargs.setdefault("num_classes", num_values)
    if kwargs["num_classes"] is None:
      raise ValueError("the categorical head needs num_classes (or data with a known number of values)")
  elif name == "discretized_logistic_mixture" and num_values is not None:
    kwargs.setdefault("num_bins", num_values)
  elif name == "bernoulli" and num_values not in (None, 2):
    raise ValueError(f"the bernoulli head needs binary data, but the data has {num_values} values")
  return _HEADS[name](**kwargs)


__all__ = ["Head", "Bernoulli", "Categorical", "DiscretizedLogisticMixture", "Normal",
           "GaussianMixture", "DiagonalGaussianMixture", "get"]
