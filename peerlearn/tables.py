"""Reading an uploaded CSV or Excel table within fixed limits (pure Python, no Django).

An .xlsx file is a zip of XML: a 5 KB file can declare a sheet of 17 billion cells
or unpack to gigabytes. So the zip is checked before openpyxl opens it (unpacked
size, compression ratio, the first sheet's declared dimension), rows and columns
are read streaming and only up to the limits, and `read_isolated` reads in a
child process under a memory and CPU limit, for what the checks cannot foresee.

Problems raise TableError with a `code` and parameters; the caller words the
message for the person who uploaded the file.
"""

import csv
import io
import json
import posixpath
import re
import resource
import subprocess
import sys
import zipfile
from dataclasses import asdict, dataclass, field
from xml.etree import ElementTree

MAX_LINES = 20_001  # the header and up to 20,000 rows, blank ones included
MAX_COLUMNS = 200
MAX_CELL_CHARS = 10_000
MAX_TOTAL_CHARS = 10_000_000
MAX_UNPACKED_BYTES = 30 * 1024 * 1024
MAX_RATIO = 100  # XML sheets compress about 10 to 1; a deflate bomb 1000 to 1
SMALL_MEMBER_BYTES = 1024 * 1024  # tiny members may compress well beyond the ratio
CHILD_MEMORY_BYTES = 1024 * 1024 * 1024
CHILD_SECONDS = 60
DIMENSION = re.compile(rb"<(?:\w+:)?dimension\s+ref=\"([A-Z]{1,3}\d+)(?::([A-Z]{1,3}\d+))?\"")


class TableError(Exception):
    def __init__(self, code, **params):
        super().__init__(code, params)
        self.code = code
        self.params = params


@dataclass
class Table:
    """The header cells and each non-empty row as (line number, cells); `encoding` read."""

    header: list[str]
    rows: list[tuple[int, list[str]]] = field(default_factory=list)
    encoding: str = "utf-8"


def read_table(filename, content):
    """The table in a .csv or .xlsx file's bytes, or TableError."""
    name = filename.lower()
    if name.endswith(".xlsx"):
        check_xlsx(content)
        return _xlsx_table(content)
    if name.endswith(".csv"):
        return _csv_table(content)
    raise TableError("file_type")


def read_isolated(filename, content, *, memory=CHILD_MEMORY_BYTES, seconds=CHILD_SECONDS):
    """read_table in a child process that may use at most `memory` bytes and `seconds`."""
    # The file itself, isolated from the environment: no Django or Celery to import.
    command = [sys.executable, "-I", __file__, filename, str(memory), str(seconds)]
    try:
        done = subprocess.run(command, input=content, capture_output=True, timeout=seconds + 5)
    except subprocess.TimeoutExpired as error:
        raise TableError("too_slow") from error
    if done.returncode != 0:  # killed by its memory or CPU limit
        raise TableError("too_big")
    answer = json.loads(done.stdout)
    if "error" in answer:
        raise TableError(answer["error"], **answer["params"])
    return Table(answer["header"], [tuple(row) for row in answer["rows"]], answer["encoding"])


# CSV


def _csv_table(content):
    text, encoding = _decode(content)
    header_line = text.split("\n", 1)[0]
    delimiter = max(",;\t", key=header_line.count)
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter, strict=True)
    return _collect(_csv_rows(reader), encoding)


def _decode(content):
    if content.startswith((b"\xff\xfe", b"\xfe\xff")):
        return content.decode("utf-16"), "utf-16"
    try:
        return content.decode("utf-8-sig"), "utf-8"
    except UnicodeDecodeError:
        pass
    try:
        return content.decode("cp1252"), "cp1252"
    except UnicodeDecodeError:
        return content.decode("latin-1"), "cp1252"  # the five bytes cp1252 leaves out


def _csv_rows(reader):
    line = 0
    while True:
        line += 1
        try:
            cells = next(reader)
        except StopIteration:
            return
        except csv.Error as error:
            raise _csv_problem(error, line) from error
        if line > MAX_LINES:
            raise TableError("too_many_lines", max=MAX_LINES - 1)
        if len(cells) > MAX_COLUMNS:
            cells = cells[:MAX_COLUMNS]
        yield line, cells


def _csv_problem(error, line):
    if "field larger than field limit" in str(error):
        return TableError("cell_too_long", line=line, max=MAX_CELL_CHARS)
    if "unexpected end of data" in str(error):
        return TableError("unclosed_quote", line=line)
    return TableError("bad_quotes", line=line)


# XLSX


def check_xlsx(content):
    """Refuse a zip that unpacks too large or too well, or a sheet declared too big."""
    try:
        archive = zipfile.ZipFile(io.BytesIO(content))
    except zipfile.BadZipFile as error:
        raise TableError("not_xlsx") from error
    _check_sizes(archive.infolist())
    try:
        with archive.open(_first_sheet(archive)) as source:
            start = source.read(64 * 1024)
    except Exception as error:  # a damaged zip or workbook fails in many ways
        raise TableError("not_xlsx") from error
    rows, columns = _declared_size(start)
    if rows > MAX_LINES or columns > MAX_COLUMNS:
        raise TableError(
            "sheet_too_big",
            rows=rows,
            columns=columns,
            max_rows=MAX_LINES - 1,
            max_columns=MAX_COLUMNS,
        )


def _check_sizes(members):
    if sum(member.file_size for member in members) > MAX_UNPACKED_BYTES:
        raise TableError("unpacks_too_big", max=MAX_UNPACKED_BYTES // (1024 * 1024))
    for member in members:
        ratio = member.file_size / max(member.compress_size, 1)
        if member.file_size > SMALL_MEMBER_BYTES and ratio > MAX_RATIO:
            raise TableError("unpacks_too_big", max=MAX_UNPACKED_BYTES // (1024 * 1024))


def _first_sheet(archive):
    """The path of the workbook's first sheet, found the way Excel finds it."""
    workbook = _target(archive, "_rels/.rels", "/officeDocument", "") or "xl/workbook.xml"
    folder, name = posixpath.split(workbook)
    rels = posixpath.join(folder, "_rels", name + ".rels")
    sheets = _xml(archive, workbook).find("{*}sheets")
    first = sheets[0].get("{http://schemas.openxmlformats.org/officeDocument/2006/relationships}id")
    return _target(archive, rels, None, folder, rel_id=first)


def _target(archive, rels, kind, folder, rel_id=None):
    for relation in _xml(archive, rels):
        matches = (
            relation.get("Id") == rel_id if rel_id else relation.get("Type", "").endswith(kind)
        )
        if matches:
            target = relation.get("Target")
            if target.startswith("/"):
                return target[1:]
            return posixpath.normpath(posixpath.join(folder, target))
    if rel_id:
        raise KeyError(rel_id)
    return None


def _xml(archive, name):
    if archive.getinfo(name).file_size > SMALL_MEMBER_BYTES:
        raise zipfile.BadZipFile(name)
    return ElementTree.fromstring(archive.read(name))


def _declared_size(start):
    found = DIMENSION.search(start)
    if not found:
        return 0, 0  # undeclared: the streaming read still stops at the limits
    last = (found.group(2) or found.group(1)).decode()
    letters = last.rstrip("0123456789")
    column = 0
    for letter in letters:
        column = column * 26 + ord(letter) - ord("A") + 1
    return int(last[len(letters) :]), column


def _xlsx_table(content):
    from openpyxl import load_workbook

    try:
        workbook = load_workbook(io.BytesIO(content), read_only=True, data_only=True)
    except Exception as error:  # openpyxl raises many kinds for a damaged file
        raise TableError("not_xlsx") from error
    try:
        sheet = workbook.worksheets[0]
        rows = sheet.iter_rows(max_row=MAX_LINES + 1, max_col=MAX_COLUMNS, values_only=True)
        return _collect(_numbered_rows(rows), "xlsx")
    except TableError:
        raise
    except Exception as error:
        raise TableError("not_xlsx") from error
    finally:
        workbook.close()


def _numbered_rows(rows):
    for line, cells in enumerate(rows, start=1):
        if line > MAX_LINES:
            if any(cell is not None for cell in cells):
                raise TableError("too_many_lines", max=MAX_LINES - 1)
            return
        cells = [_text(cell) for cell in cells]
        while cells and not cells[-1]:
            cells.pop()  # read-only rows are padded to max_col
        yield line, cells


def _text(cell):
    if cell is None:
        return ""
    if isinstance(cell, float) and cell.is_integer():
        cell = int(cell)
    return str(cell)


# Both


def _collect(numbered_rows, encoding):
    table = None
    total = 0
    for line, cells in numbered_rows:
        cells = [cell.strip() for cell in cells]
        for cell in cells:
            if len(cell) > MAX_CELL_CHARS:
                raise TableError("cell_too_long", line=line, max=MAX_CELL_CHARS)
            if "\x00" in cell:
                raise TableError("nul", line=line)
            total += len(cell)
        if total > MAX_TOTAL_CHARS:
            raise TableError("too_much_text", max=MAX_TOTAL_CHARS)
        if table is None:
            table = Table(header=cells, encoding=encoding)
        elif any(cells):
            table.rows.append((line, cells))
    if table is None:
        raise TableError("empty")
    return table


def _child(filename, memory, seconds):
    resource.setrlimit(resource.RLIMIT_AS, (memory, memory))
    resource.setrlimit(resource.RLIMIT_CPU, (seconds, seconds))
    try:
        answer = asdict(read_table(filename, sys.stdin.buffer.read()))
    except TableError as error:
        answer = {"error": error.code, "params": error.params}
    except MemoryError:
        sys.exit(3)
    json.dump(answer, sys.stdout)


if __name__ == "__main__":
    _child(sys.argv[1], int(sys.argv[2]), int(sys.argv[3]))
