"""Figures for the peer import: spreadsheet bombs refused, and a 10,000-row import end to end.

    python -m benchmarks.peer_import            # the bombs only, no database
    python -m benchmarks.peer_import --import   # also a 10,000-row import (use PostgreSQL)

Each bomb is read in a fresh process, the way an upload is read, and its peak memory
(VmHWM: the whole process, Python and openpyxl included) and time to refusal are
printed. The builders are shared with the tests.
"""

import io
import os
import re
import subprocess
import sys
import zipfile

from openpyxl import Workbook

SHEET = "xl/worksheets/sheet1.xml"


def small_xlsx(rows):
    workbook = Workbook()
    for row in rows:
        workbook.active.append(row)
    content = io.BytesIO()
    workbook.save(content)
    return content.getvalue()


def _with_sheet(write_sheet):
    """A real workbook whose first sheet is written by `write_sheet(handle)`."""
    source = zipfile.ZipFile(io.BytesIO(small_xlsx([["email"], ["a@example.org"]])))
    content = io.BytesIO()
    with zipfile.ZipFile(content, "w", zipfile.ZIP_DEFLATED, compresslevel=9) as target:
        for member in source.infolist():
            if member.filename == SHEET:
                with target.open(SHEET, "w", force_zip64=True) as handle:
                    write_sheet(handle)
            else:
                target.writestr(member, source.read(member))
    return content.getvalue()


def huge_sheet_xlsx():
    """A few KB declaring a sheet of A1:XFD1048576, 17 billion cells."""
    sheet = zipfile.ZipFile(io.BytesIO(small_xlsx([["email"], ["a@example.org"]]))).read(SHEET)
    sheet = re.sub(rb'<dimension ref="[^"]*"', b'<dimension ref="A1:XFD1048576"', sheet)
    return _with_sheet(lambda handle: handle.write(sheet))


def lying_sheet_xlsx():
    """Declares A1:A2 but holds a cell at XFD1048576: only the limits stop the reading."""
    sheet = zipfile.ZipFile(io.BytesIO(small_xlsx([["email"], ["a@example.org"]]))).read(SHEET)
    far = b'<row r="1048576"><c r="XFD1048576" t="inlineStr"><is><t>x</t></is></c></row>'
    sheet = sheet.replace(b"</sheetData>", far + b"</sheetData>")
    return _with_sheet(lambda handle: handle.write(sheet))


def deflate_bomb_xlsx(megabytes=1024):
    """A sheet that unpacks to `megabytes` of blank space before its first row."""
    start = b'<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">'
    blank = b" " * (1024 * 1024)

    def write(handle):
        handle.write(start)
        for _ in range(megabytes):
            handle.write(blank)
        handle.write(b"<sheetData/></worksheet>")

    return _with_sheet(write)


def peer_list_csv(count):
    lines = ["email,name,organisation,country,position,years_of_service,languages,challenges"]
    for number in range(count):
        lines.append(
            f"peer{number}@list.example.org,Peer {number},Agency {number % 50},Chad,Clerk,"
            f"{number % 30},fr;en,Payroll arrears keep growing in agency {number % 50}"
        )
    return "\n".join(lines).encode()


def peer_list_xlsx(count):
    return small_xlsx(line.split(",") for line in peer_list_csv(count).decode().splitlines())


PROBE = """
import resource, sys, time
from peerlearn import tables
content = sys.stdin.buffer.read()
started = time.perf_counter()
try:
    tables.read_table("bomb.xlsx", content)
    outcome = "read"
except tables.TableError as error:
    outcome = error.code
seconds = time.perf_counter() - started
try:  # this process's own high-water mark (ru_maxrss may carry the parent's over exec)
    status = open("/proc/self/status").read()
    peak = int(status.split("VmHWM:")[1].split()[0]) / 1024
except OSError:
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
print(f"{outcome} after {seconds:.3f} s, peak memory of the process {peak:.0f} MB")
"""


def measure_bombs():
    for name, content in [
        ("huge declared sheet", huge_sheet_xlsx()),
        ("sheet beyond its declared size", lying_sheet_xlsx()),
        ("deflate bomb, 1 GB unpacked", deflate_bomb_xlsx()),
        ("for comparison, a real list of 10,000 people", peer_list_xlsx(10_000)),
    ]:
        done = subprocess.run(
            [sys.executable, "-c", PROBE], input=content, capture_output=True, check=True
        )
        print(f"{name} ({len(content) / 1024:.0f} KB file): {done.stdout.decode().strip()}")


def measure_import(count=10_000):
    """Check and import `count` new peers, then remove everything the run created."""
    import time

    import django

    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "peerlearn.settings")
    django.setup()
    from django.db import connection

    from matching import peer_import
    from peerlearn.celery import app
    from peerlearn.models import Organisation, OutboxEmail, User
    from tests.factories import FacilitatorFactory, InitiativeFactory

    app.conf.task_default_queue = "benchmark-import"  # the send tasks, purged below
    initiative = InitiativeFactory()
    by = FacilitatorFactory(organisation=initiative.organisation)
    print(f"Import of {count} new peers on {connection.vendor}:")
    try:
        started = time.perf_counter()
        prepared = peer_import.start_check(
            initiative=initiative, filename="peers.csv", content=peer_list_csv(count), by=by
        )
        peer_import.check_list(peer_import=prepared)
        checked = time.perf_counter()
        print(f"  read (in the limited child process) and checked in {checked - started:.1f} s")
        peer_import.start_import(peer_import=prepared, by=by)
        counts = peer_import.import_list(peer_import=prepared, by=by)
        done = time.perf_counter()
        print(f"  imported {counts} in {done - checked:.1f} s, emails queued included")
        print(f"  end to end {done - started:.1f} s")
    finally:
        with app.connection_for_write() as connection_:
            connection_.default_channel.queue_purge("benchmark-import")
        OutboxEmail.objects.filter(to__endswith="@list.example.org").delete()
        initiative.delete()
        User.objects.filter(email__endswith="@list.example.org").delete()
        User.objects.filter(pk=by.pk).delete()
        initiative.organisation.delete()
        Organisation.objects.filter(name__startswith="Agency ", country="Chad").delete()


if __name__ == "__main__":
    measure_bombs()
    if "--import" in sys.argv:
        measure_import()
