"""``python -m casebook.draft ARTICLE``: the drafter without the rest of the command line's imports."""

import argparse
import sys

from . import add_arguments, run_draft

parser = argparse.ArgumentParser(prog="python -m casebook.draft", description="从一篇文章起草案例记录（草稿）")
add_arguments(parser)
sys.exit(run_draft(parser.parse_args()))
