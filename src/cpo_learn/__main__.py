"""``python -m cpo_learn`` runs the command line."""

from cpo_learn.cli.launcher import main

if __name__ == "__main__":
    main()
