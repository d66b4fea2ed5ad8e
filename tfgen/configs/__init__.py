"""Config files for `python -m tfgen.train --config=tfgen/configs/NAME.py`."""
