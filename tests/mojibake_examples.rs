//! Every example of the repair-engine issue, through the whole pipeline
//! (repairs only: `--to keep --punct keep`).

use fixtext::{Options, Punct, Target, fix_str};

fn fix(s: &str) -> String {
    let opts = Options {
        to: Target::Keep,
        punct: Punct::Keep,
        ..Options::default()
    };
    fix_str(s, &opts).text
}

#[test]
fn utf8_read_as_cjk_code_pages() {
    assert_eq!(fix("鍙傝€冩枃鐚"), "参考文献"); // read as GBK
    assert_eq!(fix("缂栫爜娴嬭瘯"), "编码测试");
    assert_eq!(fix("譌･譛ｬ"), "日本"); // read as Shift_JIS
}

#[test]
fn cjk_code_pages_read_as_single_byte() {
    assert_eq!(fix("ÖÐÎÄ"), "中文"); // GBK read as cp1252
    assert_eq!(fix("¼òÌåÖÐÎÄÍøÒ³"), "简体中文网页");
}

#[test]
fn utf8_read_as_single_byte_in_layers() {
    assert_eq!(fix("Ã©"), "é");
    assert_eq!(fix("Ã¢â‚¬â„¢"), "’");
}

#[test]
fn layers_combined() {
    // 北京 as UTF-8 read as GBK (鍖椾含), saved as UTF-8, read as cp1252:
    // bytes 0x8D and 0x90 have no cp1252 character and stay C1 controls.
    assert_eq!(fix("é\u{8d}–æ¤¾å\u{90}«"), "北京");
}

#[test]
fn lossy_ends_and_lost_runs() {
    assert_eq!(fix("鍙傝€冩枃鐚?"), "参考文献");
    assert_eq!(fix("鍙傝€冩枃鐚\u{FFFD}"), "参考文献");
    // UTF-8 of U+FFFD read as GBK: nothing is left of the original.
    assert_eq!(fix("锟斤拷锟斤拷"), "\u{FFFD}");
}
