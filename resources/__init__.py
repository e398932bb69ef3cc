"""Runtime files (fonts, icons, examples), shipped inside the package as canvass.resources."""
