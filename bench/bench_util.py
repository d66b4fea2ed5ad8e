"""Helpers shared by the bench scripts: timing and the JSON results file."""

import os
import time

from tfgen.utils import atomic

NOTE = "ratios from one run on this machine; absolute seconds are machine-specific"


def best_time(function, repeats=3):
  """Shortest wall time of `repeats` calls, after one warm-up call (tracing)."""
  function()
  times = []
  for _ in range(repeats):
    start = time.perf_counter()
    function()
    times.append(time.perf_counter() - start)
  return min(times)


def default_output(script_file, name):
  return os.path.join(os.path.dirname(os.path.abspath(script_file)), "results", f"{name}.json")


def report(results, output):
  """Prints `results` line by line and writes them as JSON to `output`."""
  results = dict(results, note=NOTE)
  atomic.write_json(output, results)  # Makes the folder too.
  for key, value in results.items():
    print(f"{key}: {value}")
  print(f"wrote {output}")
