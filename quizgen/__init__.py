"""quizgen: randomized, verified exercises and exams on convolutional neural networks."""

__version__ = "0.1.0"
