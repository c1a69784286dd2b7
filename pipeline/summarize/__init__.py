"""English articles to bullets and a headline: the summarizer (one pass or map-reduce), the text
generators of both model families, the cleanup of what small models write, and the prompt templates."""
