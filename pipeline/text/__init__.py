"""Text tools every stage shares: Dutch sentence segmentation, the language check, word lists, escaping
for Markdown/HTML/YAML, and the HTML page shell."""
