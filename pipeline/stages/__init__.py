"""The commands' stages as the batch run sees them: translate, process/summarize, brief; the article
records they write and read back, and the per-article page."""
