"""Scores a trained motion model by the benchmark protocol, beside zero velocity in the same run."""

import numpy as np

from apps.motion_prediction import benchmark
from apps.motion_prediction import motion_data
from apps.motion_prediction.forecaster import Forecaster
from tfgen.training.workdir import Workdir
from tfgen.utils import atomic


def evaluate(workdir, data=None, num_windows=(8, 256), output=None):
  """Runs the protocol (`benchmark`) on the test split; returns (results, markdown table).

  CMU-Mocap, BVH and synthetic sources are scored on each action's first test
  clip (`benchmark.windows`); H3.6M by the SRNN protocol on subject 5's takes
  1 and 2 (`benchmark.srnn_windows`).

  Args:
    workdir: a trained run of `apps.motion_prediction.train`.
    data: the source to score on; None = the run's own (its config's data.source).
    num_windows: window counts; each count is one protocol (8 is the published one).
    output: a JSON file for the results; None = WORKDIR/benchmark.json.
  Returns:
    results: {"ours": {f"{n} windows": score}, "zero_velocity": {...}, "nll_per_frame":
      {action: nats}, "cpu_minutes": ..., "model": the app's model name, "protocol": "cmu" or
      "srnn", ...}; table: markdown rows of both.
  """
  forecaster, config = Forecaster.from_workdir(workdir)
  source = data or config.data.source
  test = motion_data.load(source, "test",
                          int(config.data.num_observed) + int(config.data.num_target))
  if test.num_values != forecaster.normalizer.num_features:
    raise ValueError(f"{source} has frames of {test.num_values} values; {workdir} was trained on "
                     f"{forecaster.normalizer.num_features}")
  num_observed, num_target = int(config.data.num_observed), int(config.data.num_target)
  protocol = "srnn" if source.startswith("h36m:") else "cmu"
  results = {"workdir": workdir, "data": source, "model": config.app_model, "protocol": protocol,
             "horizons_ms": list(benchmark.HORIZON_MS), "ours": {}, "zero_velocity": {}}
  for count in num_windows:
    ours, baseline = {}, {}
    for action, clips in test.clips.items():
      ours.update(benchmark.score(forecaster.for_action_name(action), {action: clips}, count, num_observed, num_target,
                                  protocol=protocol))
      baseline.update(benchmark.score(benchmark.zero_velocity, {action: clips}, count,
                                      num_observed, num_target, protocol=protocol))
    results["ours"][f"{count} windows"] = ours
    results["zero_velocity"][f"{count} windows"] = baseline
  results["nll_per_frame"] = _nll(forecaster, test, num_observed, num_target)
  results["cpu_minutes"] = round(Workdir(workdir).read_minutes()[1], 2)
  rows = {}
  for count in num_windows:
    rows[f"{config.app_model}, {count} windows"] = results["ours"][f"{count} windows"]
    rows[f"zero velocity, {count} windows"] = results["zero_velocity"][f"{count} windows"]
  table = benchmark.format_table(rows)
  atomic.write_json(output or f"{workdir}/benchmark.json", results)
  return results, table


def _nll(forecaster, test, num_observed, num_target):
  """{action: nats a frame} on the 8 benchmark windows, teacher-forced, on normalised values."""
  result = {}
  for action, clips in test.clips.items():
    observed, target = benchmark.windows(clips[0], 8, num_observed, num_target)  # As for CMU.
    result[action] = forecaster.for_action_name(action).nll_per_frame(
        np.concatenate([observed, target], axis=1))
  return result
