"""Model text to safe HTML: markdown, the sanitizer, the render budget, themes, turn HTML."""
