"""Core benchmark: counting a 20-layer network and `quizgen --help` start-up (prints numbers)."""

from quizgen.commands.bench import report

if __name__ == "__main__":
    print(report())
