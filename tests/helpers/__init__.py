"""What the tests share: fakes, the tiny-model builder, the subprocess wrapper, the HTML parser."""
