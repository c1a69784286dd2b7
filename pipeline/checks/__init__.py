"""Faithfulness checks: the facts of a Dutch source (numbers, amounts, dates, times, names) held against
its English."""
