"""core.personal_data: the bulk Sealer gives what the one-value functions give, and never
uses a GCM nonce twice, not even across a fork."""

import os

from hypothesis import given
from hypothesis import strategies as st

from unionworks.core.personal_data import Sealer, blind_index, unseal


@given(st.text(max_size=40), st.sampled_from(["id_number", "phone"]))
def test_the_bulk_blind_index_is_the_one_value_blind_index(value, field):
    assert Sealer().index(value, field) == blind_index(value, field=field)


def test_sealed_values_open_again_and_every_nonce_is_new():
    sealer = Sealer()
    blobs = [sealer.seal("140105198001010011", "id_number") for _ in range(10_000)]
    assert {unseal(b, field="id_number") for b in blobs[::997]} == {"140105198001010011"}
    assert len({b[1:13] for b in blobs}) == len(blobs)


def test_a_forked_process_draws_its_own_nonces():
    sealer = Sealer()
    sealer.seal("13812345678", "phone")  # the parent has nonces in hand
    read, write = os.pipe()
    child = os.fork()
    if child == 0:  # the child: the nonces it would use next
        os.write(write, b"".join(sealer._nonce() for _ in range(100)))
        os._exit(0)
    os.waitpid(child, 0)
    in_child = os.read(read, 1200)
    os.close(read), os.close(write)
    in_parent = b"".join(sealer._nonce() for _ in range(100))
    chunks = lambda data: {data[i : i + 12] for i in range(0, len(data), 12)}  # noqa: E731
    assert len(in_child) == 1200 and not chunks(in_child) & chunks(in_parent)
