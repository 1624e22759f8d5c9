"""Test-session settings shared by the doctests (skaug/) and the tests (tests/)."""

import pytest
import torch


@pytest.fixture(autouse=True, scope="session")
def _torch_one_thread():
    # The nets in the tests are small: one thread is as fast as two, and it
    # keeps the run from slowing down many-fold when another process (CI
    # neighbour, a benchmark) competes for the 2 cores.
    previous = torch.get_num_threads()
    torch.set_num_threads(1)
    yield
    torch.set_num_threads(previous)
