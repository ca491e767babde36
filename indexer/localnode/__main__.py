"""``python -m indexer.localnode``: the same as ``gdc-es``."""
import sys

from indexer.localnode.cli import main

sys.exit(main())
