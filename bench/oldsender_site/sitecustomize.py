"""Loaded by Python at start-up when this folder is on ``PYTHONPATH``: the bot process runs the old sender.

Only ``bench/fairness.py`` puts this folder on a child's path, for its before-and-after comparison.
"""

import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))  # bench/, for oldsender

import oldsender

oldsender.install()
