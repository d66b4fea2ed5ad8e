"""`make demo`: the main job on embedded data, with a report."""
