"""Dutch to English: the translator (sentences, batches, order), the translation memory, the output
formats (txt, md, json), and the token-level backends under it."""
