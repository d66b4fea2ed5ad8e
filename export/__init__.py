"""SavedModel and TFLite export of tfgen models (export imports tfgen, never the reverse)."""
