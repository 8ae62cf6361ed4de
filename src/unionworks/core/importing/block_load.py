"""What the bulk first loads share (the member roll's, the proposal list's): the file cut
into blocks — a quote-free CSV as bytes cut at line ends, which the workers parse
themselves, anything else as rows read here — the blocks checked in a forked pool of
processes (in order), and rows read again by number (a duplicate's cells are not kept).
A load says how each block is checked (``check_block``) and how big blocks are
(``sizes``); COPY's text format helpers are here too."""

from __future__ import annotations

import itertools

from unionworks.core.importing import csv_blocks, detect_encoding, iter_file_rows, quote_free_csv
from unionworks.core.parallel import ordered_map, processes_available

# COPY's text format: a backslash, tab or line end inside a value is escaped.
COPY_ESCAPES = str.maketrans({"\\": "\\\\", "\t": "\\t", "\n": "\\n", "\r": "\\r"})
NULL = "\\N"
BYTEA = "\\\\x"  # a bytea in hex, its backslash escaped for COPY

_FORKED = None  # the load a pool of processes works for


def _check_block_in_worker(block):
    return _FORKED.check_block(block)


class BlockLoad:
    def __init__(self, job):
        self.job = job
        self.encoding = ""  # of a CSV read in blocks

    def sizes(self) -> tuple[int, int, int]:
        """(bytes of a CSV block, rows of a block read here, rows below which one process
        checks every block)."""
        raise NotImplementedError

    def check_block(self, block) -> tuple:
        raise NotImplementedError

    def read_in_blocks(self) -> None:
        """Before the pool forks: a quote-free CSV is cut as bytes (its encoding known to
        the workers); anything else is read here as rows."""
        path = self.job.path
        if path.suffix.lower() == ".csv" and quote_free_csv(path):
            self.encoding = detect_encoding(path)

    def blocks(self):
        block_bytes, block_rows, _min_rows = self.sizes()
        if self.encoding:
            for first_line, data in csv_blocks(self.job.path, block_bytes=block_bytes):
                yield ("csv", first_line, data)
            return
        rows = iter(self.job.table.rows)
        while batch := list(itertools.islice(rows, block_rows)):
            yield ("rows", [(source.number, source.cells) for source in batch])

    def checked_blocks(self):
        global _FORKED
        workers = processes_available()
        if self.job.table.estimated_rows < self.sizes()[2] or workers < 2:
            yield from map(self.check_block, self.blocks())
            return
        # Forked before the writer thread has work; the workers never touch the database.
        _FORKED = self
        try:
            yield from ordered_map(_check_block_in_worker, self.blocks(), processes=workers)
        finally:
            _FORKED = None

    def rows_of_file(self, wanted: set[int]):
        """The cells of a few rows, read again (a duplicate's cells are not kept meanwhile)."""
        left = set(wanted)
        for number, cells in iter_file_rows(self.job.path):
            if number in left:
                left.discard(number)
                yield number, cells
                if not left:
                    return
