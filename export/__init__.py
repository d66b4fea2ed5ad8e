"""Exports trained tfgen workdirs: SavedModels in TF Serving's layout, TFLite, phone demos."""
