"""The built-in prompt templates (YAML), shipped in the wheel as the resources of ``pipeline.prompts``.

The code that reads them is pipeline/summarize/templates.py.
"""
