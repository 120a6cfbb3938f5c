"""``python -m calc`` runs the command line, as the ``calc`` console script does."""

from calc.console import main

if __name__ == "__main__":
    main()
