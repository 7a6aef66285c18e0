from quizgen.commands.cli import main

main()
