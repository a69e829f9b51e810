"""Every table and every figure's data out of the page: one CSV file each under data/, and one
.xlsx workbook (Debian's python3-openpyxl) with a sheet each.

CSV files are UTF-8 with a byte-order mark (so spreadsheet programs read å, ä and ö), comma
separated, numbers with a decimal point and no grouping, whatever the page's language: they are
for programs. The workbook holds numbers as numbers, which every spreadsheet shows in its own
locale. Both hold the same values as the page, and what the page shows of a number in one
cell is a column each: a change with its 95% interval is three columns (the change, the lower
and the upper bound), a step on the efficient frontier three (its extra cost per extra offence
averted, its place on the frontier and the alternative it is compared with). Every text in
them, headers included, is from the catalogue of the page's language or a name.
"""
import csv
import re

SHEET_NAME_LIMIT = 31  # Excel's
# Values a cell gives the data files besides its own (model.Cell.extra), each a column after
# its cell's, in this order; the header is the catalogue's export.column_KEY with {column}.
EXTRAS = ("low", "high", "status", "compared_with")


def file_name(table_id):
    return re.sub(r"[^a-z0-9-]+", "-", table_id.lower()).strip("-") + ".csv"


def plain(value, texts):
    """A value as the data files hold it: numbers as numbers, yes and no as the catalogue's
    words, no value as None."""
    if isinstance(value, bool):
        return texts("word.yes" if value else "word.no")
    if isinstance(value, float) and value != value:
        return None
    return value


def layout(table, texts):
    """The header and rows of a table's data files: each page column, then the extra columns
    its cells give (EXTRAS)."""
    extras = []
    for j, _ in enumerate(table.columns):
        given = set()
        for row in table.rows:
            if j < len(row) and row[j].extra:
                given |= set(row[j].extra)
        unknown = given - set(EXTRAS)
        if unknown:
            raise ValueError(f"table {table.id}: unknown extra value(s) {sorted(unknown)}")
        extras.append([key for key in EXTRAS if key in given])
    header = []
    for column, keys in zip(table.columns, extras):
        header.append(column)
        header += [texts(f"export.column_{key}", column=column) for key in keys]
    rows = []
    for row in table.rows:
        values = []
        for cell, keys in zip(row, extras):
            values.append(plain(cell.value, texts))
            values += [plain((cell.extra or {}).get(key), texts) for key in keys]
        rows.append(values)
    return header, rows


def write_csv(folder, table, texts):
    folder.mkdir(parents=True, exist_ok=True)
    name = file_name(table.id)
    header, rows = layout(table, texts)
    with open(folder / name, "w", encoding="utf-8-sig", newline="") as out:
        writer = csv.writer(out)
        writer.writerow(header)
        for row in rows:
            writer.writerow(["" if value is None else value for value in row])
    table.csv = f"data/{name}"
    return name


def write_workbook(path, tables, title, texts):
    """One sheet per table, with the table's caption above its header; None when openpyxl is
    missing (the CSV files are written anyway)."""
    try:
        from openpyxl import Workbook
        from openpyxl.styles import Font
    except ImportError:
        return None
    book = Workbook()
    book.remove(book.active)
    used = set()
    for table in tables:
        name = table.id[:SHEET_NAME_LIMIT]
        while name in used:
            name = name[:SHEET_NAME_LIMIT - 2] + f"{len(used) % 100:02d}"
        used.add(name)
        sheet = book.create_sheet(name)
        header, rows = layout(table, texts)
        sheet.append([table.caption])
        sheet["A1"].font = Font(bold=True)
        sheet.append(header)
        for cell in sheet[2]:
            cell.font = Font(bold=True)
        for row in rows:
            sheet.append(row)
    book.properties.title = title
    book.save(path)
    return path
