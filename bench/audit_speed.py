"""How long `calc audit` takes as a whole process, against issue #15's targets.

Usage (from the top folder): python bench/audit_speed.py [--rounds 7]

- one article of about 1,000 words (seed 000, 1,057 words, and a 1,000-word article made
  of the held-out quotations, which carry many more figures): target under 1 s each;
- 100 articles in one run (the 24 held-out quotations and the five seeds, repeated to
  100 files in a folder): the figure is shown with the time per article, serial
  (`--jobs 1`) and in parallel (the default from 8 articles).

Each process is timed whole (start-up, imports, reading, checking, printing), in
interleaved rounds; medians are reported.
"""

from __future__ import annotations

import argparse
import shutil
import sys
import tempfile
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from timing import interleaved, median, process, spread

ROOT = Path(__file__).resolve().parent.parent
CALC = str(Path(sys.executable).with_name("calc"))
ARTICLES = sorted((ROOT / "tests" / "cases" / "audit" / "articles").glob("*.txt"))
SEEDS = sorted((ROOT / "seeds").glob("*.txt"))
FINDINGS = (0, 1)  # calc audit exits 1 when a check is not consistent


def thousand_words(folder: Path) -> Path:
    """An article of about 1,000 words from the held-out quotations, in order."""
    words: list[str] = []
    paragraphs = []
    for article in ARTICLES:
        for paragraph in article.read_text(encoding="utf-8").split("\n\n"):
            if len(words) >= 1000:
                break
            paragraphs.append(paragraph.strip())
            words += paragraph.split()
    path = folder / "thousand-words.txt"
    path.write_text("\n\n".join(paragraphs) + "\n", encoding="utf-8")
    return path


def hundred(folder: Path) -> Path:
    many = folder / "hundred"
    many.mkdir()
    sources = [*ARTICLES, *SEEDS]
    for n in range(100):
        shutil.copy(sources[n % len(sources)], many / f"{n:03d}-{sources[n % len(sources)].name}")
    return many


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rounds", type=int, default=7)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        made = thousand_words(folder)
        many = hundred(folder)
        print(f"made article: {len(made.read_text(encoding='utf-8').split())} words")
        tasks = {
            "seed 000 (1,057 words)": process([CALC, "audit", str(SEEDS[0])], FINDINGS),
            "1,000 words of quotations": process([CALC, "audit", str(made)], FINDINGS),
        }
        times, _ = interleaved(tasks, args.rounds)
        for name, values in times.items():
            verdict = "met" if median(values) < 1.0 else "MISSED"
            print(
                f"{name:28} median {median(values):.3f} s  ({spread(values)})  "
                f"target < 1 s: {verdict}"
            )
        batch = {
            "100 articles, --jobs 1": process([CALC, "audit", str(many), "--jobs", "1"], FINDINGS),
            "100 articles, parallel": process([CALC, "audit", str(many)], FINDINGS),
        }
        times, _ = interleaved(batch, max(1, args.rounds // 3))
        for name, values in times.items():
            print(
                f"{name:28} median {median(values):.2f} s  ({spread(values)})  "
                f"{median(values) / 100 * 1000:.0f} ms per article"
            )


if __name__ == "__main__":
    main()
