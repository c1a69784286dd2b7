"""Files in, Documents out: finding the inputs, reading their bytes under a size limit, decoding, parsing
metadata, title and paragraphs, and dating each article."""
