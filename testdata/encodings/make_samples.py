#!/usr/bin/env python3
"""Make the small test files of testdata/encodings/.

Each sample is NAME.ENC (the bytes) beside NAME.ENC.expected (the text in
UTF-8, without BOM). Generated samples come from the short texts below
(written for these tests), encoded with Python's codecs. Real samples copied
from chardet's test suite (LGPL-2.1, see real-*.txt notes) keep their bytes;
this script only (re)writes their .expected files.

Run:  python3 testdata/encodings/make_samples.py
"""
import os

HERE = os.path.dirname(os.path.abspath(__file__))

ZH_S = ("这是一次突如其来的危机，也是一场需要沉着应战的大考。各地医院加强了预检分诊，"
        "社区工作人员挨家挨户登记信息，志愿者为老人送去蔬菜和药品。经济社会发展面临新的困难，"
        "但是我们有信心、有能力战胜困难。学校推迟开学，学生在家里通过网络上课，老师们也在学习新的方法。\n") * 2
ZH_T = ("這是一次突如其來的危機，也是一場需要沉著應戰的大考。各地醫院加強了預檢分診，"
        "社區工作人員挨家挨戶登記資訊，志願者為老人送去蔬菜和藥品。經濟社會發展面臨新的困難，"
        "但是我們有信心、有能力戰勝困難。學校推遲開學，學生在家裡透過網路上課，老師們也在學習新的方法。\n") * 2
JA = ("日本語の文章です。これは文字コードの判定のためのテストです。私は東京都に住んでいて、"
      "毎朝電車に乗って会社へ行きます。週末には公園を散歩したり、友達と映画を見たりします。"
      "今年の夏はとても暑かったので、海へ行って泳ぎました。\n") * 2
KO = ("한국어 문장입니다. 이것은 문자 인코딩 판정을 위한 시험입니다. 저는 서울에 살고 있으며 "
      "매일 아침 지하철을 타고 회사에 갑니다. 주말에는 공원을 산책하거나 친구들과 영화를 봅니다. "
      "올해 여름은 매우 더워서 바다에 가서 수영을 했습니다.\n") * 2
RU = ("Это небольшой текст на русском языке для проверки определения кодировки. "
      "Каждое утро я еду на работу на метро, а вечером читаю книги и гуляю с собакой в парке. "
      "Зимой в Москве бывает очень холодно, поэтому мы пьём много горячего чая. "
      "Программа должна правильно распознать этот файл и вывести его содержимое без ошибок.\n") * 2
DE = ("Dies ist ein kurzer deutscher Text für die Prüfung der Zeichenkodierung. Jeden Morgen "
      "fahre ich mit der Straßenbahn zur Arbeit, und am Wochenende gehen wir über die Brücke "
      "in den großen Park. Die Bäume sind grün, die Vögel singen, und die Kinder spielen fröhlich.\n"
      "Voilà un texte français : l'été dernier, nous sommes allés à la mer, où il faisait très chaud.\n") * 2
PL = ("To jest krótki tekst w języku polskim służący do sprawdzenia rozpoznawania kodowania. "
      "Każdego ranka jadę tramwajem do pracy, a wieczorem czytam książki. Zima w Krakowie bywa "
      "mroźna, więc pijemy dużo gorącej herbaty. Żółć, źdźbło i gęś są trudnymi słowami.\n") * 2
CS = ("Toto je krátký český text pro zkoušku rozpoznání kódování. Každé ráno jezdím tramvají do "
      "práce a večer čtu knihy. Zima v Praze bývá mrazivá, proto pijeme hodně horkého čaje. "
      "Příliš žluťoučký kůň úpěl ďábelské ódy.\n") * 2
EL = ("Αυτό είναι ένα μικρό ελληνικό κείμενο για τον έλεγχο της κωδικοποίησης. Κάθε πρωί "
      "πηγαίνω στη δουλειά με το λεωφορείο και το βράδυ διαβάζω βιβλία. Ο χειμώνας στην Αθήνα "
      "είναι ήπιος, αλλά το καλοκαίρι κάνει πολλή ζέστη.\n") * 2

# Korean inside a box drawn with line characters, as DOS-era manuals were:
# in Johab some box-drawing pairs happen to be valid UTF-8.
KO_BOX = ("┏━━━━━━━━━━━━━━━━━━━━┓\n┃ 한국어 설명서 ┃\n┗━━━━━━━━━━━━━━━━━━━━┛\n"
          "┌──────┬──────┐\n│ 파일 │ 크기 │\n├──────┼──────┤\n└──────┴──────┘\n") + KO

GENERATED = [
    ("zh-s", "gbk", ZH_S, False),
    ("zh-s", "gb18030", ZH_S + "欧元€和ÀÉ字符。\n", False),
    ("zh-t", "big5", ZH_T, False),
    ("ja", "shift_jis", JA, False),
    ("ja", "euc-jp", JA, False),
    ("ja", "iso-2022-jp", JA, False),
    ("ko", "euc-kr", KO, False),
    ("ko", "iso-2022-kr", KO, False),
    ("ko", "johab", KO, False),
    ("ko-box", "johab", KO_BOX, False),
    ("ko-box", "euc-kr", KO_BOX, False),
    ("ru", "windows-1251", RU, False),
    ("ru", "koi8-r", RU, False),
    ("ru", "iso-8859-5", RU, False),
    ("ru", "ibm866", RU, False),
    ("ru", "ibm855", RU, False),
    ("ru", "x-mac-cyrillic", RU, False),
    ("de-fr", "windows-1252", DE, False),
    ("de-fr", "ibm850", DE, False),
    ("pl", "windows-1250", PL, False),
    ("pl", "iso-8859-2", PL, False),
    ("cs", "ibm852", CS, False),
    ("el", "iso-8859-7", EL, False),
    ("zh-s", "utf-16le", ZH_S, True),
    ("zh-s", "utf-16be", ZH_S, True),
    ("zh-s", "utf-16le", ZH_S, False),
    ("zh-s", "utf-16be", ZH_S, False),
    ("ru", "utf-16le", RU, False),
    ("zh-s", "utf-32le", ZH_S, True),
    ("zh-s", "utf-32be", ZH_S, False),
]

PY = {"ibm855": "cp855", "ibm866": "cp866", "ibm850": "cp850", "ibm852": "cp852",
      "x-mac-cyrillic": "mac_cyrillic", "iso-2022-kr": "iso2022_kr",
      "iso-2022-jp": "iso2022_jp"}
BOM = {"utf-16le": b"\xff\xfe", "utf-16be": b"\xfe\xff", "utf-32le": b"\xff\xfe\x00\x00",
       "utf-32be": b"\x00\x00\xfe\xff"}


def main():
    for name, enc, text, bom in GENERATED:
        data = (BOM[enc] if bom else b"") + text.encode(PY.get(enc, enc))
        fname = f"{name}{'-bom' if bom else ''}.{enc}"
        with open(os.path.join(HERE, fname), "wb") as f:
            f.write(data)
        with open(os.path.join(HERE, fname + ".expected"), "w", encoding="utf-8") as f:
            f.write(text)
    # Real samples: bytes kept, expected text from Python's codec.
    for fname in sorted(os.listdir(HERE)):
        if fname.startswith("real-") and not fname.endswith((".expected", ".txt")):
            enc = fname.rsplit(".", 1)[1]
            raw = open(os.path.join(HERE, fname), "rb").read()
            with open(os.path.join(HERE, fname + ".expected"), "w", encoding="utf-8") as f:
                f.write(raw.decode(PY.get(enc, enc)))


if __name__ == "__main__":
    main()
