# make demo: set up and run the main job on the bundled lecture bank (files in output/demo/)
# make test: set up and run the test suite (what CI runs)
VENV := .venv/bin
OUT := output/demo

.PHONY: setup demo test test-slow lint bench clean

setup:
	@bash scripts/setup.sh

demo: setup
	$(VENV)/quizgen solve lenet5
	$(VENV)/quizgen solve alexnet
	$(VENV)/quizgen exam lecture -n 4 --seed 2026 -o $(OUT) --force
	$(VENV)/quizgen moodle lecture -n 20 --seed 7 -o $(OUT)/lecture-moodle.xml --force
	$(VENV)/quizgen practice-html practice -n 20 -o $(OUT)/practice.html --force
	@echo "demo: see $(OUT)/"

test: setup
	$(VENV)/python -m ruff check quizgen tests scripts
	$(VENV)/python -m pytest -n 2 -q

test-slow: setup
	$(VENV)/python -m pytest -n 2 -q -m slow

bench: setup
	$(VENV)/python scripts/bench.py

clean:
	rm -rf output/demo .pytest_cache .ruff_cache
