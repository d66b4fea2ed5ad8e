"""The interface every tfgen model implements: sample, log_prob (or a named bound), what it serves."""

import inspect

import keras
import tensorflow as tf
import tensorflow_probability as tfp

from tfgen.heads import sampling
from tfgen.models import conditioning

# What `log_prob` returns, by `likelihood_kind`.
LIKELIHOOD_KINDS = {
    "exact": "log p(x), exact",
    "elbo": "the evidence lower bound E_q[log p(x | z)] - KL(q(z | x) || p(z)) <= log p(x)",
    "iwae_k": "the importance-weighted bound with the model's k samples (Burda et al.) <= log p(x)",
    "dequantized": "a one-sample dequantization bound on the discrete log P(x)",
}


class GenerativeModel(keras.Model):
  """A Keras model of a distribution p(x), or p(x | c) for a class label c.

    x ~ p(x | c)            sample(num_samples, condition=c, temperature=t, seed=s)
    log p(x | c) (or bound) log_prob(x, condition=c); `likelihood_kind` names which

  The argument checks of `sample` are written here once; a family implements
  `_sample(num_samples, condition, temperature, seed, **options)`, where
  `condition` is one-hot [num_samples, num_conditions] (None when unconditional),
  `temperature` a float > 0 and `seed` None or an int32 [2] tensor. Families
  add keywords of their own: `conditioned_on`, `mask`, `cached`, `top_k`,
  `top_p` for autoregressive models, `mean` for VAEs.

  Class attributes a family sets:
    likelihood_kind: what `log_prob` returns, a key of LIKELIHOOD_KINDS, or
      None for a model with no likelihood (an autoencoder).
    num_conditions: classes of the condition c; 0 = unconditional.
    checkpoint_monitor: the logged value `tfgen.train` keeps the best weights
      by (lowest wins); None keeps the latest (a GAN's losses do not rank its
      generators).
    num_epoch_samples: samples `tfgen.train` draws into WORKDIR/samples/ after
      every epoch, from the same noise each time (0 = none; for fast samplers).
  """

  likelihood_kind = "exact"
  num_conditions = 0
  checkpoint_monitor = "val_loss"
  num_epoch_samples = 0
  num_optimizers = 1  # A GAN has two (D's and G's).

  @property
  def input_dtype(self):
    """float32: a model's input is data (levels, labels), which its heads score in float32;
    under a mixed-precision policy its layers cast what they compute with themselves."""
    return "float32"

  def compile_for_training(self, make_optimizer, total_steps, **kwargs):
    """Compiles with optimizers from `make_optimizer(num_steps)`, which sizes a schedule.

    Args:
      make_optimizer: number of optimizer steps in the run -> a Keras optimizer.
      total_steps: training steps of the run.
      **kwargs: for `compile` (jit_compile, ...).
    """
    self.compile(optimizer=make_optimizer(total_steps), **kwargs)

  # ---- sampling ----------------------------------------------------------

  def sample(self, num_samples, *, condition=None, temperature=1.0, seed=None, **options):
    """Draws x ~ p(x), or x ~ p(x | condition).

    Args:
      num_samples: number of examples to draw (>= 1).
      condition: for a conditional model, an int label, or int labels
        [num_samples]; None for an unconditional one.
      temperature: > 0; scales the model's randomness.
      seed: None, an int or a [2] int tensor; the same seed gives the same samples.
      **options: the family's own keywords (see its `sample`).
    Returns:
      float32 [num_samples, *event_shape].
    """
    if "sample" not in self.served_functions():
      raise ValueError(f"{type(self).__name__} cannot sample: it has no distribution over "
                       "its inputs (a VAE has a prior to sample from)")
    known = set(inspect.signature(self._sample).parameters) - {"noise"}  # sample_from_noise's.
    unknown = sorted(set(options) - known)
    if unknown:
      raise TypeError(f"{type(self).__name__}.sample() got unexpected keyword arguments "
                      f"{unknown}")
    num_samples, temperature = self.check_sample_arguments(num_samples, temperature)
    if condition is not None:
      condition = conditioning.per_sample(condition, num_samples)
    return self._sample(num_samples, self.encode_condition(condition), temperature,
                        sampling.as_seed(seed), **options)

  def check_sample_arguments(self, num_samples, temperature, count_name="num_samples"):
    """The checks of every sampler: (int count, float temperature).

    Args:
      num_samples: how many to draw, an integer >= 1 (named `count_name` in errors).
      temperature: > 0.
    """
    if not _is_number(num_samples) or int(num_samples) != num_samples or num_samples < 1:
      raise ValueError(f"{count_name} must be an integer >= 1, got {num_samples!r}")
    if not _is_number(temperature) or not float(temperature) > 0:
      raise ValueError(f"temperature must be > 0, got {temperature!r}")
    return int(num_samples), float(temperature)

  def _sample(self, num_samples, condition, temperature, seed, **options):
    raise NotImplementedError

  def noise_shapes(self):
    """{name: shape without the batch axis} of the noise `sample_from_noise` takes; {} if none.

    "uniform" is uniform in [0, 1] (the head's draws, `Head.sample_from_noise`);
    "z" is standard normal (a latent variable).
    """
    return {}

  def sample_from_noise(self, noise, *, condition=None, temperature=1.0):
    """The samples that `noise` draws: `sample` with its randomness given.

    The same noise gives the same samples here, in a SavedModel and in TFLite
    (the `sample_from_noise` signature), so a client can replay a draw exactly.

    Args:
      noise: {name: [num_samples, *shape]} for every entry of `noise_shapes()`
        (a tensor when there is one entry).
      condition: for a conditional model, an int label or int labels [num_samples].
      temperature: > 0.
    Returns:
      float32 [num_samples, *event_shape].
    """
    shapes = self.noise_shapes()
    if not shapes:
      raise ValueError(f"{type(self).__name__} draws from no noise it can be given")
    if not isinstance(noise, dict):
      if len(shapes) != 1:
        raise ValueError(f"{type(self).__name__} takes noise as a dict with keys {sorted(shapes)}")
      noise = {next(iter(shapes)): noise}
    if sorted(noise) != sorted(shapes):
      raise ValueError(f"noise must have the keys {sorted(shapes)}, got {sorted(noise)}")
    noise = {name: tf.convert_to_tensor(value, tf.float32) for name, value in noise.items()}
    counts = set()
    for name, value in noise.items():
      if tuple(value.shape[1:]) != tuple(shapes[name]) or value.shape.rank < 1:
        raise ValueError(f"noise[{name!r}] must have shape [num_samples, "
                         f"{', '.join(map(str, shapes[name]))}], got {tuple(value.shape)}")
      counts.add(int(value.shape[0]))
    if len(counts) != 1:
      raise ValueError(f"the noise entries give different sample counts: {sorted(counts)}")
    num_samples, temperature = self.check_sample_arguments(counts.pop(), temperature)
    if condition is not None:
      condition = conditioning.per_sample(condition, num_samples)
    return self._sample(num_samples, self.encode_condition(condition), temperature, None,
                        noise=noise)

  # ---- likelihood --------------------------------------------------------

  def log_prob(self, x, condition=None):
    """log p(x) in nats, or the bound named by `likelihood_kind`: [batch]."""
    raise ValueError(f"{type(self).__name__} has no likelihood (likelihood_kind is None)")

  def evaluation_log_prob(self, x, condition=None, seed=None):
    """What `tfgen.evaluate` averages over a split: log p(x) (or the bound) for a batch, [batch].

    `log_prob` by default; a family refines it (a MADE scores its mask
    ensemble, a flow averages its dequantization bound over several draws).
    `seed` (an int32 [2] tensor) seeds any noise.
    """
    del seed
    return self.log_prob(x, condition)

  def evaluation_fields(self):
    """Fields the family adds to `tfgen.evaluate`'s result (e.g. {"num_masks": 8})."""
    return {}

  # ---- what an exporter serves -------------------------------------------

  def served_functions(self):
    """Names of the model functions an exporter serves, in this order.

    "sample" and "log_prob" where the model has them; families add theirs
    ("reconstruct", "encode", "decode").
    """
    return ("sample", "log_prob") if self.likelihood_kind else ()

  def serving_signatures(self, seeded=True, keys=None):
    """What an exporter saves: {name: concrete function with named TensorSpecs}.

    `keys` (names) traces only those, where given.

    One signature per entry of `served_functions()`, each taking and returning
    named tensors (batch axes None):

      log_prob(x (, condition) (, seed))     -> {"log_prob"}
      sample(num_samples | condition, seed)  -> {"samples"}
      encode(x (, condition))                -> {"mean", "stddev"} of q(z | x), or {"code"}
      decode(z (, condition))                -> {"params", "mean"}
      reconstruct(x (, condition))           -> {"reconstruction"}
      elbo(x (, condition), seed)            -> {"elbo", "reconstruction", "kl"}
      generate(z (, condition))              -> {"images"}
      translate_a2b(images), translate_b2a   -> {"images"}

    `condition` is int labels [batch] for a conditional model; `seed` an int32
    [2] stateless seed, so a client can replay a draw. Families add their own
    (a sequence model's `step`, a forecaster's `forecast`).

    Images (NHWC events of at most 256 integer levels, `uint8_levels`) go in
    and out as uint8 on the data's scale: `x` and `images` inputs, and the
    `samples` and `images` outputs (rounded and clipped inside). Means and
    scores stay float32.

    A model that samples also serves

      sample_from_noise(<noise_shapes()> (, condition)) -> {"samples"}

    With seeded=False (for TFLite, where the stateless kernels are not
    builtins) no signature takes a seed: `sample`, `elbo` and a sampled
    `log_prob` draw with the interpreter's own random ops, and
    `sample_from_noise` is the way to replay a draw.
    """
    signatures = {}
    names = self.served_functions()
    if "sample" in names and self.noise_shapes():
      names = tuple(names) + ("sample_from_noise",)
    for name in names:
      if keys is not None and name not in keys:
        continue
      built = self._serving_function(name, seeded)
      if built is not None:
        function, specs = built
        signatures[name] = tf.function(function).get_concrete_function(**specs)
    return signatures

  @property
  def uint8_levels(self):
    """K when the model's events are NHWC images of K <= 256 integer levels (served as uint8)."""
    if len(self.event_shape) != 3:
      return None
    head = getattr(self, "head", None)
    levels = head.num_values if head is not None else getattr(self, "num_values", None)
    return int(levels) if levels and int(levels) <= 256 else None

  def _serving_function(self, name, seeded=True):
    """(function of named tensors -> {name: tensor}, {argument: TensorSpec}), or None."""
    built = self._float_serving_function(name, seeded)
    if built is None or not self.uint8_levels:
      return built
    function, specs = built
    specs = {key: (tf.TensorSpec(spec.shape, tf.uint8, name=key) if key in ("x", "images")
                   else spec) for key, spec in specs.items()}
    top = float(self.uint8_levels - 1)

    def uint8_function(**inputs):
      inputs = {key: (tf.cast(value, tf.float32) if key in ("x", "images") else value)
                for key, value in inputs.items()}
      outputs = function(**inputs)
      return {key: (tf.cast(tf.clip_by_value(tf.round(value), 0.0, top), tf.uint8)
                    if key in ("samples", "images") else value)
              for key, value in outputs.items()}

    return uint8_function, specs

  def _float_serving_function(self, name, seeded=True):
    """`_serving_function` with float32 images."""
    specs = {}
    if name == "sample_from_noise":
      specs.update({key: tf.TensorSpec((None,) + tuple(shape), tf.float32, name=key)
                    for key, shape in self.noise_shapes().items()})
    if name in ("log_prob", "encode", "reconstruct", "elbo"):
      specs["x"] = tf.TensorSpec((None,) + tuple(self.event_shape), tf.float32, name="x")
    if name in ("decode", "generate"):
      size = getattr(self, "latent_size", None) or getattr(self, "code_size")
      specs["z"] = tf.TensorSpec([None, int(size)], tf.float32, name="z")
    if name.startswith("translate_"):
      specs["images"] = tf.TensorSpec([None, None, None, self.event_shape[-1]], tf.float32,
                                      name="images")
    if self.num_conditions and not name.startswith("translate_"):
      specs["condition"] = tf.TensorSpec([None], tf.int32, name="condition")
    elif name == "sample":
      specs["num_samples"] = tf.TensorSpec([], tf.int32, name="num_samples")
    takes_seed = "seed" in inspect.signature(self.log_prob).parameters
    if seeded and (name in ("sample", "elbo") or (name == "log_prob" and takes_seed)):
      specs["seed"] = tf.TensorSpec([2], tf.int32, name="seed")

    def condition_of(inputs):
      return self.encode_condition(inputs["condition"]) if "condition" in inputs else None

    def function(**inputs):
      condition = condition_of(inputs)
      if name == "log_prob":
        extra = {"seed": inputs.get("seed")} if takes_seed else {}
        return {"log_prob": self.log_prob(inputs["x"], condition, **extra)}
      if name == "sample":
        count = (tf.shape(inputs["condition"])[0] if "condition" in inputs
                 else inputs["num_samples"])
        return {"samples": self._serve_sample(count, condition, inputs.get("seed"))}
      if name == "sample_from_noise":
        noise = {key: inputs[key] for key in self.noise_shapes()}
        count = tf.shape(next(iter(noise.values())))[0]
        return {"samples": self._serve_sample(count, condition, None, noise)}
      if name == "encode":
        encoded = (self.encode(inputs["x"], condition) if self.num_conditions
                   else self.encode(inputs["x"]))
        if isinstance(encoded, tfp.distributions.Distribution):
          return {"mean": encoded.mean(), "stddev": encoded.stddev()}
        return {"code": encoded}
      if name == "decode":
        params = self.decode(inputs["z"], condition)
        return {"params": params, "mean": self.head.mean(params)}
      if name == "reconstruct":
        return {"reconstruction": self.reconstruct(inputs["x"], condition)}
      if name == "elbo":
        elbo, reconstruction, kl = self.elbo(inputs["x"], condition, seed=inputs.get("seed"))
        return {"elbo": elbo, "reconstruction": reconstruction, "kl": kl}
      if name == "generate":
        return {"images": self.generate(inputs["z"], condition)}
      return {"images": self.translate(inputs["images"], name.split("_", 1)[1])}

    known = ("log_prob", "sample", "sample_from_noise", "encode", "decode", "reconstruct", "elbo", "generate",
             "translate_a2b", "translate_b2a")
    return (function, specs) if name in known else None

  def _serve_sample(self, num_samples, condition, seed, noise=None):
    """`sample` (or `sample_from_noise`) for a tensor count inside a serving graph:
    [num_samples, *event_shape]."""
    if noise is not None:
      return self._sample(num_samples, condition, 1.0, None, noise=noise)
    return self._sample(num_samples, condition, 1.0, seed)

  # ---- conditions --------------------------------------------------------

  def split_inputs(self, inputs):
    """Model inputs -> (x, one-hot condition [batch, num_conditions] or None).

    An unconditional model takes x; a conditional one takes (x, labels) or
    {"x": x, "condition": labels} with int labels [batch] in [0, num_conditions).
    """
    x, labels = conditioning.split_inputs(inputs, self.num_conditions, type(self).__name__)
    return x, None if labels is None else self.encode_condition(labels)

  def encode_condition(self, labels):
    """int labels [batch] (or an already one-hot [batch, num_conditions]) -> one-hot, or None.

    None is the condition of an unconditional model; a conditional model needs
    labels, an unconditional one refuses them, and out-of-range labels raise.
    """
    if labels is None:
      if self.num_conditions:
        raise ValueError(f"this {type(self).__name__} is conditional: pass condition= a label, "
                         f"or one per example (it is conditioned on one of "
                         f"{self.num_conditions} classes)")
      return None
    if not self.num_conditions:
      raise ValueError(f"this {type(self).__name__} is unconditional; condition must be None")
    return conditioning.one_hot(labels, self.num_conditions, type(self).__name__)


def _is_number(value):
  """A real scalar (Python, NumPy or a scalar tensor), not a bool, a string or None."""
  if value is None or isinstance(value, (bool, str, bytes)):
    return False
  try:
    float(value)
  except (TypeError, ValueError):
    return False
  return True
