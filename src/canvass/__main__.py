"""`python -m canvass` runs the same entry point as the `canvass` command."""

from canvass.app import main

if __name__ == "__main__":
    main()
