"""A trained run as a forecaster of full expmap frames: normalise, roll the model forward, undo."""

import numpy as np

from apps.motion_prediction import benchmark
from apps.motion_prediction.normalizer import Normalizer
from tfgen.training.workdir import Workdir


class Forecaster:
  """(observed frames [W, T, F], num_frames) -> predicted frames [W, num_frames, F].

  Args:
    model: a trained `tfgen.models.ResidualGRU` over normalised modelled values.
    normalizer: the run's `Normalizer`.
    action_id: for a multi-action model, the label of the action to forecast.
    actions: a multi-action model's action names in label order (its data's class names).
    name: the run, for messages.
  """

  def __init__(self, model, normalizer, action_id=None, actions=(), name="this run"):
    self.model = model
    self.normalizer = normalizer
    self.action_id = action_id
    self.actions = list(actions)
    self.name = name

  @classmethod
  def from_workdir(cls, workdir):
    """(Forecaster, config) of a trained run."""
    run_dir = Workdir(workdir)
    model, config, info = run_dir.load_model()
    return cls(model, Normalizer.load(run_dir.path), actions=info.class_names or (),
               name=str(workdir)), config

  def for_action(self, action_id):
    return Forecaster(self.model, self.normalizer, action_id, self.actions, self.name)

  def for_action_name(self, action):
    """The forecaster of a named action: itself for a model without action labels."""
    if not self.model.num_conditions:
      return self
    if action is None:
      raise ValueError(f"{self.name} forecasts one of the actions {self.actions}: pass --action")
    if action not in self.actions:
      raise ValueError(f"{self.name} was trained on the actions {self.actions}, not {action!r}")
    return self.for_action(self.actions.index(action))

  def _condition(self, num_windows):
    if not self.model.num_conditions:
      return None
    if self.action_id is None:
      raise ValueError("this model was trained with action labels: name the action to forecast")
    return np.full(num_windows, self.action_id)

  def __call__(self, observed, num_frames, num_samples=1, mean=True, temperature=1.0, seed=None):
    """Frames after `observed`; with mean=False, `num_samples` drawn futures per window
    ([W * num_samples, num_frames, F], a window's futures together)."""
    observed = np.asarray(observed, np.float32)
    if observed.ndim != 3:
      raise ValueError(f"observed must be [windows, time, features], got shape "
                       f"{list(observed.shape)}")
    values = self.model.forecast(self.normalizer.normalize(observed), num_frames,
                                 condition=self._condition(len(observed)), num_samples=num_samples,
                                 mean=mean, temperature=temperature, seed=seed).numpy()
    reference = np.repeat(observed[:, -1], num_samples, axis=0)
    return self.normalizer.denormalize(values, reference)

  def nll_per_frame(self, windows):
    """-log p(window) / frames on the normalised modelled values, teacher-forced (nats a frame)."""
    values = self.normalizer.normalize(windows)
    condition = self._condition(len(windows))
    return float(-np.mean(self.model.log_prob(values, condition).numpy()) / values.shape[1])


def validation_errors(forecast, windows, num_observed):
  """Mean Euler error at the benchmark's horizons (those inside the window) on fixed windows."""
  observed, target = windows[:, :num_observed], windows[:, num_observed:]
  errors = benchmark.euler_error(forecast(observed, target.shape[1]), target)
  return {ms: float(errors[:, frame].mean())
          for frame, ms in zip(benchmark.HORIZON_FRAMES, benchmark.HORIZON_MS)
          if frame < target.shape[1]}
