"""``python -m calc`` runs the command line."""

from calc.cli import main

if __name__ == "__main__":
    main()
