//! Reading CSV and XLSX files into rows of text.

use std::collections::BTreeMap;
use std::path::Path;

use calamine::{Data, Reader, Xlsx};

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
}

pub fn read_file(path: &Path) -> Result<Sheet, ImportError> {
    let ext = path.extension().and_then(|e| e.to_str()).unwrap_or("").to_ascii_lowercase();
    let bytes = std::fs::read(path).map_err(|e| ImportError::Read { path: path.to_path_buf(), source: e })?;
    match ext.as_str() {
        "xlsx" | "xlsm" => read_xlsx(bytes),
        "csv" | "txt" | "tsv" => read_csv(&bytes),
        _ if bytes.starts_with(b"PK\x03\x04") => read_xlsx(bytes),
        _ => Err(ImportError::UnknownType(path.to_path_buf())),
    }
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

/// The separator that splits the header line into the most fields: `;`, `,` or tab.
pub fn sniff_separator(text: &str) -> u8 {
    let header = text.lines().find(|l| !l.trim().is_empty()).unwrap_or("");
    let count = |sep: char| {
        let mut quoted = false;
        header
            .chars()
            .filter(|c| {
                if *c == '"' {
                    quoted = !quoted;
                }
                !quoted && *c == sep
            })
            .count()
    };
    [b';', b',', b'\t'].into_iter().max_by_key(|s| (count(*s as char), *s == b',')).unwrap_or(b',')
}

fn blank(cells: &[String]) -> bool {
    cells.iter().all(|c| c.trim().is_empty())
}

pub fn read_csv(bytes: &[u8]) -> Result<Sheet, ImportError> {
    let (text, encoding) = decode(bytes);
    let sep = sniff_separator(&text);
    let mut r = csv::ReaderBuilder::new().delimiter(sep).has_headers(false).flexible(true).from_reader(text.as_bytes());
    let mut header: Option<Vec<String>> = None;
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
        let line = line_no;
        let cells: Vec<String> = rec.iter().map(|c| c.trim().to_string()).collect();
        if blank(&cells) {
            continue;
        }
        match header {
            None => header = Some(cells),
            Some(_) => rows.push(SheetRow { line, cells }),
        }
    }
    let sep_name = match sep {
        b';' => ";",
        b'\t' => "tab",
        _ => ",",
    };
    Ok(Sheet {
        header: header.ok_or(ImportError::NoHeader)?,
        rows,
        detected: format!("csv ({sep_name}, {})", encoding.to_lowercase()),
    })
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

pub fn read_xlsx(bytes: Vec<u8>) -> Result<Sheet, ImportError> {
    let bad = |e: calamine::XlsxError| ImportError::Xlsx(e.to_string());
    let mut wb: Xlsx<_> = Xlsx::new(std::io::Cursor::new(bytes)).map_err(bad)?;
    let name = wb.sheet_names().first().cloned().ok_or(ImportError::NoHeader)?;
    // Cell by cell, not as calamine's range: a range holds the whole
    // rectangle from the first cell to the last, and one cell in XFD1048576
    // makes that 17 billion cells (the reader aborted on a 5 KB file).
    let mut cells = wb.worksheet_cells_reader(&name).map_err(bad)?;
    let mut by_row: BTreeMap<u32, Vec<(u32, String)>> = BTreeMap::new();
    while let Some(cell) = cells.next_cell().map_err(bad)? {
        let (row, col) = cell.get_position();
        if row >= MAX_ROWS || col >= MAX_COLUMNS {
            return Err(ImportError::Xlsx(format!(
                "a cell lies outside any spreadsheet (row {}, column {})",
                row as u64 + 1,
                col as u64 + 1
            )));
        }
        let text = cell_text(&Data::from(cell.get_value().clone()));
        if !text.trim().is_empty() {
            by_row.entry(row).or_default().push((col, text));
        }
    }
    let mut rows = by_row.into_iter();
    let (_, header) = rows.next().ok_or(ImportError::NoHeader)?;
    // Only the header's columns can hold a field; cells outside them are left out.
    let first = header.iter().map(|(c, _)| *c).min().unwrap_or(0);
    let last = header.iter().map(|(c, _)| *c).max().unwrap_or(0);
    let mut laid_out = 0usize;
    let mut lay_out = |cells: Vec<(u32, String)>| -> Result<Vec<String>, ImportError> {
        let mut v: Vec<String> = vec![];
        for (col, text) in cells.into_iter().filter(|(c, _)| (first..=last).contains(c)) {
            let i = (col - first) as usize;
            if v.len() <= i {
                laid_out += i + 1 - v.len();
                if laid_out > MAX_CELLS {
                    return Err(ImportError::Xlsx(format!(
                        "the sheet is too large to import (over {MAX_CELLS} cells)"
                    )));
                }
                v.resize(i + 1, String::new());
            }
            v[i] = text;
        }
        Ok(v)
    };
    let header = lay_out(header)?;
    let mut out = vec![];
    for (row, cells) in rows {
        let cells = lay_out(cells)?;
        if !blank(&cells) {
            out.push(SheetRow { line: row as u64 + 1, cells });
        }
    }
    Ok(Sheet { header, rows: out, detected: format!("xlsx ({name})") })
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
