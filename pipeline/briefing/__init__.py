"""The daily briefing: its data model, grouping articles into stories, and rendering it as Markdown,
HTML and JSON."""
