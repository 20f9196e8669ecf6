//! Reading CSV and XLSX files into rows of text.

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

pub fn read_xlsx(bytes: Vec<u8>) -> Result<Sheet, ImportError> {
    let mut wb: Xlsx<_> = Xlsx::new(std::io::Cursor::new(bytes)).map_err(|e| ImportError::Xlsx(e.to_string()))?;
    let name = wb.sheet_names().first().cloned().ok_or(ImportError::NoHeader)?;
    let range = wb.worksheet_range(&name).map_err(|e| ImportError::Xlsx(e.to_string()))?;
    let first_row = range.start().map_or(0, |(r, _)| r as u64);
    let mut header = None;
    let mut rows = vec![];
    for (i, r) in range.rows().enumerate() {
        let cells: Vec<String> = r.iter().map(cell_text).collect();
        if blank(&cells) {
            continue;
        }
        let line = first_row + i as u64 + 1;
        match header {
            None => header = Some(cells),
            Some(_) => rows.push(SheetRow { line, cells }),
        }
    }
    Ok(Sheet { header: header.ok_or(ImportError::NoHeader)?, rows, detected: format!("xlsx ({name})") })
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
    fn old_mac_line_endings_count_as_lines() {
        let s = read_csv(b"navn;type\rA;lag\r\rB;skole\r").unwrap();
        let lines: Vec<u64> = s.rows.iter().map(|r| r.line).collect();
        assert_eq!(lines, [2, 4]);
    }
}
