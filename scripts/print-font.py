#!/usr/bin/python3
# Builds renderer/public/fonts/NotoSansSC-print.ttf, the font the vector PDFs embed (pdf-lib keeps
# only the glyphs a document uses). Source: Debian's fonts-noto-cjk (Noto Sans CJK SC Regular, OFL
# 1.1). Kept: ASCII, Latin-1, CJK punctuation, full-width forms, every GB2312 character and every
# character in the project's texts (locales, seeds, geodata, targets). CFF outlines are turned into
# TrueType (cu2qu) because fontkit's CFF subsetting, which pdf-lib uses, can mangle glyphs.
# Run: /usr/bin/python3 scripts/print-font.py   (needs python3-fonttools)
import array, glob, os, sys
from fontTools.ttLib import TTCollection, newTable
from fontTools.ttLib.tables import _l_o_c_a
from fontTools import subset
from fontTools.pens.cu2quPen import Cu2QuPen
from fontTools.pens.ttGlyphPen import TTGlyphPen

root = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
source = '/usr/share/fonts/opentype/noto/NotoSansCJK-Regular.ttc'
target = os.path.join(root, 'renderer/public/fonts/NotoSansSC-print.ttf')

chars = set(chr(c) for c in range(0x20, 0x7f)) | set(chr(c) for c in range(0xa0, 0x100))
chars |= set(chr(c) for c in range(0x3000, 0x3040)) | set(chr(c) for c in range(0xff00, 0xff66))
chars |= set('—–‘’“”…·•×÷°±≤≥→←↑↓■□●○▲△★☆※№‰℃')
for hi in range(0xa1, 0xf8):
    for lo in range(0xa1, 0xff):
        try:
            chars |= set(bytes([hi, lo]).decode('gb2312'))
        except UnicodeDecodeError:
            pass
texts = []
for pattern in ['renderer/src/**/locales/*.json', 'renderer/src/locales/*.json', 'seeds/**/*.json', 'seeds/**/*.ts', 'geodata/*.geojson', 'geodata/*.json', 'shared/**/*.ts']:
    texts += glob.glob(os.path.join(root, pattern), recursive=True)
for path in texts:
    with open(path, encoding='utf-8', errors='ignore') as handle:
        chars |= set(ch for ch in handle.read() if ord(ch) >= 0x2e80)

collection = TTCollection(source)
font = next(f for f in collection.fonts if f['name'].getDebugName(1) == 'Noto Sans CJK SC')
options = subset.Options()
options.layout_features = ['kern', 'vert']
options.hinting = False
options.name_IDs = [0, 1, 2, 3, 4, 5, 6, 13, 14]
options.notdef_outline = True
subsetter = subset.Subsetter(options)
subsetter.populate(unicodes=[ord(c) for c in chars])
subsetter.subset(font)

# CFF → glyf (quadratic curves within 1 unit of the cubic ones).
order = font.getGlyphOrder()
glyphs = font.getGlyphSet()
converted = {}
for name in order:
    pen = TTGlyphPen(None)
    glyphs[name].draw(Cu2QuPen(pen, 1.0, reverse_direction=True))
    converted[name] = pen.glyph()
del font['CFF ']
font['glyf'] = newTable('glyf')
font['glyf'].glyphOrder = order
font['glyf'].glyphs = converted
for name in order:
    converted[name].recalcBounds(font['glyf'])
font['loca'] = newTable('loca')
font['maxp'] = maxp = newTable('maxp')
maxp.tableVersion = 0x00010000
for field in ['maxZones', 'maxTwilightPoints', 'maxStorage', 'maxFunctionDefs', 'maxInstructionDefs', 'maxStackElements', 'maxSizeOfInstructions', 'maxComponentElements']:
    setattr(maxp, field, 0)
maxp.maxZones = 1
font['head'].glyphDataFormat = 0
font['post'].formatType = 3.0
font.sfntVersion = '\x00\x01\x00\x00'
for tag in ['VORG', 'vhea', 'vmtx', 'GSUB', 'GPOS']:
    if tag in font: del font[tag]
# Long loca offsets: fontkit's TrueType subsetter (pdf-lib's) drops glyphs of a short-loca font.
def long_loca(self, ttFont):
    ttFont['head'].indexToLocFormat = 1
    locations = array.array('I', self.locations)
    if sys.byteorder != 'big':
        locations.byteswap()
    return locations.tobytes()
_l_o_c_a.table__l_o_c_a.compile = long_loca
font['glyf'].padding = 4
font.save(target)
print(len(chars), 'characters,', len(order), 'glyphs,', os.path.getsize(target), 'bytes')
