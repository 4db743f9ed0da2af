"""Input files: only regular files are opened, refused before opening with a Swedish message, and reads are bounded."""

from __future__ import annotations

import os
import socket
import tempfile
from pathlib import Path

import pytest

from slutrapport.core.errors import InputFileError, ProjectError
from slutrapport.core.inputs import check_input_file, read_bytes_limited
from tests.special_files import within

posix_only = pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="named pipes, sockets and /dev/zero exist on POSIX only")


def test_a_regular_file_and_a_link_to_one_pass(tmp_path):
    path = tmp_path / "enkät.csv"
    path.write_bytes(b"a,b\n")
    assert check_input_file(path).st_size == 4
    link = tmp_path / "länk.csv"
    link.symlink_to(path)
    assert read_bytes_limited(link, 100) == b"a,b\n"


def test_a_missing_file_is_named(tmp_path):
    path = tmp_path / "saknas.csv"
    with pytest.raises(InputFileError, match="finns inte") as caught:
        check_input_file(path, "Enkätfilen")
    assert str(caught.value) == f"Enkätfilen {path} finns inte."


def test_a_directory_is_refused(tmp_path):
    with pytest.raises(InputFileError, match=r"är ingen vanlig fil \(en mapp\)") as caught:
        read_bytes_limited(tmp_path, 100, "Budgetfilen")
    assert str(tmp_path) in str(caught.value) and str(caught.value).startswith("Budgetfilen ")


@posix_only
def test_a_named_pipe_is_refused_before_it_is_opened(tmp_path):
    pipe = tmp_path / "enkat.csv"
    os.mkfifo(pipe)
    for call in (lambda: check_input_file(pipe, "Enkätfilen"), lambda: read_bytes_limited(pipe, 100, "Enkätfilen")):
        with pytest.raises(InputFileError, match=r"är ingen vanlig fil \(en namngiven pipe\)") as caught:
            within(call, seconds=5)
        assert str(pipe) in str(caught.value)


@posix_only
@pytest.mark.skipif(not Path("/dev/zero").exists(), reason="no /dev/zero")
def test_a_device_is_refused_and_not_read_forever(tmp_path):
    with pytest.raises(InputFileError, match=r"/dev/zero är ingen vanlig fil \(en teckenenhet"):
        within(lambda: read_bytes_limited("/dev/zero", 100), seconds=5)
    link = tmp_path / "data.xlsx"
    link.symlink_to("/dev/zero")  # a link is followed: what it points at counts
    with pytest.raises(InputFileError, match="teckenenhet"):
        check_input_file(link)


@posix_only
def test_a_socket_is_refused():
    folder = Path(tempfile.mkdtemp(dir="/tmp"))  # a socket path must be short
    path = folder / "s"
    server = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
    try:
        server.bind(str(path))
        with pytest.raises(InputFileError, match=r"ingen vanlig fil \(en socket\)"):
            check_input_file(path)
    finally:
        server.close()
        path.unlink(missing_ok=True)
        folder.rmdir()


def test_a_file_over_the_limit_is_refused(tmp_path):
    path = tmp_path / "stor.json"
    path.write_bytes(b"x" * 2048)
    assert read_bytes_limited(path, 2048) == b"x" * 2048
    with pytest.raises(InputFileError, match=r"är för stor \(2 kB\); största tillåtna storlek är 1 kB") as caught:
        read_bytes_limited(path, 1024, "Rapportfilen")
    assert str(path) in str(caught.value)


def test_a_caller_chooses_its_error_kind(tmp_path):
    with pytest.raises(ProjectError, match="en mapp"):
        check_input_file(tmp_path, "Projektfilen", error=ProjectError)


def test_a_path_with_a_nul_character_is_a_clear_error():
    with pytest.raises(InputFileError, match="kunde inte läsas"):
        check_input_file("a\x00b.csv")
