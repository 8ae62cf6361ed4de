"""首次批量导入 of a proposal list on PostgreSQL (``ProposalImporter(initial_load=True)``).

The same checks, rejects, counts, rejected-rows workbook and all-or-nothing guarantee as
the normal import (``importers``), written the way a database is loaded rather than kept
(as the member roll's first load, ``members/roll_import/bulk_load.py``):

1. Under the lock (proposals and authors, ACCESS EXCLUSIVE), with no proposal yet in the
   org's subtree, the units (by credit code) and the proposals already on record for the
   subtree's units (by unit and number: none on a first load, but a unit may have moved
   in) are read once, so no row needs the database afterwards.
2. Every index and every unique and foreign-key constraint of ``achievement_proposal``
   and ``achievement_proposalauthor`` but the primary keys is dropped
   (``indexes_built_after`` with ``constraints=True``). Dropping the foreign keys also
   locks ``orgs_org``, ``orgs_unit`` and ``accounts_user`` until the load ends: the whole
   application waits meanwhile.
3. The file is cut into blocks (a CSV without quotes as bytes cut at line ends, which
   the workers parse themselves; anything else as rows read here). A pool of processes
   (``core.parallel``) runs each row's own checks (the very ``check_row`` of the normal
   mode) and the batch checks against the units and proposals read in step 1, seals
   the authors and formats each new proposal and its authors as lines of ``COPY`` text.
   A proposal's id is the base taken from the sequence plus its row number; the authors'
   come from their sequence as ``COPY`` inserts them.
4. The main process keeps the cross-row state exactly as the normal mode does (a number
   repeated within the file is refused where one pass would refuse it), and a writer
   thread ``COPY``s each block straight into both tables while the next is checked.
5. The rejected rows are written in row order (a duplicate's cells are read again from
   the file). If the list is refused, nothing is rebuilt and the transaction rolls back.
   Otherwise each index is sorted once, each unique constraint built and each foreign
   key checked by one join over all the rows (a bad row fails the load), and the
   proposals' sequence is moved past the new ids.
"""

from __future__ import annotations

import itertools

from django.db import DEFAULT_DB_ALIAS, IntegrityError, connection, connections
from django.utils import timezone

from unionworks.achievement.models import Proposal, ProposalAuthor
from unionworks.core.bulk import indexes_built_after, reset_sequences
from unionworks.core.errors import DomainError
from unionworks.core.identity import ID_FIELD
from unionworks.core.idnumber import mask_id_number
from unionworks.core.importing import (
    SourceRow,
    csv_block_rows,
)
from unionworks.core.importing.block_load import BYTEA, COPY_ESCAPES, NULL, BlockLoad
from unionworks.core.importing.pipeline import BatchWriter, Row
from unionworks.orgs.models import Unit

BLOCK_BYTES = 1 << 20  # of a quote-free CSV: about 4,000 rows
BLOCK_ROWS = 5_000  # rows per block when this process reads the file
PARALLEL_MIN_ROWS = 50_000  # below this, one process checks every block

PROPOSAL_COLUMNS = (
    "id, org_id, unit_id, number, category, title, status_quo, measure, estimated_value, "
    "estimated_savings, confirmed_value, confirmed_savings, status, authors_count, "
    "proposed_on, proposed_by_id, dept_opinion, decided_on, decision_note, implemented_on, "
    "reward_amount, created_at"
)
AUTHOR_COLUMNS = (
    "proposal_id, org_id, proposed_on, name, sex, birth_date, id_number_cipher, "
    "id_number_index, id_number_mask"
)


def _day(value) -> str:
    return NULL if value is None else value.isoformat()


class _BulkLoad(BlockLoad):
    def __init__(self, job):
        super().__init__(job)
        self.rejects: list[Row] = []  # rejected rows, in any order: sorted before writing
        self.created = 0
        self.authors = 0

    def sizes(self) -> tuple[int, int, int]:
        return BLOCK_BYTES, BLOCK_ROWS, PARALLEL_MIN_ROWS  # module constants: tests shrink them

    # -- in a worker (or here, for a small file) -----------------------------------------
    def check_block(self, block) -> tuple:
        """One block's rows checked and formatted; what the main process needs, compactly:
        for every data row its number and its key for the duplicate check, the COPY lines
        of the new ones (b"" for the others), the rows rejected on their own (``own``), those
        rejected by the checks a duplicate would have skipped (``late``: the unit, the number
        on record) and the rows already on record (``unchanged``)."""
        job, table = self.job, self.job.table
        if block[0] == "csv":
            pairs = csv_block_rows(block[1], block[2], self.encoding)
        else:
            pairs = block[1]
        numbers, keys, proposals, authors = [], [], [], []
        own, late, unchanged = {}, {}, set()
        units, existing, base = self.units, self.existing, self.base
        escape = COPY_ESCAPES
        seal, index = job.sealer.seal, job.sealer.index
        stamp, proposer = self.stamp, self.proposer
        for number, cells in pairs:
            source = table.data_row(number, cells)
            if source is None:
                continue
            at = len(numbers)
            row = Row(source)
            job.check_row(row)
            numbers.append(number)
            keys.append(job.duplicate_keys(row)["number"])
            proposals.append(b"")
            authors.append(b"")
            if row.errors:
                own[at] = row
                continue
            # The checks of ``check_batch``, against what was read under the lock.
            unit = units.get(row.code)
            if unit is None:
                job.reject(row, "unit_code", f"未找到统一社会信用代码为“{row.code}”的单位")
            elif not unit[2]:
                job.reject(row, "unit_code", "该单位不在本工会及下级工会范围内")
            else:
                row.unit_id, row.org_id = unit[0], unit[1]
                title = existing.get((row.unit_id, row.number))
                if title is not None:
                    if title == row.title:
                        unchanged.add(at)
                        continue
                    job.reject(
                        row, "number", f"该单位已有编号为“{row.number}”的建议（题目为“{title}”）"
                    )
            if row.errors:
                late[at] = row
                continue
            pk = base + number
            money = row.money
            proposals[at] = (
                f"{pk}\t{row.org_id}\t{row.unit_id}\t{row.number.translate(escape)}\t"
                f"{row.category}\t{row.title.translate(escape)}\t"
                f"{row.status_quo.translate(escape)}\t{row.measure.translate(escape)}\t"
                f"{money['estimated_value']}\t{money['estimated_savings']}\t"
                f"{money['confirmed_value']}\t{money['confirmed_savings']}\t{row.status}\t"
                f"{len(row.people)}\t{row.proposed_on.isoformat()}\t{proposer}\t\t"
                f"{_day(row.decided_on)}\t\t{_day(row.implemented_on)}\t0.00\t{stamp}\n"
            ).encode()
            head = f"{pk}\t{row.org_id}\t{row.proposed_on.isoformat()}\t"
            authors[at] = "".join(
                f"{head}{name.translate(escape)}\t{facts.sex}\t{facts.birth_date.isoformat()}\t"
                f"{BYTEA}{seal(facts.number, ID_FIELD).hex()}\t{index(facts.number, ID_FIELD)}\t"
                f"{mask_id_number(facts.number)}\n"
                for name, facts in row.people
            ).encode()
        for row in itertools.chain(own.values(), late.values()):
            # Only the cells travel back (for the rejected-rows workbook), not the parsed row.
            row.source = SourceRow(number=row.row_number, cells=row.source.cells, values=None)
            row.values = None
        return numbers, keys, proposals, authors, own, late, unchanged

    # -- in the main process -------------------------------------------------------------
    def prepare(self) -> None:
        """Under the lock: the units, the proposals already on record for the subtree's
        units, and the base of the new proposals' ids."""
        job = self.job
        low, high = job.low, job.high
        self.units = {}
        for pk, code, union_id, union_path, org_id, org_path in (
            Unit.objects.exclude(credit_code="")
            .values_list("id", "credit_code", "union_id", "union__path", "org_id", "org__path")
            .iterator(chunk_size=10_000)
        ):
            target, path = (union_id, union_path) if union_id else (org_id, org_path)
            self.units[code] = (pk, target, low <= path < high)
        inside = [unit[0] for unit in self.units.values() if unit[2]]
        table = Proposal._meta.db_table
        with connection.cursor() as cursor:
            cursor.execute(
                f"SELECT unit_id, number, title FROM {table} WHERE unit_id = ANY(%s)", [inside]
            )
            self.existing = {(unit, number): title for unit, number, title in cursor.fetchall()}
            # Ids: base + row number, above every id the sequence has handed out; the
            # sequence is moved past them at the end.
            cursor.execute(f"SELECT nextval(pg_get_serial_sequence('{table}', 'id'))")
            self.base = cursor.fetchone()[0]
            # The rebuild sorts each index once: give the sort room (this transaction only).
            cursor.execute("SET LOCAL maintenance_work_mem = '1GB'")
        self.stamp = timezone.now().isoformat()
        self.proposer = job.proposer.pk if job.proposer else NULL
        self.read_in_blocks()  # before the pool forks: the workers know the encoding
        # The wrapper itself, not the thread-local proxy: the writer thread uses it.
        self.connection = connections[DEFAULT_DB_ALIAS]

    def copy_block(self, data: tuple[bytes, bytes]) -> None:
        """In the writer thread: one block's new proposals and their authors."""
        proposals, authors = data
        with self.connection.cursor() as cursor:
            raw = cursor.cursor
            table = Proposal._meta.db_table
            with raw.copy(f"COPY {table} ({PROPOSAL_COLUMNS}) FROM STDIN") as copy:
                copy.write(proposals)
            table = ProposalAuthor._meta.db_table
            with raw.copy(f"COPY {table} ({AUTHOR_COLUMNS}) FROM STDIN") as copy:
                copy.write(authors)

    def stream(self, writer: BatchWriter) -> None:
        job = self.job
        result, total = job.result, job.table.estimated_rows
        seen, noun = job.seen["number"], job.unique["number"]
        for checked in self.checked_blocks():
            numbers, keys, proposals, authors, own, late, unchanged = checked
            for at, number in enumerate(numbers):
                key = keys[at]
                first = number if key is None else seen.setdefault(key, number)
                if first == number:
                    row = own.get(at) or late.get(at)
                    if row is not None:
                        self.rejects.append(row)
                    elif at in unchanged:
                        result.counts["unchanged"] = result.counts.get("unchanged", 0) + 1
                    continue
                # Repeated in the file: its own errors and this one, nothing of the rest.
                row = own.get(at)
                if row is None:
                    row = late.get(at)
                    if row is not None:
                        row.errors.clear()
                    else:
                        unchanged.discard(at)
                        proposals[at] = authors[at] = b""
                        row = Row(SourceRow(number=number, cells=None, values=None))
                job.reject(row, "number", f"与第{first}行{noun}重复")
                self.rejects.append(row)
            result.rows += len(numbers)
            new = [line for line in proposals if line]
            self.created += len(new)
            self.authors += sum(line.count(b"\n") for line in authors)
            writer.wait()  # the block before is written
            refused = bool(self.rejects) and not job.save_good_rows
            if new and not refused:
                writer.submit((b"".join(new), b"".join(authors)))
            job.report(result.rows, max(total, result.rows), "正在检查并写入")
        writer.wait()

    def write_rejects(self) -> None:
        job, result = self.job, self.job.result
        self.rejects.sort(key=lambda r: r.row_number)
        missing = {r.row_number: r for r in self.rejects if r.source.cells is None}
        if missing:
            for number, cells in self.rows_of_file(set(missing)):
                missing[number].source.cells = cells
        for row in self.rejects:
            job.add_reject(row)
        result.ready = result.rows - result.rejected
        result.counts["created"] = self.created
        result.counts["authors"] = self.authors
        job.report(result.rows, result.rows, "正在保存")


class Refused(Exception):
    """Raised inside the import's transaction: the list is refused, nothing is rebuilt."""


def load(job) -> None:
    """The whole first load of ``job`` (a ``ProposalImporter``), inside its transaction;
    raises ``Refused`` (after writing the rejected rows) when the list is refused, so that
    nothing is rebuilt and the pipeline rolls back."""
    tables = f"{Proposal._meta.db_table}, {ProposalAuthor._meta.db_table}"
    with connection.cursor() as cursor:
        # Taken before the check below: nobody adds a proposal until the load ends.
        cursor.execute(f"LOCK TABLE {tables} IN ACCESS EXCLUSIVE MODE")
    job.require_empty_subtree()
    bulk = _BulkLoad(job)
    bulk.prepare()
    try:
        with indexes_built_after(Proposal, ProposalAuthor, constraints=True):
            writer = BatchWriter(bulk.copy_block)
            try:
                bulk.stream(writer)
            finally:
                writer.close()
            bulk.write_rejects()
            if job.refused():
                raise Refused
    except IntegrityError as exc:
        # Only a constraint rebuilt over the loaded rows can say this: the checks let
        # through a row the database refuses. Nothing is saved.
        raise DomainError(
            f"首次批量导入未通过数据库约束检查，未保存任何数据，请改用普通导入（{exc}）"
        ) from None
    reset_sequences([Proposal])
