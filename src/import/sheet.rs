//! Reading spreadsheets as offices make them: CSV, XLSX, ODS and XLS, every
//! sheet, a title (and blank rows) above the header, merged cells down a
//! column. A workbook is read into [`Grid`]s of filled cells; [`pick`] then
//! finds the sheet and the row that hold the partner columns.

use std::collections::BTreeMap;
use std::path::Path;

use calamine::{Data, Dimensions, Reader, Sheets, Xlsx};

use super::columns::{Columns, Field};
use super::ImportError;

/// One row of text cells and where it is in the file (1-based line or row
/// number, as a spreadsheet program shows it).
#[derive(Clone, Debug, PartialEq)]
pub struct SheetRow {
    pub line: u64,
    pub cells: Vec<String>,
}

/// A header row and the data rows under it (blank rows left out).
#[derive(Clone, Debug, PartialEq)]
pub struct Sheet {
    pub header: Vec<String>,
    pub rows: Vec<SheetRow>,
    /// What the file turned out to be: "csv (;, windows-1252)", "xlsx (Sheet1)".
    pub detected: String,
    /// The header's line (1-based).
    pub header_line: u64,
}

/// A sheet as read: its filled rows (0-based row, then cells at their 0-based column).
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Grid {
    pub name: String,
    pub rows: Vec<(u32, Vec<(u32, String)>)>,
    /// Merged areas: their first cell's value stands for every cell.
    pub merged: Vec<Dimensions>,
}

/// Every sheet of a file, and what the file is ("xlsx", "csv (;, utf-8)").
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Book {
    pub format: String,
    pub grids: Vec<Grid>,
}

/// How far down the header may be: a title, a date line and blank rows fit.
pub const HEADER_ROWS: usize = 10;

pub fn read_book(path: &Path) -> Result<Book, ImportError> {
    let ext = path.extension().and_then(|e| e.to_str()).unwrap_or("").to_ascii_lowercase();
    let bytes = std::fs::read(path).map_err(|e| ImportError::Read { path: path.to_path_buf(), source: e })?;
    match ext.as_str() {
        "xlsx" | "xlsm" => xlsx_book(bytes),
        "ods" | "xls" | "xlsb" => other_book(bytes),
        "csv" | "txt" | "tsv" => csv_book(&bytes),
        "json" => json_book(&bytes),
        _ if bytes.starts_with(b"PK\x03\x04") => xlsx_book(bytes.clone()).or_else(|_| other_book(bytes)),
        _ if bytes.starts_with(b"\xD0\xCF\x11\xE0") => other_book(bytes),
        _ => Err(ImportError::UnknownType(path.to_path_buf())),
    }
}

/// Reads the file and picks the sheet and header of partners (the first sheet that has them, or `sheet`).
pub fn read_file(path: &Path) -> Result<Sheet, ImportError> {
    pick(&read_book(path)?, None)
}

/// Text from bytes: a BOM decides (UTF-8, UTF-16); otherwise UTF-8 when
/// valid, else Windows-1252 (what Excel on Windows writes as "CSV").
pub fn decode(bytes: &[u8]) -> (String, &'static str) {
    if let Some((enc, bom)) = encoding_rs::Encoding::for_bom(bytes) {
        let (text, _) = enc.decode_without_bom_handling(&bytes[bom..]);
        return (text.into_owned(), enc.name());
    }
    match std::str::from_utf8(bytes) {
        Ok(s) => (s.to_string(), "UTF-8"),
        Err(_) => {
            let (text, _, _) = encoding_rs::WINDOWS_1252.decode(bytes);
            (text.into_owned(), "windows-1252")
        }
    }
}

/// The separator that splits the most fields out of the first lines: `;`, `,` or tab.
pub fn sniff_separator(text: &str) -> u8 {
    let count = |line: &str, sep: char| {
        let mut quoted = false;
        line.chars()
            .filter(|c| {
                if *c == '"' {
                    quoted = !quoted;
                }
                !quoted && *c == sep
            })
            .count()
    };
    // The most on any of the first filled lines: a title line above the header has none.
    let lines: Vec<&str> = text.lines().filter(|l| !l.trim().is_empty()).take(HEADER_ROWS).collect();
    let most = |sep: u8| lines.iter().map(|l| count(l, sep as char)).max().unwrap_or(0);
    [b';', b',', b'\t'].into_iter().max_by_key(|s| (most(*s), *s == b',')).unwrap_or(b',')
}

fn blank(cells: &[String]) -> bool {
    cells.iter().all(|c| c.trim().is_empty())
}

/// Undoes the apostrophe that exports put before text a spreadsheet would
/// run as a formula (`'+47 915 00 001`, `'=SUM`), so what was written is read.
pub fn unguard(s: &str) -> &str {
    match s.strip_prefix('\'') {
        Some(rest) if rest.starts_with(['=', '+', '-', '@', '\t', '\r']) => rest,
        _ => s,
    }
}

pub fn read_csv(bytes: &[u8]) -> Result<Sheet, ImportError> {
    pick(&csv_book(bytes)?, None)
}

pub fn csv_book(bytes: &[u8]) -> Result<Book, ImportError> {
    let (text, encoding) = decode(bytes);
    let sep = sniff_separator(&text);
    let mut r = csv::ReaderBuilder::new().delimiter(sep).has_headers(false).flexible(true).from_reader(text.as_bytes());
    let mut rows = vec![];
    let mut rec = csv::StringRecord::new();
    // Line numbers from byte offsets, counting every line (blank ones too):
    // a record starts after the previous one ends and the empty lines the reader skips.
    let bytes = text.as_bytes();
    let (mut prev_end, mut counted_to, mut line_no) = (0usize, 0usize, 1u64);
    loop {
        match r.read_record(&mut rec) {
            Ok(false) => break,
            Ok(true) => {}
            Err(e) => return Err(ImportError::Csv(e.to_string())),
        }
        let mut start = prev_end.min(bytes.len());
        while start < bytes.len() && matches!(bytes[start], b'\n' | b'\r') {
            start += 1;
        }
        line_no += line_breaks(&bytes[counted_to..start]);
        counted_to = start;
        prev_end = r.position().byte() as usize;
        let cells: Vec<(u32, String)> = rec
            .iter()
            .enumerate()
            .map(|(i, c)| (i as u32, unguard(c.trim()).to_string()))
            .filter(|(_, c)| !c.is_empty())
            .collect();
        if !cells.is_empty() {
            if line_no > MAX_ROWS as u64 || rec.len() > MAX_COLUMNS as usize {
                return Err(ImportError::Csv("the file is too large to be a list of partners".into()));
            }
            rows.push(((line_no - 1) as u32, cells));
        }
    }
    let sep_name = match sep {
        b';' => ";",
        b'\t' => "tab",
        _ => ",",
    };
    Ok(Book {
        format: format!("csv ({sep_name}, {})", encoding.to_lowercase()),
        grids: vec![Grid { name: String::new(), rows, merged: vec![] }],
    })
}

/// Samskap's own JSON export: an array of objects (`--what partners`), or
/// the whole export's object, whose `partners` array is read. Keys are the
/// header, in the order they first appear.
pub fn json_book(bytes: &[u8]) -> Result<Book, ImportError> {
    let bad = |e: String| ImportError::Csv(e);
    let v: serde_json::Value = serde_json::from_slice(bytes).map_err(|e| bad(e.to_string()))?;
    let items = match &v {
        serde_json::Value::Array(a) => a,
        serde_json::Value::Object(o) => match o.get("partners") {
            Some(serde_json::Value::Array(a)) => a,
            _ => return Err(bad("the JSON file has no list of partners".into())),
        },
        _ => return Err(bad("the JSON file has no list of partners".into())),
    };
    let mut keys: Vec<String> = vec![];
    for item in items {
        if let serde_json::Value::Object(o) = item {
            for k in o.keys() {
                if !keys.contains(k) {
                    keys.push(k.clone());
                }
            }
        }
    }
    let text = |v: &serde_json::Value| match v {
        serde_json::Value::Null => String::new(),
        serde_json::Value::String(s) => s.clone(),
        other => other.to_string(),
    };
    let mut rows = vec![(0u32, keys.iter().enumerate().map(|(i, k)| (i as u32, k.clone())).collect::<Vec<_>>())];
    for (n, item) in items.iter().enumerate() {
        let serde_json::Value::Object(o) = item else { continue };
        let cells: Vec<(u32, String)> = keys
            .iter()
            .enumerate()
            .filter_map(|(i, k)| o.get(k).map(|v| (i as u32, text(v))))
            .filter(|(_, t)| !t.trim().is_empty())
            .collect();
        if !cells.is_empty() {
            rows.push((n as u32 + 1, cells));
        }
    }
    Ok(Book { format: "json".into(), grids: vec![Grid { name: String::new(), rows, merged: vec![] }] })
}

/// Line breaks as the CSV reader ends records: `\r\n`, `\n`, or a lone `\r`
/// (what old Mac spreadsheet programs write).
fn line_breaks(b: &[u8]) -> u64 {
    let lone_cr = |i: usize| b[i] == b'\r' && b.get(i + 1) != Some(&b'\n');
    (0..b.len()).filter(|&i| b[i] == b'\n' || lone_cr(i)).count() as u64
}

fn cell_text(d: &Data) -> String {
    match d {
        Data::Empty => String::new(),
        Data::String(s) => s.trim().to_string(),
        Data::Float(f) if f.fract() == 0.0 && f.abs() < 1e15 => format!("{}", *f as i64),
        Data::Float(f) => f.to_string(),
        Data::Int(i) => i.to_string(),
        Data::Bool(b) => b.to_string(),
        Data::DateTime(dt) => dt.as_datetime().map(|t| t.format("%Y-%m-%d").to_string()).unwrap_or_default(),
        Data::DateTimeIso(s) | Data::DurationIso(s) => s.clone(),
        Data::Error(e) => format!("#{e:?}"),
    }
}

/// Excel's limits: a cell beyond them is not from a spreadsheet.
const MAX_ROWS: u32 = 1 << 20;
const MAX_COLUMNS: u32 = 1 << 14;
/// Cells laid out in rows, at most: far more than any list of partners.
const MAX_CELLS: usize = 10_000_000;

fn outside(row: u32, col: u32) -> ImportError {
    ImportError::Xlsx(format!(
        "a cell lies outside any spreadsheet (row {}, column {})",
        row as u64 + 1,
        col as u64 + 1
    ))
}

/// A row's number and its filled cells, each with its column.
type Row = (u32, Vec<(u32, String)>);

/// Cells sorted into rows, blank ones left out.
fn into_rows(cells: impl IntoIterator<Item = (u32, u32, String)>) -> Result<Vec<Row>, ImportError> {
    let mut by_row: BTreeMap<u32, Vec<(u32, String)>> = BTreeMap::new();
    for (row, col, text) in cells {
        if row >= MAX_ROWS || col >= MAX_COLUMNS {
            return Err(outside(row, col));
        }
        if !text.trim().is_empty() {
            by_row.entry(row).or_default().push((col, text));
        }
    }
    Ok(by_row
        .into_iter()
        .map(|(r, mut c)| {
            c.sort_by_key(|x| x.0);
            (r, c)
        })
        .collect())
}

pub fn read_xlsx(bytes: Vec<u8>) -> Result<Sheet, ImportError> {
    pick(&xlsx_book(bytes)?, None)
}

pub fn xlsx_book(bytes: Vec<u8>) -> Result<Book, ImportError> {
    let bad = |e: calamine::XlsxError| ImportError::Xlsx(e.to_string());
    let mut wb: Xlsx<_> = Xlsx::new(std::io::Cursor::new(bytes)).map_err(bad)?;
    let mut grids = vec![];
    for name in wb.sheet_names() {
        // Cell by cell, not as calamine's range: a range holds the whole
        // rectangle from the first cell to the last, and one cell in XFD1048576
        // makes that 17 billion cells (the reader aborted on a 5 KB file).
        let mut cells = wb.worksheet_cells_reader(&name).map_err(bad)?;
        let mut read = vec![];
        while let Some(cell) = cells.next_cell().map_err(bad)? {
            let (row, col) = cell.get_position();
            if row >= MAX_ROWS || col >= MAX_COLUMNS {
                return Err(outside(row, col));
            }
            read.push((row, col, cell_text(&Data::from(cell.get_value().clone()))));
        }
        drop(cells);
        let merged = wb.worksheet_merge_cells(&name).and_then(Result::ok).unwrap_or_default();
        grids.push(Grid { rows: into_rows(read)?, name, merged });
    }
    Ok(Book { format: "xlsx".into(), grids })
}

/// ODS and old XLS (and XLSB) files, through calamine's ranges.
pub fn other_book(bytes: Vec<u8>) -> Result<Book, ImportError> {
    let mut wb = calamine::open_workbook_auto_from_rs(std::io::Cursor::new(bytes))
        .map_err(|e| ImportError::Xlsx(e.to_string()))?;
    let format = match &wb {
        Sheets::Ods(_) => "ods",
        Sheets::Xls(_) => "xls",
        Sheets::Xlsb(_) => "xlsb",
        Sheets::Xlsx(_) => "xlsx",
    };
    let mut grids = vec![];
    for name in wb.sheet_names() {
        let range = wb.worksheet_range(&name).map_err(|e| ImportError::Xlsx(e.to_string()))?;
        let (r0, c0) = range.start().unwrap_or((0, 0));
        let cells = range.used_cells().map(|(r, c, d)| (r0 + r as u32, c0 + c as u32, cell_text(d)));
        let merged = match &wb {
            Sheets::Xls(x) => x.worksheet_merge_cells(&name).unwrap_or_default(),
            _ => vec![],
        };
        grids.push(Grid { rows: into_rows(cells)?, name, merged });
    }
    Ok(Book { format: format.into(), grids })
}

/// Cells from column `first` to `last` as a row of text, counting what is laid out.
fn lay_out(cells: &[(u32, String)], first: u32, last: u32, laid_out: &mut usize) -> Result<Vec<String>, ImportError> {
    let mut v: Vec<String> = vec![];
    for (col, text) in cells.iter().filter(|(c, _)| (first..=last).contains(c)) {
        let i = (col - first) as usize;
        if v.len() <= i {
            *laid_out += i + 1 - v.len();
            if *laid_out > MAX_CELLS {
                return Err(ImportError::Xlsx(format!("the sheet is too large to import (over {MAX_CELLS} cells)")));
            }
            v.resize(i + 1, String::new());
        }
        v[i] = text.clone();
    }
    Ok(v)
}

/// How well a row reads as a header of partners: `None` without a name column.
fn header_score(cells: &[(u32, String)]) -> Option<Result<usize, ImportError>> {
    let first = cells.first()?.0;
    let last = cells.last()?.0;
    let row = lay_out(cells, first, last, &mut 0).ok()?;
    match Columns::match_header(&row, &[]) {
        Ok(c) if c.get(Field::Name).is_some() => {
            Some(Ok(c.found.len() + if c.get(Field::Kind).is_some() { 100 } else { 0 }))
        }
        Ok(_) => None,
        Err(e @ ImportError::DuplicateColumn { .. }) => Some(Err(e)),
        Err(_) => None,
    }
}

/// The sheet of partners (the best header in the first [`HEADER_ROWS`] filled
/// rows of any sheet, or of the sheet named), its rows under the header, and
/// merged cells filled down.
pub fn pick(book: &Book, sheet: Option<&str>) -> Result<Sheet, ImportError> {
    let grids: Vec<&Grid> = match sheet {
        Some(want) => {
            let g = book.grids.iter().find(|g| g.name.trim().eq_ignore_ascii_case(want.trim())).ok_or_else(|| {
                ImportError::NoSuchSheet {
                    wanted: want.to_string(),
                    sheets: book.grids.iter().map(|g| g.name.clone()).collect(),
                }
            })?;
            vec![g]
        }
        None => book.grids.iter().collect(),
    };
    if grids.iter().all(|g| g.rows.is_empty()) {
        return Err(ImportError::NoHeader);
    }
    let mut best: Option<(usize, &Grid, usize)> = None;
    let mut doubled = None;
    for g in &grids {
        for (i, (_, cells)) in g.rows.iter().take(HEADER_ROWS).enumerate() {
            match header_score(cells) {
                // A name alone makes a header only on a sheet's first row: further
                // down, one cell such as "Forening" is more likely a value.
                Some(Ok(score)) if (score >= 2 || i == 0) && best.is_none_or(|(s, _, _)| score > s) => {
                    best = Some((score, *g, i))
                }
                Some(Err(e)) if doubled.is_none() => doubled = Some(e),
                _ => {}
            }
        }
    }
    let Some((_, grid, at)) = best else {
        if let Some(e) = doubled {
            return Err(e);
        }
        let g = grids.iter().find(|g| !g.rows.is_empty()).expect("a sheet with rows");
        let (row, cells) = &g.rows[0];
        let text: Vec<&str> = cells.iter().map(|(_, t)| t.as_str()).collect();
        let mut text = text.join(" ");
        if text.chars().count() > 60 {
            text = text.chars().take(60).collect::<String>() + "…";
        }
        return Err(ImportError::NoNameColumn {
            sheet: g.name.clone(),
            first_row: Some((*row as u64 + 1, text)),
            looked: HEADER_ROWS,
        });
    };
    let (header_row, header_cells) = &grid.rows[at];
    let first = header_cells.first().map_or(0, |c| c.0);
    let last = header_cells.last().map_or(0, |c| c.0);
    let mut laid_out = 0usize;
    let header = lay_out(header_cells, first, last, &mut laid_out)?;
    let mut rows = vec![];
    let mut index = BTreeMap::new();
    for (row, cells) in &grid.rows[at + 1..] {
        let cells = lay_out(cells, first, last, &mut laid_out)?;
        if !blank(&cells) {
            index.insert(*row, rows.len());
            rows.push(SheetRow { line: *row as u64 + 1, cells });
        }
    }
    // A merged area (a kind written once for a block of rows) means its
    // first cell's value in every cell it covers.
    for m in &grid.merged {
        let ((r0, c0), (r1, c1)) = (m.start, m.end);
        if r0 <= *header_row || c0 > last || c1 < first {
            continue;
        }
        let Some(value) = index.get(&r0).and_then(|&i| rows[i].cells.get((c0.max(first) - first) as usize)).cloned()
        else {
            continue;
        };
        for r in r0..=r1.min(MAX_ROWS) {
            let Some(&i) = index.get(&r) else { continue };
            for c in c0.max(first)..=c1.min(last) {
                let cells = &mut rows[i].cells;
                let j = (c - first) as usize;
                if cells.len() <= j {
                    cells.resize(j + 1, String::new());
                }
                if cells[j].is_empty() {
                    cells[j] = value.clone();
                }
            }
        }
    }
    let detected = if grid.name.is_empty() { book.format.clone() } else { format!("{} ({})", book.format, grid.name) };
    Ok(Sheet { header, rows, detected, header_line: *header_row as u64 + 1 })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn encodings_and_separators_are_detected() {
        assert_eq!(decode(b"\xEF\xBB\xBFnavn;type").0, "navn;type");
        assert_eq!(decode(b"Bl\xE5b\xE6r").0, "Blåbær");
        assert_eq!(decode(b"Bl\xE5b\xE6r").1, "windows-1252");
        assert_eq!(decode("Blåbær".as_bytes()).1, "UTF-8");
        assert_eq!(decode(b"\xFF\xFEn\0a\0").0, "na");
        assert_eq!(sniff_separator("navn;type;\"a,b\"\n"), b';');
        assert_eq!(sniff_separator("name,kind\n"), b',');
        assert_eq!(sniff_separator("\n\nname\tkind\n"), b'\t');
        assert_eq!(sniff_separator("name\n"), b',');
    }

    #[test]
    fn csv_rows_keep_their_line_numbers_and_skip_blank_lines() {
        let s = read_csv(b"navn;type\r\n\r\nA;lag\r\n;;\r\n\"B\nC\";skole\r\nD;lag\r\n").unwrap();
        assert_eq!(s.header, ["navn", "type"]);
        let lines: Vec<u64> = s.rows.iter().map(|r| r.line).collect();
        assert_eq!(lines, [3, 5, 7]);
        assert_eq!(s.rows[1].cells[0], "B\nC");
    }

    #[test]
    fn a_far_away_cell_costs_nothing_and_rows_keep_their_numbers() {
        let mut wb = rust_xlsxwriter::Workbook::new();
        let ws = wb.add_worksheet().set_name("Partnere").unwrap();
        for (row, col, text) in [
            (2, 1, "Navn"),
            (2, 3, "Type"),
            (3, 1, "Vadsø husflidslag"),
            (3, 3, "lag"),
            (3, 0, "no header here"),
            (6, 3, "skole"),
            (1_048_575, 16_383, "far away"),
        ] {
            ws.write_string(row, col, text).unwrap();
        }
        let s = read_xlsx(wb.save_to_buffer().unwrap()).unwrap();
        assert_eq!(s.detected, "xlsx (Partnere)");
        assert_eq!(s.header, ["Navn", "", "Type"]);
        let rows: Vec<(u64, Vec<String>)> = s.rows.into_iter().map(|r| (r.line, r.cells)).collect();
        assert_eq!(
            rows,
            [
                (4, vec!["Vadsø husflidslag".into(), "".into(), "lag".into()]),
                (7, vec!["".into(), "".into(), "skole".into()])
            ]
        );
    }

    #[test]
    fn old_mac_line_endings_count_as_lines() {
        let s = read_csv(b"navn;type\rA;lag\r\rB;skole\r").unwrap();
        let lines: Vec<u64> = s.rows.iter().map(|r| r.line).collect();
        assert_eq!(lines, [2, 4]);
    }
}
