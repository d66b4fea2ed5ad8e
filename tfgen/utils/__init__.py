"""Small helpers: atomic file writes, image grids, training-curve plots."""
