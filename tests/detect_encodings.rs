//! Detection + decoding of the samples in testdata/encodings/ (made by
//! testdata/encodings/make_samples.py): each `NAME.ENC` must be detected as
//! ENC and decode to exactly `NAME.ENC.expected`.

use fixtext::{decode, detect};
use std::path::Path;

fn check(file: &str) -> Result<(), String> {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("testdata/encodings");
    let bytes = std::fs::read(dir.join(file)).map_err(|e| format!("{file}: {e}"))?;
    let expected = std::fs::read_to_string(dir.join(format!("{file}.expected")))
        .map_err(|e| format!("{file}.expected: {e}"))?;
    let want = file.rsplit('.').next().unwrap_or_default();
    let d = detect::detect(&bytes).map_err(|e| format!("{file}: {e}"))?;
    let name = d.charset.name();
    // Encodings that agree on every byte these samples use: GBK is decoded
    // as GB18030; KOI8-U, windows-1253 and IBM437 only differ from KOI8-R,
    // ISO-8859-7 and IBM850 in bytes the texts do not have.
    let same = [
        ("gb18030", "gbk"),
        ("koi8-r", "koi8-u"),
        ("iso-8859-7", "windows-1253"),
        ("ibm850", "ibm437"),
    ];
    let ok_name = name == want || same.contains(&(want, name.as_str()));
    if !ok_name {
        return Err(format!("{file}: detected {name} ({})", d.method.as_str()));
    }
    let text = decode::decode(&bytes, d.charset, d.bom_len).text;
    if text != expected {
        return Err(format!("{file}: decoded text differs"));
    }
    Ok(())
}

#[test]
fn every_sample_is_detected_and_decoded() {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("testdata/encodings");
    let mut files: Vec<String> = std::fs::read_dir(&dir)
        .map(|rd| {
            rd.filter_map(Result::ok)
                .map(|e| e.file_name().to_string_lossy().into_owned())
                .filter(|n| {
                    !n.ends_with(".expected") && !n.ends_with(".py") && !n.ends_with(".txt")
                })
                .collect()
        })
        .unwrap_or_default();
    files.sort();
    assert!(files.len() >= 25, "samples missing: {files:?}");
    let failures: Vec<String> = files.iter().filter_map(|f| check(f).err()).collect();
    assert!(failures.is_empty(), "{failures:#?}");
}

#[test]
fn mixed_utf8_and_gbk_lines() {
    let mut bytes = Vec::new();
    let lines = [
        ("地理位置很方便，就在中山广场边上，去景区也很近。", false),
        ("房间暖风很充足，浴室比较好，很大，水温不错。", true),
        ("早餐以中餐为主，丰富，环境安静，离火车站近。", true),
        ("服务员态度热情，下次还会再来住这家酒店。", false),
    ];
    let mut expected = String::new();
    for (line, gbk) in lines {
        if gbk {
            bytes.extend_from_slice(&encoding_rs::GBK.encode(line).0);
        } else {
            bytes.extend_from_slice(line.as_bytes());
        }
        bytes.push(b'\n');
        expected.push_str(line);
        expected.push('\n');
    }
    let d = detect::detect(&bytes).map(|d| (d.charset, d.method));
    assert_eq!(
        d.as_ref().map(|(c, m)| (c.name(), m.as_str())),
        Ok(("mixed-utf-8+gbk".to_owned(), "mixed"))
    );
    if let Ok((c, _)) = d {
        assert_eq!(decode::decode(&bytes, c, 0).text, expected);
    }
}

#[test]
fn no_panic_on_arbitrary_bytes() {
    // A cheap deterministic generator; prefixes of several lengths.
    let mut x: u32 = 12345;
    let mut buf = Vec::new();
    for _ in 0..4000 {
        x = x.wrapping_mul(1_103_515_245).wrapping_add(12345);
        buf.push((x >> 16) as u8);
    }
    for len in [0, 1, 2, 3, 4, 7, 64, 513, 4000] {
        let b = &buf[..len];
        if let Ok(d) = detect::detect(b) {
            let _ = decode::decode(b, d.charset, d.bom_len);
        }
        for label in [
            "ibm855",
            "iso-2022-kr",
            "mixed-utf-8+gbk",
            "utf-32le",
            "johab",
        ] {
            if let Some(c) = fixtext::Charset::from_label(label) {
                let _ = decode::decode(b, c, 0);
                let mut dec = c.stream_decoder();
                let mut out = String::new();
                for piece in b.chunks(5) {
                    dec.decode(piece, false, &mut out);
                }
                dec.decode(&[], true, &mut out);
            }
        }
    }
}

/// Johab bytes of `s`, from fixtext's own decoding table (generated from
/// Python's `johab` codec).
fn johab(s: &str) -> Vec<u8> {
    use fixtext::decode::johab_table::{LEAD_MIN, ROWS, TRAIL_MIN};
    let mut out = Vec::new();
    for c in s.chars() {
        if c.is_ascii() {
            out.push(c as u8);
            continue;
        }
        let (row, col) = ROWS
            .iter()
            .enumerate()
            .find_map(|(r, row)| row.chars().position(|x| x == c).map(|p| (r, p)))
            .expect("character in Johab");
        out.extend([LEAD_MIN + row as u8, TRAIL_MIN + col as u8]);
    }
    out
}

const KO: &str = "한국어 문장입니다. 이것은 문자 인코딩 판정을 위한 시험입니다. 저는 서울에 살고 있으며 \
    매일 아침 지하철을 타고 회사에 갑니다. 주말에는 공원을 산책하거나 친구들과 영화를 봅니다. \
    올해 여름은 매우 더워서 바다에 가서 수영을 했습니다. 오늘은 날씨가 맑고 바람이 시원합니다.";

/// EUC-KR is never read as Johab and Johab never as EUC-KR, whatever the
/// length: every prefix of a Korean text (cut between characters), alone
/// and after an ASCII line.
#[test]
fn euc_kr_and_johab_are_told_apart() {
    let cuts: Vec<usize> = KO
        .char_indices()
        .map(|(i, _)| i)
        .chain([KO.len()])
        .collect();
    for &cut in cuts.iter().skip(1) {
        let text = &KO[..cut];
        for prefix in ["", "README\n"] {
            let s = format!("{prefix}{text}\n");
            let euc = encoding_rs::EUC_KR.encode(&s).0.into_owned();
            let d = detect::detect(&euc).unwrap();
            assert_ne!(d.charset.name(), "johab", "EUC-KR {s:?}");
            let joh = johab(&s);
            let d = detect::detect(&joh).unwrap();
            assert_ne!(d.charset.name(), "euc-kr", "Johab {s:?}");
            // From a few syllables on, Johab is recognised.
            if text.chars().filter(|c| ('가'..='힣').contains(c)).count() >= 12 {
                assert_eq!(d.charset.name(), "johab", "Johab {s:?} ({:?})", d.method);
                assert_eq!(decode::decode(&joh, d.charset, 0).text, s);
            }
        }
    }
}
