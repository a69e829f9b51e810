"""Every table and every figure's data out of the page: one CSV file each under data/, and one
.xlsx workbook (Debian's python3-openpyxl) with a sheet each.

CSV files are UTF-8 with a byte-order mark (so spreadsheet programs read å, ä and ö), comma
separated, numbers with a decimal point and no grouping, whatever the page's language: they are
for programs. The workbook holds numbers as numbers, which every spreadsheet shows in its own
locale.
"""
import csv
import re

SHEET_NAME_LIMIT = 31  # Excel's


def file_name(table_id):
    return re.sub(r"[^a-z0-9-]+", "-", table_id.lower()).strip("-") + ".csv"


def plain(value):
    if isinstance(value, bool):
        return int(value)
    if isinstance(value, float) and value != value:
        return None
    return value


def write_csv(folder, table):
    folder.mkdir(parents=True, exist_ok=True)
    name = file_name(table.id)
    with open(folder / name, "w", encoding="utf-8-sig", newline="") as out:
        writer = csv.writer(out)
        writer.writerow(table.columns)
        for row in table.rows:
            writer.writerow(["" if plain(cell.value) is None else plain(cell.value)
                             for cell in row])
    table.csv = f"data/{name}"
    return name


def write_workbook(path, tables, title):
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
        sheet.append([table.caption])
        sheet["A1"].font = Font(bold=True)
        sheet.append(list(table.columns))
        for cell in sheet[2]:
            cell.font = Font(bold=True)
        for row in table.rows:
            sheet.append([plain(cell.value) for cell in row])
    book.properties.title = title
    book.save(path)
    return path
