from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest
from django.test import Client

from relais.accounts.models import User
from relais.documents import access


@pytest.fixture(autouse=True)
def _no_workgroup_directory() -> Iterator[None]:
    """Tests start without the workgroups app's directory and leave none behind."""
    previous = access.workgroup_directory()
    access.register_workgroup_directory(None)
    yield
    access.register_workgroup_directory(previous)


class FakeDirectory:
    """A working-groups directory as `relais.workgroups` would register it: group 4242 of a network, one participant."""

    def __init__(self, network_id: int, participant: User, group_id: int = 4242) -> None:
        self.network_id, self.participant, self.group_id = network_id, participant, group_id

    def participant_workgroup_ids(self, user: Any) -> set[int]:
        return {self.group_id} if user.pk == self.participant.pk else set()

    def workgroup_choices(self, network_id: int, user: Any) -> list[tuple[int, str]]:
        return [(self.group_id, "Groupe textile")] if network_id == self.network_id else []

    def workgroup_name(self, workgroup_id: int) -> str:
        return "Groupe textile" if workgroup_id == self.group_id else ""


def logged(client: Client, user: User) -> Client:
    client.force_login(user)
    return client


def drain(response: Any) -> bytes:
    """The body of a streamed download, its file closed WITHOUT `response.close()`: that would send
    request_finished outside the test client, which closes the test's database connection (PostgreSQL)."""
    content = b"".join(response.streaming_content)
    for closer in response._resource_closers:
        closer()
    response._resource_closers.clear()
    return content
