"""首次批量导入 on PostgreSQL: the bulk first load of a roll (``import_roll(initial_load=True)``).

The same checks, counts, rejected-rows workbook and all-or-nothing guarantee as the
normal import (``importers``), written the way a database is loaded rather than kept:

1. Under the lock (members and spells, ACCESS EXCLUSIVE), with the subtree still empty,
   the blind indexes and card numbers already on record are read once.
2. Every index and every unique and foreign-key constraint of ``members_member`` and
   ``members_membershipspell`` but the primary keys is dropped (``indexes_built_after``
   with ``constraints=True``). Dropping the foreign keys also locks ``orgs_org`` and
   ``orgs_unit`` until the load ends: the whole application waits meanwhile.
3. The file is cut into blocks (a CSV without quotes as bytes, cut at line ends, so the
   workers parse it themselves; anything else as rows read here). A pool of processes
   (``core.parallel``) checks and seals each block's rows and formats each new member
   and spell as a line of ``COPY`` text, with ids given by the row number (member id =
   the largest id before the load + the row number), so no row needs a round trip.
   The main process keeps the cross-row state (duplicates within the file, exactly as
   ``check_seen`` does) and a writer thread ``COPY``s the block straight into both
   tables while the next block is checked.
4. A person already on record anywhere (few on a first load) is set aside and settled at
   the end by the normal machinery (rejoin, unchanged, or refused: 须办理转会).
5. The rejected rows are written in row order; if the load is refused nothing is built
   and the transaction rolls back. Otherwise the indexes are sorted once, each unique
   constraint is built and each foreign key is checked by one join over all the rows
   (a bad row fails the load), and the sequences are moved past the new ids.
"""

from __future__ import annotations

from django.db import DEFAULT_DB_ALIAS, connection, connections
from django.utils import timezone

from unionworks.core.bulk import indexes_built_after, reset_sequences
from unionworks.core.importing import (
    SourceRow,
    csv_block_rows,
)
from unionworks.core.importing.block_load import BYTEA, COPY_ESCAPES, NULL, BlockLoad
from unionworks.members.models import Member, MembershipSpell

BLOCK_BYTES = 1 << 20  # of a quote-free CSV: about 8,000 rows
BLOCK_ROWS = 10_000  # rows per block when this process reads the file
PARALLEL_MIN_ROWS = 50_000  # below this, one process checks every block

MEMBER_COLUMNS = (
    "id, name, name_initials, sex, birth_date, ethnicity, education, is_migrant, "
    "id_number_cipher, id_number_index, id_number_mask, phone_cipher, phone_index, "
    "phone_mask, card_number, org_id, unit_id, status, created_at, updated_at"
)
SPELL_COLUMNS = 'id, member_id, org_id, unit_id, start, "end", start_reason, end_reason, is_migrant'


class _BulkLoad(BlockLoad):
    def __init__(self, job):
        super().__init__(job)
        self.rejects: list = []  # rejected rows, in any order: sorted before writing
        self.known: list = []  # persons already on record, settled at the end
        self.new = 0
        self.refused = False

    def sizes(self) -> tuple[int, int, int]:
        return BLOCK_BYTES, BLOCK_ROWS, PARALLEL_MIN_ROWS  # module constants: tests shrink them

    # -- in a worker (or here, for a small file) -----------------------------------------
    def check_block(self, block) -> tuple:
        """One block's rows checked and sealed; what the main process needs, compactly:
        for every data row its number, ID number and card (for the duplicate checks), the
        COPY lines of the new ones (b"" for the others), and the rows set aside."""
        job, table = self.job, self.job.table
        if block[0] == "csv":
            pairs = csv_block_rows(block[1], block[2], self.encoding)
        else:
            pairs = block[1]
        numbers, id_numbers, cards, members, spells = [], [], [], [], []
        rejected, late, known = {}, {}, {}
        existing, cards_held = self.existing, job.cards_held
        escape = COPY_ESCAPES
        stamp, member_base, spell_base = self.stamp, self.member_base, self.spell_base
        for number, cells in pairs:
            source = table.data_row(number, cells)
            if source is None:
                continue
            at = len(numbers)
            row = job.check_own(number, source.values)
            numbers.append(number)
            id_numbers.append(row.number)
            cards.append(row.card_number)
            if not row.errors:
                job.seal_row(row)
                if row.id_index in existing:
                    known[at] = row
                elif row.card_number is not None and row.card_number in cards_held:
                    late[at] = row
            if row.errors or at in known or at in late:
                row.source = SourceRow(number=number, cells=cells, values=None)
                if at in late:  # after the duplicate checks, as the normal import has it
                    row.errors.append(job.card_in_use(row))
                elif at not in known:
                    rejected[at] = row
                members.append(b"")
                spells.append(b"")
                continue
            facts = row.facts
            id_cipher, id_mask, phone_cipher, phone_index, phone_mask = row.sealed
            member_id = member_base + number
            migrant = "t" if row.is_migrant else "f"
            unit = NULL if row.unit_id is None else row.unit_id
            phone = NULL if phone_cipher is None else BYTEA + phone_cipher.hex()
            card = NULL if row.card_number is None else row.card_number.translate(escape)
            members.append(
                f"{member_id}\t{row.name.translate(escape)}\t{row.initials.translate(escape)}\t"
                f"{facts.sex}\t{facts.birth_date.isoformat()}\t"
                f"{row.ethnicity.translate(escape)}\t{row.education}\t{migrant}\t"
                f"{BYTEA}{id_cipher.hex()}\t{row.id_index}\t{id_mask}\t{phone}\t"
                f"{phone_index}\t{phone_mask}\t{card}\t"
                f"{row.union_id}\t{unit}\tactive\t{stamp}\t{stamp}\n".encode()
            )
            spells.append(
                f"{spell_base + number}\t{member_id}\t{row.union_id}\t{unit}\t"
                f"{row.joined_on.isoformat()}\t{NULL}\tjoin\t\t{migrant}\n".encode()
            )
        if not any(cards):
            cards = None
        return numbers, id_numbers, cards, members, spells, rejected, late, known

    # -- in the main process -------------------------------------------------------------
    def prepare(self) -> None:
        """Under the lock: what is on record already, and where the new ids start."""
        member, spell = Member._meta.db_table, MembershipSpell._meta.db_table
        with connection.cursor() as cursor:
            cursor.execute(f"SELECT id_number_index FROM {member}")
            self.existing = {index for (index,) in cursor.fetchall()}
            cursor.execute(f"SELECT card_number, id FROM {member} WHERE card_number IS NOT NULL")
            self.job.cards_held = dict(cursor.fetchall())
            cursor.execute(f"SELECT COALESCE(MAX(id), 0) FROM {member}")
            self.member_base = cursor.fetchone()[0]
            cursor.execute(f"SELECT COALESCE(MAX(id), 0) FROM {spell}")
            self.spell_base = cursor.fetchone()[0]
            # The rebuild sorts each index once: give the sort room (this transaction only).
            cursor.execute("SET LOCAL maintenance_work_mem = '1GB'")
        self.stamp = timezone.now().isoformat()
        self.read_in_blocks()  # before the pool forks: the workers know the encoding
        # The wrapper itself, not the thread-local proxy: the writer thread uses it.
        self.connection = connections[DEFAULT_DB_ALIAS]

    def copy_block(self, members: bytes, spells: bytes) -> None:
        """In the writer thread: one block's new members and their spells."""
        with self.connection.cursor() as cursor:
            raw = cursor.cursor
            with raw.copy(f"COPY {Member._meta.db_table} ({MEMBER_COLUMNS}) FROM STDIN") as copy:
                copy.write(members)
            table = MembershipSpell._meta.db_table
            with raw.copy(f"COPY {table} ({SPELL_COLUMNS}) FROM STDIN") as copy:
                copy.write(spells)

    def stream(self, writer) -> None:
        job = self.job
        result, total = job.result, job.table.estimated_rows
        seen, seen_cards = job.seen, job.seen_cards
        for checked in self.checked_blocks():
            numbers, id_numbers, cards, members, spells, rejected, late, known = checked
            dropped = []  # new rows a duplicate check refused
            for at, number in enumerate(numbers):
                row = rejected.get(at)
                if row is None:
                    id_number = id_numbers[at]
                    card = cards[at] if cards else None
                    if (not id_number or seen.setdefault(id_number, number) == number) and (
                        card is None or seen_cards.setdefault(card, number) == number
                    ):
                        continue
                    # A duplicate (check_seen registers again, harmlessly, and says where).
                    row = late.pop(at, None) or known.pop(at, None)
                    if row is None:
                        dropped.append(at)
                        row = job.new_row(number, id_number, card)
                    else:
                        row.errors.clear()
                job.check_seen(row)
                self.rejects.append(row)
            self.rejects.extend(late.values())
            self.known.extend(known.values())
            result.rows += len(numbers)
            written = len(members) - members.count(b"") - len(dropped)
            self.new += written
            self.refused = bool(self.rejects) and not job.save_good_rows
            if written and not self.refused:
                if dropped:
                    keep = set(range(len(members))) - set(dropped)
                    members = [members[at] for at in sorted(keep)]
                    spells = [spells[at] for at in sorted(keep)]
                writer.submit(b"".join(members), b"".join(spells))
            job.report(result.rows, max(total, result.rows), "正在检查并写入")

    def settle_known(self) -> None:
        """The persons already on record: classified as the normal import does (one query)."""
        job = self.job
        if not self.known:
            return
        job.classify(self.known)
        for row in self.known:
            if row.errors:
                self.rejects.append(row)
            else:
                job.actions[row.action] += 1
        self.known = [r for r in self.known if not r.errors and r.action == "rejoin"]
        self.refused = bool(self.rejects) and not job.save_good_rows

    def write_rejects(self) -> None:
        job, result = self.job, self.job.result
        self.rejects.sort(key=lambda r: r.source.number)
        missing = {r.source.number: r for r in self.rejects if r.source.cells is None}
        if missing:
            for number, cells in self.rows_of_file(set(missing)):
                missing[number].source.cells = cells
        job.add_rejects(self.rejects)
        job.actions["new"] = self.new
        result.counts["unchanged"] = job.actions["unchanged"]
        result.ready = sum(job.actions.values())
        if job.rejects is not None:
            result.rejects_path = str(job.rejects.close())
        job.report(result.rows, result.rows, "正在保存")

    def rejoin_known(self, stage_class) -> None:
        """After the rebuild: the persons who left a union earlier rejoin (normal merge)."""
        if not self.known:
            return
        job = self.job
        with stage_class() as job.stage:
            job.stage.write([job.staged(r) for r in self.known])
            job.stage.merge(expect_new=0, expect_rejoin=len(self.known))


def load(job) -> None:
    """The whole load of ``job`` (a ``RollImporter``), inside its transaction;
    raises ``importer._Refused`` (after writing the rejected rows) when the roll is
    refused, so that it rolls back."""
    # The normal import's own pieces (importers imports this module first).
    from unionworks.members.roll_import.importer import _Refused, _Stage, _Writer

    member, spell = Member._meta.db_table, MembershipSpell._meta.db_table
    with connection.cursor() as cursor:
        # Taken before the check below: nobody adds a member until the load ends.
        cursor.execute(f"LOCK TABLE {member}, {spell} IN ACCESS EXCLUSIVE MODE")
    job.require_empty_subtree()
    bulk = _BulkLoad(job)
    bulk.prepare()
    with indexes_built_after(Member, MembershipSpell, constraints=True):
        writer = _Writer(bulk.copy_block)
        try:
            bulk.stream(writer)
        finally:
            writer.close()
        bulk.settle_known()
        bulk.write_rejects()
        if bulk.refused:
            raise _Refused
    reset_sequences([Member, MembershipSpell])
    bulk.rejoin_known(_Stage)
