"""The built-in content plugins. The core never imports them: they register by entry point."""
