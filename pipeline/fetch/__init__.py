"""News in from the web: feeds (RSS, Atom, OPML, a TOML list) and article pages -> article files in the
format nlbrief reads. http.py: the safe client; robots.py; feeds.py and sources.py: what to fetch;
state.py: what earlier runs saw; writer.py: the files; fetcher.py: the run, as `nlbrief fetch` and a
daily job call it."""
