"""The one import pipeline every spreadsheet upload goes through.

``reading`` reads a spreadsheet the way clerks fill it in (header row found by its
names, blank and footer rows skipped, values parsed in their usual spellings) and
writes the rejected rows back; the names below are its public toolkit.
"""

from unionworks.core.importing.reading import (
    REJECT_COLUMNS,
    SUPPORTED_SUFFIXES,
    Column,
    ColumnSpec,
    ImportFileError,
    RejectsWriter,
    RowError,
    SourceRow,
    Table,
    clean_text,
    count_rows,
    csv_block_rows,
    csv_blocks,
    detect_encoding,
    digits_text,
    header_key,
    is_blank,
    is_footer,
    iter_file_rows,
    parse_bool,
    parse_date,
    quote_free_csv,
    read_table,
    to_ascii_digits,
    write_template,
)

__all__ = [
    "REJECT_COLUMNS",
    "SUPPORTED_SUFFIXES",
    "Column",
    "ColumnSpec",
    "ImportFileError",
    "RejectsWriter",
    "RowError",
    "SourceRow",
    "Table",
    "clean_text",
    "count_rows",
    "csv_block_rows",
    "csv_blocks",
    "detect_encoding",
    "digits_text",
    "header_key",
    "is_blank",
    "is_footer",
    "iter_file_rows",
    "parse_bool",
    "parse_date",
    "quote_free_csv",
    "read_table",
    "to_ascii_digits",
    "write_template",
]
