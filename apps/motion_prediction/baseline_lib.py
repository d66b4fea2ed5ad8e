"""The zero-velocity baseline on a benchmark's test split, under the 8- and 256-window protocols."""

from apps.motion_prediction import benchmark
from apps.motion_prediction import expmap_files
from tfgen.utils import atomic


def run(data, num_windows=(8, 256), output=None):
  """Scores zero velocity on `data` (cmu:ROOT); returns (results, markdown table).

  results: {f"{n} windows": benchmark.score(...)} for each n in num_windows;
  written as JSON to `output` when given.
  """
  clips = expmap_files.load_test_split(data)
  results = {f"{count} windows": benchmark.score(benchmark.zero_velocity, clips, num_windows=count)
             for count in num_windows}
  table = benchmark.format_table({f"zero velocity, {name}": result
                                  for name, result in results.items()})
  if output:
    atomic.write_json(output, {"data": data, "horizons_ms": list(benchmark.HORIZON_MS),
                               "zero_velocity": results})
  return results, table
