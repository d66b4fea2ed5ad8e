"""The zero-velocity baseline on a benchmark's test split, under the 8- and 256-window protocols."""

from apps.motion_prediction import benchmark
from apps.motion_prediction import motion_data
from tfgen.utils import atomic


def run(data, num_windows=(8, 256), output=None):
  """Scores zero velocity on `data`'s test split; returns (results, markdown table).

  `data` is any `motion_data` source: cmu:ROOT (each action's test file),
  h36m:ROOT (the SRNN protocol on subject 5), bvh:PATH or synthetic.
  results: {f"{n} windows": benchmark.score(...)} for each n in num_windows;
  written as JSON to `output` when given.
  """
  clips = motion_data.load(data, "test").clips
  protocol = "srnn" if data.startswith("h36m:") else "cmu"
  results = {f"{count} windows": benchmark.score(benchmark.zero_velocity, clips, num_windows=count,
                                                 protocol=protocol)
             for count in num_windows}
  table = benchmark.format_table({f"zero velocity, {name}": result
                                  for name, result in results.items()})
  if output:
    atomic.write_json(output, {"data": data, "protocol": protocol,
                               "horizons_ms": list(benchmark.HORIZON_MS), "zero_velocity": results})
  return results, table
